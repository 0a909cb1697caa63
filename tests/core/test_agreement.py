"""Agreement between the model judge and the human reviewers, against hand-computed values."""

import pytest

from oversight.core.agreement import ScorePair, agreement, agreement_by_principle

MODEL = [1, 2, 3, 4, 5]
HUMAN = [1, 3, 3, 5, 4]


def pairs(model=MODEL, human=HUMAN, assessments=None, key="need"):
    assessments = assessments or [None] * len(model)
    return [ScorePair(key, m, h, a) for m, h, a in zip(model, human, assessments, strict=True)]


def test_spearman_and_quadratic_kappa_match_the_hand_computation():
    # Spearman: human ranks [1, 2.5, 2.5, 5, 4] against [1..5]:
    #   sum dx*dy = 8.5, sum dx^2 = 10, sum dy^2 = 9.5 -> 8.5 / sqrt(95) = 0.87208
    # Quadratic kappa: observed sum (m-h)^2 = 3; expected (1/5) * (30 + 2*10 + 15 + 30) = 19
    #   -> 1 - 3/19 = 0.84211
    figures = agreement(pairs())
    assert figures["spearman"] == pytest.approx(8.5 / 95 ** 0.5, abs=1e-4)
    assert figures["weighted_kappa"] == pytest.approx(16 / 19, abs=1e-4)
    assert figures["pairs"] == 5
    assert figures["exact_score_rate"] == pytest.approx(2 / 5)
    assert figures["mean_abs_difference"] == pytest.approx(3 / 5)


def test_the_agree_rate_counts_only_assessed_pairs():
    figures = agreement(pairs(assessments=["agree", "partly", None, "agree", "missed something"]))
    assert figures["assessed"] == 4
    assert figures["agree_rate"] == pytest.approx(0.5)
    assert figures["assessments"] == {"agree": 2, "partly": 1, "wrong": 0, "missed something": 1}


def test_undefined_statistics_are_none_not_zero():
    one = agreement(pairs([3], [4]))
    assert one["spearman"] is None and one["weighted_kappa"] is None
    constant = agreement(pairs([4, 4, 4], [4, 4, 4]))
    assert constant["spearman"] is None and constant["weighted_kappa"] is None
    assert constant["exact_score_rate"] == 1.0
    empty = agreement([])
    assert empty["pairs"] == 0 and empty["agree_rate"] is None


def test_perfect_agreement_has_kappa_one():
    assert agreement(pairs(MODEL, MODEL))["weighted_kappa"] == pytest.approx(1.0)


def test_figures_are_kept_per_principle():
    mixed = pairs() + pairs([5, 5], [1, 1], key="style")
    by_key = agreement_by_principle(mixed, ["need", "style"])
    assert by_key["need"]["pairs"] == 5 and by_key["style"]["pairs"] == 2
    assert by_key["style"]["mean_abs_difference"] == 4
