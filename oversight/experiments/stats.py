"""The report's statistics: per-variant means and differences with 95% bootstrap intervals.

Pure (numpy and scipy, no Django). Intervals are percentile bootstraps
(`scipy.stats.bootstrap`, 2000 resamples) from a generator seeded by the experiment's
seed and the metric's and variant's places, so the same data always give the same
figures: the page and the API agree, and a stopped report can be recomputed.
"""

import warnings

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
RESAMPLES = 2000
METHOD = "percentile bootstrap (scipy.stats.bootstrap), 2000 resamples, seeded"
# The one minimum: below it, in any variant, the report says it cannot conclude.
MIN_PER_VARIANT = 5
DIGITS = 6

TOO_FEW = ("Too few data to conclude: each variant needs at least {minimum} tasks with this "
           "measure ({counts}).")
HIGHER = "{other} is {direction} than {base} by {size} (95% CI {low} to {high})."
SAME_EVERYWHERE = "No difference between {other} and {base}: every task has the same value."
NO_DIFFERENCE = ("No clear difference between {other} and {base}: the 95% CI of the difference "
                 "({low} to {high}) includes 0.")


def _round(value) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), DIGITS)


def _rng(seed: int, *place: int) -> np.random.Generator:
    return np.random.default_rng([seed % 2**63, *place])


def _interval(data: tuple, statistic, rng) -> tuple[float | None, float | None]:
    if any(len(sample) < 2 for sample in data):
        return None, None
    with warnings.catch_warnings():  # constant samples: a zero-width interval is right
        warnings.simplefilter("ignore")
        result = stats.bootstrap(data, statistic, vectorized=True, paired=False,
                                 confidence_level=CONFIDENCE, n_resamples=RESAMPLES,
                                 method="percentile", rng=rng)
    low, high = result.confidence_interval
    return _round(low), _round(high)


def _mean(sample, axis=-1):
    return np.mean(sample, axis=axis)


def _difference(base, other, axis=-1):
    return np.mean(other, axis=axis) - np.mean(base, axis=axis)


def mean_summary(values: list[float], *, seed: int, place: tuple[int, ...]) -> dict:
    """{n, mean, low, high} of one variant's values (no interval below two values)."""
    sample = np.asarray(values, dtype=float)
    low, high = _interval((sample,), _mean, _rng(seed, *place)) if len(sample) else (None, None)
    return {"n": len(sample), "mean": _round(sample.mean()) if len(sample) else None,
            "low": low, "high": high}


def difference_summary(base: list[float], other: list[float], *, seed: int,
                       place: tuple[int, ...]) -> dict:
    """{difference, low, high, excludes_zero}: other's mean minus base's, with its interval."""
    a, b = np.asarray(base, dtype=float), np.asarray(other, dtype=float)
    if not len(a) or not len(b):
        return {"difference": None, "low": None, "high": None, "excludes_zero": False}
    low, high = _interval((a, b), _difference, _rng(seed, *place))
    excludes = low is not None and (low > 0 or high < 0)
    return {"difference": _round(b.mean() - a.mean()), "low": low, "high": high,
            "excludes_zero": bool(excludes)}


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "share":
        return f"{value * 100:.1f} points"
    if unit == "s":
        return f"{value:.0f} s"
    return f"{value:.2f}"


def conclusion(*, names: list[str], counts: list[int], differences: list[dict],
               unit: str) -> str:
    """The plain sentence under a metric: too few, a difference, or none clear."""
    if min(counts) < MIN_PER_VARIANT:
        listed = ", ".join(f"{n} has {c}" for n, c in zip(names, counts, strict=True))
        return TOO_FEW.format(minimum=MIN_PER_VARIANT, counts=listed)
    sentences = []
    for other, diff in zip(names[1:], differences, strict=True):
        values = {"other": other, "base": names[0], "low": _fmt(diff["low"], unit),
                  "high": _fmt(diff["high"], unit)}
        if diff["excludes_zero"]:
            sentences.append(HIGHER.format(
                direction="higher" if diff["difference"] > 0 else "lower",
                size=_fmt(abs(diff["difference"]), unit), **values))
        elif diff["low"] == diff["high"] == 0:  # every resample equal: constant data
            sentences.append(SAME_EVERYWHERE.format(**values))
        else:
            sentences.append(NO_DIFFERENCE.format(**values))
    return " ".join(sentences)


def compare(values_by_variant: list[list[float]], names: list[str], *, seed: int,
            metric_place: int, unit: str) -> dict:
    """One metric's figures: each variant's summary, each non-baseline's difference from
    the baseline (the first variant), whether there are enough data, and the sentence."""
    summaries = [{"variant": name, **mean_summary(values, seed=seed, place=(metric_place, i))}
                 for i, (name, values) in enumerate(zip(names, values_by_variant, strict=True))]
    differences = [{"variant": name, "baseline": names[0],
                    **difference_summary(values_by_variant[0], values, seed=seed,
                                         place=(metric_place, 100 + i))}
                   for i, (name, values) in enumerate(zip(names, values_by_variant, strict=True))
                   if i > 0]
    counts = [s["n"] for s in summaries]
    return {"variants": summaries, "differences": differences,
            "enough": min(counts) >= MIN_PER_VARIANT,
            "conclusion": conclusion(names=names, counts=counts, differences=differences,
                                     unit=unit)}
