"""Agreement between overlap siblings, and the preference pairs a ranking of them gives.

Pure: finals, test outcomes and rubric scores come in as plain values. A figure that is
undefined for the data (one final, one rating per unit, every score the same) is None,
never a made-up 0; the counts beside it say why.
"""

from __future__ import annotations

import math
from itertools import combinations

from .judge import SCORES
from .levenshtein import levenshtein

ALPHA_LEVEL = "ordinal"  # rubric scores are 1-5: ordered, distances not equal-interval

NOT_A_RANKING = "the ranking must hold each submitted sibling exactly once (expected: {ids})"
EMPTY_TIER = "a ranking's tiers must not be empty"


def _rounded(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def normalized_distance(a: str, b: str) -> float:
    """Return Levenshtein(a, b) over the longer length: 0 identical, 1 nothing in common."""
    longest = max(len(a), len(b))
    return levenshtein(a, b) / longest if longest else 0.0


def final_agreement(finals: dict[int, str]) -> dict:
    """Return pairwise normalized edit distances of the finals (task id → text) and their mean.

    `mean_similarity` is 1 − the mean distance: 1 when every final is the same text.
    """
    pairs = []
    for (a, text_a), (b, text_b) in combinations(sorted(finals.items()), 2):
        pairs.append({"a": a, "b": b, "distance": levenshtein(text_a, text_b),
                      "normalized": round(normalized_distance(text_a, text_b), 4)})
    mean = _mean([p["normalized"] for p in pairs])
    return {"finals": len(finals), "pairs": pairs, "mean_distance": mean,
            "mean_similarity": None if mean is None else round(1 - mean, 4)}


def outcome_agreement(outcomes: dict[int, dict[str, str]]) -> dict:
    """Return how often two siblings' finals had the same outcome, test by test.

    `outcomes`: task id → {test name: outcome} of its final's run. Only the tests both
    runs have are compared; a pair sharing none has no figure.
    """
    pairs = []
    for (a, tests_a), (b, tests_b) in combinations(sorted(outcomes.items()), 2):
        shared = sorted(tests_a.keys() & tests_b.keys())
        same = sum(tests_a[name] == tests_b[name] for name in shared)
        pairs.append({"a": a, "b": b, "tests": len(shared), "same": same,
                      "agreement": round(same / len(shared), 4) if shared else None})
    defined = [p["agreement"] for p in pairs if p["agreement"] is not None]
    return {"runs": len(outcomes), "pairs": pairs, "mean_agreement": _mean(defined)}


def rubric_alpha(units: dict[str, list[int]]) -> dict:
    """Return Krippendorff's alpha (ordinal, 1-5) of the scores within units, with counts.

    A unit is one principle of one overlap group; its values are the scores the group's
    finals got for it from their reviewers. Alpha asks whether finals of one prompt get
    the same score on a principle (1: always, 0: no more than by chance). Only units
    with two or more scores carry information about agreement (`pairable_units`).
    """
    pairable = {u: values for u, values in units.items() if len(values) >= 2}
    counts = {"units": len(units), "pairable_units": len(pairable),
              "scores": sum(len(v) for v in units.values()),
              "pairable_scores": sum(len(v) for v in pairable.values())}
    return {"alpha": _alpha(list(pairable.values())), "level": ALPHA_LEVEL, **counts}


def _alpha(units: list[list[int]]) -> float | None:
    if len({score for values in units for score in values}) < 2:
        return None  # one score is all there is: no disagreement expected either, 0/0
    import krippendorff  # numpy-heavy: imported when a figure is asked for

    # One row per unit, one column per score of the scale: how often it was given.
    counts = [[values.count(score) for score in SCORES] for values in units]
    return _rounded(krippendorff.alpha(value_counts=counts, value_domain=list(SCORES),
                                       level_of_measurement=ALPHA_LEVEL))


def check_ranking(tiers: list[list[int]], expected: set[int]) -> str | None:
    """Return why `tiers` (best first; a tier holds tied siblings) does not rank `expected`."""
    if any(not tier for tier in tiers):
        return EMPTY_TIER
    ranked = [task for tier in tiers for task in tier]
    if len(ranked) != len(set(ranked)) or set(ranked) != expected:
        return NOT_A_RANKING.format(ids=", ".join(str(i) for i in sorted(expected)))
    return None


def ranking_pairs(tiers: list[list[int]]) -> list[tuple[int, int, int]]:
    """Return (better, worse, tiers apart) for every two siblings not tied, best first."""
    pairs = []
    for high, low in combinations(range(len(tiers)), 2):
        pairs.extend((better, worse, low - high) for better in tiers[high] for worse in tiers[low])
    return pairs
