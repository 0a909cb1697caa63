"""Review priority and writer trust, pinned on small cases with known answers."""

import pytest

from oversight.core.risk import risk, trust_words, writer_trust


def test_writer_trust_is_the_beta_posterior_with_its_interval():
    none = writer_trust(0, 0)
    assert none["mean"] == 0.5 and none["low"] == pytest.approx(0.05) and (
        none["high"] == pytest.approx(0.95))
    good = writer_trust(9, 1)  # Beta(10, 2)
    assert good["mean"] == pytest.approx(10 / 12)
    assert good["low"] == pytest.approx(0.63564, abs=1e-4)  # scipy.stats.beta.ppf(.05, 10, 2)
    assert good["high"] == pytest.approx(0.96668, abs=1e-4)
    assert writer_trust(1, 9)["mean"] < writer_trust(5, 5)["mean"] < good["mean"]


def test_flags_outliers_and_the_writers_record_add_up_with_reasons():
    trusted = writer_trust(9, 1)
    quiet, why = risk({"flags": [], "active_seconds": 300}, project_median_active=200,
                      peers=10, trust=trusted)
    assert quiet == pytest.approx(2 * 2 / 12, abs=0.01) and why == [
        "writer trust 83% (64%–97%, 10 verdicts) (+0.3)"]
    loud, why = risk({"flags": ["external_paste", "no_reasoning"], "active_seconds": 20},
                     project_median_active=200, peers=10, trust=writer_trust(1, 3))
    assert loud == pytest.approx(3 + 1 + 1 + 2 * 4 / 6, abs=0.01)
    assert why[:2] == ["2 flags (+4)", "20 s active vs the project's median 3 min (+1)"]
    # Too few peers: no outlier judged; no verdicts yet: a small unknown.
    _, why = risk({"flags": [], "active_seconds": 1}, project_median_active=200, peers=2,
                  trust=None)
    assert why == ["writer has no verdicts yet (+0.5)"]


def test_trust_counts_each_planted_flaw_as_a_trial_beside_the_verdicts():
    verdicts_only = writer_trust(3, 1)
    careful = writer_trust(3, 1, caught=4, missed=0)
    careless = writer_trust(3, 1, caught=0, missed=4)
    assert careful["mean"] == 8 / 10 and careless["mean"] == 4 / 10  # Beta(8, 2), Beta(4, 6)
    assert careless["mean"] < verdicts_only["mean"] < careful["mean"]
    assert careful["catch_rate"] == 1 and careless["catch_rate"] == 0
    assert verdicts_only["catch_rate"] is None and verdicts_only["flaws"] == 0
    _, why = risk({"flags": []}, project_median_active=None, peers=0, trust=careless)
    assert why == ["writer trust 40% (17%–66%, 4 verdicts, 0/4 planted flaws caught) "
                   "(+1.2)"]


def test_trust_is_said_one_way_with_or_without_gold_catches():
    one = writer_trust(1, 0)  # Beta(2, 1)
    assert trust_words(one) == "67% (22%–97%, 1 verdict)"
    both = writer_trust(3, 1, caught=1, missed=1)  # Beta(5, 3): mean 5/8
    assert trust_words(both) == (f"62% ({both['low']:.0%}–{both['high']:.0%}, 4 verdicts, "
                                 "1/2 planted flaws caught)")
    for trust in (writer_trust(9, 1), writer_trust(3, 1, caught=0, missed=4)):
        _, why = risk({"flags": []}, project_median_active=None, peers=0, trust=trust)
        assert why == [f"writer trust {trust_words(trust)} (+{2 * (1 - trust['mean']):.1f})"]
        assert "approval" not in why[0]


def test_a_session_far_from_the_writers_own_history_ranks_higher_and_says_why():
    history = {"typing_median_ms": [190, 200, 210, 185, 205, 195],
               "active_seconds": [300, 280, 320, 310, 290, 305],
               "paste_share": [0.0, 0.02, 0.01, 0.0, 0.03, 0.0],
               "changed_fraction": [0.2, 0.25, 0.3, 0.22, 0.28, 0.26]}
    usual = {"flags": [], "typing_median_ms": 198, "active_seconds": 300, "paste_share": 0.01,
             "changed_fraction": 0.25}
    fast = {**usual, "typing_median_ms": 62}
    trust = writer_trust(5, 0)
    calm, calm_why = risk(usual, project_median_active=None, peers=0, trust=trust,
                          history=history)
    odd, odd_why = risk(fast, project_median_active=None, peers=0, trust=trust, history=history)
    assert odd == pytest.approx(calm + 1)
    assert odd_why[0] == ("typing 3.2× faster than this writer's usual over 6 submissions "
                          "(62 vs 197 ms a key) (+1)")
    # Slower than usual is not risky; too little history judges nothing.
    slow, _ = risk({**usual, "typing_median_ms": 900}, project_median_active=None, peers=0,
                   trust=trust, history=history)
    assert slow == calm
    short = {k: v[:4] for k, v in history.items()}
    assert risk(fast, project_median_active=None, peers=0, trust=trust,
                history=short)[0] == calm
    # At most two points from the writer's own history.
    wild = {**fast, "active_seconds": 20, "paste_share": 0.9, "changed_fraction": 0.01}
    assert risk(wild, project_median_active=None, peers=0, trust=trust,
                history=history)[0] == pytest.approx(calm + 2)
