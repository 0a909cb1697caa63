"""The report's statistics against figures computed by hand."""

from oversight.experiments import stats

A = [1.0, 2.0, 3.0, 4.0, 5.0]  # mean 3
B = [3.0, 4.0, 5.0, 6.0, 7.0]  # mean 5: B − A = 2


def test_means_counts_and_intervals_of_a_hand_computed_fixture():
    figures = stats.compare([A, B], ["A", "B"], seed=1, metric_place=0, unit="count")
    a, b = figures["variants"]
    assert (a["variant"], a["n"], a["mean"]) == ("A", 5, 3.0)
    assert (b["variant"], b["n"], b["mean"]) == ("B", 5, 5.0)
    assert 1.0 <= a["low"] < 3.0 < a["high"] <= 5.0  # a mean's interval lies inside the data
    (diff,) = figures["differences"]
    assert (diff["variant"], diff["baseline"], diff["difference"]) == ("B", "A", 2.0)
    assert diff["low"] <= 2.0 <= diff["high"]
    assert figures["enough"] is True
    assert figures["conclusion"].startswith("B is higher than A by 2.00")


def test_the_same_seed_gives_the_same_interval():
    one = stats.compare([A, B], ["A", "B"], seed=5, metric_place=2, unit="s")
    assert one == stats.compare([A, B], ["A", "B"], seed=5, metric_place=2, unit="s")


def test_too_few_data_say_so_in_a_plain_sentence():
    figures = stats.compare([A[:3], B], ["A", "B"], seed=1, metric_place=0, unit="count")
    assert figures["enough"] is False
    assert figures["conclusion"] == (
        f"Too few data to conclude: each variant needs at least {stats.MIN_PER_VARIANT} tasks "
        "with this measure (A has 3, B has 5).")


def test_equal_samples_show_no_difference_and_empty_ones_no_figures():
    same = stats.compare([A, list(A)], ["A", "B"], seed=1, metric_place=0, unit="share")
    (diff,) = same["differences"]
    assert diff["difference"] == 0.0 and diff["low"] <= 0 <= diff["high"]
    assert not diff["excludes_zero"] and same["conclusion"].startswith("No clear difference")
    empty = stats.compare([[], B], ["A", "B"], seed=1, metric_place=0, unit="share")
    assert empty["variants"][0] == {"variant": "A", "n": 0, "mean": None, "low": None,
                                    "high": None}
    assert empty["differences"][0]["difference"] is None and not empty["enough"]


def test_constant_equal_data_say_every_task_has_the_same_value():
    zeros = stats.compare([[0.0] * 6, [0.0] * 6], ["A", "B"], seed=1, metric_place=0,
                          unit="share")
    assert zeros["conclusion"] == ("No difference between B and A: every task has the same "
                                   "value.")
