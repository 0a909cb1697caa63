"""Hypothesis runs few examples in the inner loop and more in CI, picked by the environment."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import HYPOTHESIS_PROFILES, hypothesis_profile


def test_the_profile_follows_hypothesis_profile_then_ci(monkeypatch):
    monkeypatch.delenv("HYPOTHESIS_PROFILE", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert hypothesis_profile() == "dev"
    monkeypatch.setenv("CI", "true")
    assert hypothesis_profile() == "ci"
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "dev")
    assert hypothesis_profile() == "dev"
    assert HYPOTHESIS_PROFILES["ci"] >= 5 * HYPOTHESIS_PROFILES["dev"]


def test_the_loaded_profile_sets_the_examples_a_property_gets():
    assert settings.default.max_examples == HYPOTHESIS_PROFILES[hypothesis_profile()]
    assert settings.default.deadline is None
    seen = []

    @given(st.integers())
    def prop(n):
        seen.append(n)

    prop()
    assert len(seen) <= settings.default.max_examples + 1  # +1: the shrink replay
