"""How far a model judge agrees with the human reviewers: counts, Spearman, weighted kappa.

Statistics come from scipy and scikit-learn, not from hand-written formulas. A
statistic that is undefined for the data (fewer than two pairs, or a rater who gave
the same score every time) is None, never a made-up 0.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from .judge import SCORES

# How a reviewer judged the model's critique of one principle.
ASSESSMENTS = ("agree", "partly", "wrong", "missed something")
# Cohen's kappa weighted by the squared distance between scores: 1 vs 5 is a worse
# disagreement than 4 vs 5 (the usual choice for ordinal 1-5 ratings).
KAPPA_WEIGHTS = "quadratic"


@dataclass(frozen=True, slots=True)
class ScorePair:
    """One principle of one reviewed round: the model's score, the human's, the assessment."""

    principle: str
    model_score: int
    human_score: int
    assessment: str | None = None
    day: str = ""  # ISO date of the review, for agreement over time


def _defined(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def spearman(model: list[int], human: list[int]) -> float | None:
    """Return Spearman's rank correlation of the two score lists, None where undefined."""
    if len(model) < 2 or len(set(model)) < 2 or len(set(human)) < 2:
        return None
    from scipy.stats import spearmanr  # heavy: imported when a statistic is asked for

    return _defined(spearmanr(model, human).statistic)


def weighted_kappa(model: list[int], human: list[int]) -> float | None:
    """Return Cohen's kappa with quadratic weights over the 1-5 scale, None where undefined."""
    if len(model) < 2:
        return None
    from sklearn.metrics import cohen_kappa_score

    if len(set(model) | set(human)) < 2:
        return None  # both raters gave one and the same score: kappa is 0/0
    return _defined(cohen_kappa_score(model, human, labels=list(SCORES), weights=KAPPA_WEIGHTS))


def agreement(pairs: list[ScorePair]) -> dict:
    """Return the agreement figures of these pairs."""
    model = [p.model_score for p in pairs]
    human = [p.human_score for p in pairs]
    assessed = [p.assessment for p in pairs if p.assessment]
    counts = Counter(assessed)
    matches = sum(m == h for m, h in zip(model, human, strict=True))
    distance = sum(abs(m - h) for m, h in zip(model, human, strict=True))
    return {
        "pairs": len(pairs),
        "assessed": len(assessed),
        "assessments": {name: counts.get(name, 0) for name in ASSESSMENTS},
        "agree_rate": round(counts["agree"] / len(assessed), 4) if assessed else None,
        "exact_score_rate": round(matches / len(pairs), 4) if pairs else None,
        "mean_abs_difference": round(distance / len(pairs), 4) if pairs else None,
        "spearman": spearman(model, human),
        "weighted_kappa": weighted_kappa(model, human),
    }


def agreement_by_principle(pairs: list[ScorePair], keys: list[str]) -> dict[str, dict]:
    """Return the agreement figures per principle key, in the order of `keys`."""
    return {key: agreement([p for p in pairs if p.principle == key]) for key in keys}


def agreement_over_time(pairs: list[ScorePair]) -> list[dict]:
    """Return per review day: the pairs, the share the reviewers agreed with, mean |diff|."""
    days: dict[str, list[ScorePair]] = {}
    for pair in pairs:
        days.setdefault(pair.day, []).append(pair)
    series = []
    for day in sorted(days):
        figures = agreement(days[day])
        series.append({"day": day, "pairs": figures["pairs"], "agree_rate": figures["agree_rate"],
                       "mean_abs_difference": figures["mean_abs_difference"]})
    return series
