"""Review priority and writer trust, pinned on small cases with known answers."""

import pytest

from oversight.core.risk import risk, writer_trust


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
        "writer approval 83% (64%–97%, 10 verdicts) (+0.3)"]
    loud, why = risk({"flags": ["external_paste", "no_reasoning"], "active_seconds": 20},
                     project_median_active=200, peers=10, trust=writer_trust(1, 3))
    assert loud == pytest.approx(3 + 1 + 1 + 2 * 4 / 6, abs=0.01)
    assert why[:2] == ["2 flags (+4)", "20 s active vs the project's median 3 min (+1)"]
    # Too few peers: no outlier judged; no verdicts yet: a small unknown.
    _, why = risk({"flags": [], "active_seconds": 1}, project_median_active=200, peers=2,
                  trust=None)
    assert why == ["writer has no verdicts yet (+0.5)"]
