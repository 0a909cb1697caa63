"""The flag thresholds: each one's default, allowed range and meaning, written once here.

Projects override the defaults (Project.signal_thresholds); the review app checks
values against the ranges and the lead's form shows the help. The defaults are
calibrated by bench/signals_calibration.py (figures in docs/signals.md).
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Threshold:
    default: float | int
    low: float | int
    high: float | int
    help: str


THRESHOLDS = {
    "rubber_stamp_max_changed_fraction": Threshold(
        0.02, 0.0, 1.0, "Rubber stamp: at most this fraction changed…"),
    "rubber_stamp_max_seconds_per_1k": Threshold(
        20, 0, 86_400, "…and at most this many seconds spent per 1,000 draft characters"),
    "paste_heavy_share": Threshold(
        0.5, 0.0, 1.0, "Paste-heavy above this share of inserted text pasted from outside"),
    "no_reasoning_min_changed_chars": Threshold(
        200, 0, 1_000_000, "No reasoning: no note despite this many changed characters"),
    "burst_only_min_typed_share": Threshold(
        0.1, 0.0, 1.0, "Burst-only below this share of new text typed (moves left out)"),
    "synthetic_min_intervals": Threshold(
        60, 1, 1_000_000, "Synthetic typing judged from at least this many keystroke intervals"),
    "synthetic_min_median_ms": Threshold(
        45, 0, 10_000, "Synthetic typing: median keystroke interval below this (ms)…"),
    "synthetic_max_dispersion": Threshold(
        2.6, 1.0, 1_000.0, "…or keystroke intervals' 90th/10th percentile ratio below this"),
    "external_paste_min_chars": Threshold(
        150, 1, 10_000_000, "External paste: at least this many pasted characters not in "
        "the draft, prompt, model help or earlier text"),
    "paste_polish_min_share": Threshold(
        0.5, 0.0, 1.0, "Paste then polish: one external paste at least this share of the final…"),
    "paste_polish_max_changed": Threshold(
        0.15, 0.0, 1.0, "…followed by changes of at most this fraction of the paste"),
    "untrusted_min_chars": Threshold(
        20, 1, 10_000_000, "Untrusted input: at least this many characters inserted through "
        "input events the browser marked as programmatic"),
}

DEFAULT_THRESHOLDS = {key: spec.default for key, spec in THRESHOLDS.items()}


def thresholds_in_force(overrides: dict | None) -> dict:
    """Return the defaults overridden by known keys (a retired key is ignored)."""
    return {**DEFAULT_THRESHOLDS,
            **{k: v for k, v in (overrides or {}).items() if k in DEFAULT_THRESHOLDS}}
