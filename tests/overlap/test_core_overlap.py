"""The pure figures of overlap: edit distance between finals, test outcomes, alpha, ranking."""

import pytest

from oversight.core.overlap import (
    check_ranking,
    final_agreement,
    normalized_distance,
    outcome_agreement,
    ranking_pairs,
    rubric_alpha,
)


def test_krippendorff_alpha_ordinal_matches_the_hand_computation():
    # Three units (principles), two scores each: (1, 1), (2, 3), (3, 3); a fourth unit has
    # one score and carries no information. By hand (Krippendorff 2011, ordinal metric):
    # coincidences o_11 = 2, o_23 = o_32 = 1, o_33 = 2; totals n_1 = 2, n_2 = 1, n_3 = 3,
    # n = 6. Ordinal distances δ²(c,k) = (Σ_{g=c..k} n_g − (n_c + n_k)/2)²:
    # δ²(1,2) = 1.5² = 2.25, δ²(2,3) = 2² = 4, δ²(1,3) = 3.5² = 12.25.
    # D_o = (o_23 δ²(2,3) + o_32 δ²(3,2)) / n = 8/6;
    # D_e = 2 (n_1 n_2 2.25 + n_1 n_3 12.25 + n_2 n_3 4) / (n (n − 1)) = 180/30 = 6;
    # α = 1 − D_o / D_e = 1 − 8/36 = 7/9.
    figures = rubric_alpha({"g:a": [1, 1], "g:b": [2, 3], "g:c": [3, 3], "g:d": [4]})
    assert figures["alpha"] == pytest.approx(7 / 9, abs=1e-4)
    assert figures == {"alpha": figures["alpha"], "level": "ordinal", "units": 4,
                       "pairable_units": 3, "scores": 7, "pairable_scores": 6}


def test_alpha_is_ordinal_not_nominal():
    # Nominal alpha would count 4 vs 5 as badly as 1 vs 5; ordinal does not.
    near = rubric_alpha({"a": [4, 5], "b": [1, 1], "c": [5, 5]})["alpha"]
    far = rubric_alpha({"a": [1, 5], "b": [4, 4], "c": [5, 5]})["alpha"]
    assert near > far


def test_alpha_is_none_where_it_is_undefined():
    assert rubric_alpha({})["alpha"] is None
    assert rubric_alpha({"a": [3], "b": [4]})["alpha"] is None  # no unit with two scores
    same = rubric_alpha({"a": [3, 3], "b": [3, 3]})
    assert same["alpha"] is None and same["pairable_scores"] == 4  # 0/0, counts still said


def test_perfect_agreement_is_one():
    assert rubric_alpha({"a": [2, 2, 2], "b": [5, 5]})["alpha"] == 1.0


def test_final_agreement_is_pairwise_normalized_levenshtein():
    figures = final_agreement({3: "kitten", 1: "sitting", 2: "kitten"})
    assert figures["pairs"] == [
        {"a": 1, "b": 2, "distance": 3, "normalized": round(3 / 7, 4)},
        {"a": 1, "b": 3, "distance": 3, "normalized": round(3 / 7, 4)},
        {"a": 2, "b": 3, "distance": 0, "normalized": 0.0}]
    mean = (3 / 7 + 3 / 7 + 0) / 3
    assert figures["mean_distance"] == pytest.approx(mean, abs=1e-4)
    assert figures["mean_similarity"] == pytest.approx(1 - mean, abs=1e-4)
    assert final_agreement({1: "alone"})["mean_similarity"] is None
    assert normalized_distance("", "") == 0.0 and normalized_distance("", "ab") == 1.0


def test_outcome_agreement_compares_shared_tests_only():
    figures = outcome_agreement({
        1: {"t1": "passed", "t2": "failed", "t3": "passed"},
        2: {"t1": "passed", "t2": "passed"},
        3: {"other": "passed"}})
    by_pair = {(p["a"], p["b"]): p for p in figures["pairs"]}
    assert (by_pair[1, 2]["tests"], by_pair[1, 2]["same"], by_pair[1, 2]["agreement"]) == (
        2, 1, 0.5)
    assert by_pair[1, 3]["agreement"] is None and by_pair[2, 3]["agreement"] is None
    assert figures["mean_agreement"] == 0.5


def test_ranking_pairs_skip_ties_and_say_how_far_apart():
    assert ranking_pairs([[7], [8, 9], [10]]) == [
        (7, 8, 1), (7, 9, 1), (7, 10, 2), (8, 10, 1), (9, 10, 1)]
    assert ranking_pairs([[1, 2]]) == []


@pytest.mark.parametrize("tiers", [[[1], [2, 2]], [[1]], [[1], [2], [3], [4]], [[1], [], [2]]])
def test_a_ranking_must_hold_each_final_once(tiers):
    assert check_ranking(tiers, {1, 2}) is not None


def test_a_valid_ranking_passes():
    assert check_ranking([[2], [1, 3]], {1, 2, 3}) is None
