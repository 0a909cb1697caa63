"""The flag thresholds: each one's name, default, unit, allowed range and meaning, once.

This table is the one owner. Projects override the defaults (Project.signal_thresholds,
read through `thresholds_in_force`); the review app checks a lead's values with
`clean_threshold`; the flag rules (core/flags.py) read only keys named here, and the lead's
form shows the help, unit and range. The defaults are calibrated by
bench/signals_calibration.py (figures in docs/signals.md).
"""

from dataclasses import dataclass

# Units: a fraction or share in [0, 1], a count of characters or intervals, seconds, ms,
# or a ratio of two durations.
FRACTION, CHARS, COUNT, SECONDS, MS, RATIO = (
    "fraction", "characters", "count", "seconds", "ms", "ratio")


@dataclass(frozen=True, slots=True)
class Threshold:
    default: float | int
    low: float | int
    high: float | int
    help: str
    unit: str

    @property
    def integral(self) -> bool:
        """Counts and seconds stay integers where they are whole, as their defaults are."""
        return isinstance(self.low, int) and isinstance(self.default, int)


THRESHOLDS = {
    "rubber_stamp_max_changed_fraction": Threshold(
        0.02, 0.0, 1.0, "Rubber stamp: at most this fraction changed…", FRACTION),
    "rubber_stamp_max_seconds_per_1k": Threshold(
        20, 0, 86_400, "…and at most this many seconds spent per 1,000 draft characters",
        SECONDS),
    "paste_heavy_share": Threshold(
        0.5, 0.0, 1.0, "Paste-heavy above this share of inserted text pasted from outside",
        FRACTION),
    "no_reasoning_min_changed_chars": Threshold(
        200, 0, 1_000_000, "No reasoning: no note despite this many changed characters", CHARS),
    "burst_only_min_typed_share": Threshold(
        0.1, 0.0, 1.0, "Burst-only below this share of new text typed (moves left out)",
        FRACTION),
    "synthetic_min_intervals": Threshold(
        60, 1, 1_000_000, "Synthetic typing judged from at least this many keystroke intervals",
        COUNT),
    "synthetic_min_median_ms": Threshold(
        45, 0, 10_000, "Synthetic typing: median keystroke interval below this (ms)…", MS),
    "synthetic_max_dispersion": Threshold(
        2.6, 1.0, 1_000.0, "…or keystroke intervals' 90th/10th percentile ratio below this",
        RATIO),
    "external_paste_min_chars": Threshold(
        150, 1, 10_000_000, "External paste: at least this many pasted characters not in "
        "the draft, prompt, model help or earlier text", CHARS),
    "paste_polish_min_share": Threshold(
        0.5, 0.0, 1.0, "Paste then polish: one external paste at least this share of the final…",
        FRACTION),
    "paste_polish_max_changed": Threshold(
        0.15, 0.0, 1.0, "…followed by changes of at most this fraction of the paste", FRACTION),
    "untrusted_min_chars": Threshold(
        20, 1, 10_000_000, "Untrusted input: at least this many characters inserted through "
        "input events the browser marked as programmatic", CHARS),
}

DEFAULT_THRESHOLDS = {key: spec.default for key, spec in THRESHOLDS.items()}

UNKNOWN_THRESHOLD = "Unknown threshold '{key}'; expected one of: {keys}."
BAD_THRESHOLD = "Threshold '{key}' must be a number from {low} to {high}."


class ThresholdError(ValueError):
    """A value a lead gave is not a known threshold or is out of its range."""


def thresholds_in_force(overrides: dict | None) -> dict:
    """Return the defaults overridden by known keys (a retired key is ignored)."""
    return {**DEFAULT_THRESHOLDS,
            **{k: v for k, v in (overrides or {}).items() if k in DEFAULT_THRESHOLDS}}


def clean_threshold(key: str, value) -> float | int:
    """Return `value` as the number threshold `key` takes, or raise ThresholdError."""
    spec = THRESHOLDS.get(key)
    if spec is None:
        raise ThresholdError(UNKNOWN_THRESHOLD.format(key=key, keys=", ".join(THRESHOLDS)))
    bad = BAD_THRESHOLD.format(key=key, low=spec.low, high=spec.high)
    if isinstance(value, bool):
        raise ThresholdError(bad)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ThresholdError(bad) from None
    if not spec.low <= number <= spec.high:  # NaN fails this too
        raise ThresholdError(bad)
    return int(number) if spec.integral and number.is_integer() else number
