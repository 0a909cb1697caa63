"""One threshold table: every key the flag rules, projects and docs use is a row of it."""

import math
import re
from pathlib import Path

import pytest

from oversight.core import flags
from oversight.core.thresholds import (
    BAD_THRESHOLD,
    DEFAULT_THRESHOLDS,
    THRESHOLDS,
    UNKNOWN_THRESHOLD,
    ThresholdError,
    clean_threshold,
    thresholds_in_force,
)
from tests.core.test_flag_fixture import SESSIONS, metrics

UNITS = {"fraction", "characters", "count", "seconds", "ms", "ratio"}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "signals.md"


class Recording(dict):
    """The thresholds in force, remembering which keys a rule read."""

    def __init__(self, *args):
        super().__init__(*args)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


def test_the_flag_rules_read_exactly_the_tables_keys(monkeypatch):
    seen = Recording(DEFAULT_THRESHOLDS)

    def recorded(rule):
        return lambda s, ctx, t: rule(s, ctx, seen)

    monkeypatch.setattr(flags, "RULES", {name: recorded(rule)
                                         for name, rule in flags.RULES.items()})
    for session in SESSIONS:  # with and without notes, so every rule reaches its thresholds
        metrics(session)
        metrics({**session, "notes": 0})
    assert seen.read == set(THRESHOLDS)


def test_the_flag_rules_name_no_threshold_outside_the_table():
    source = Path(flags.__file__).read_text()
    assert set(re.findall(r't\["(\w+)"\]', source)) == set(THRESHOLDS)


@pytest.mark.parametrize("key", list(THRESHOLDS))
def test_each_row_has_a_default_in_its_range_a_unit_and_help(key):
    spec = THRESHOLDS[key]
    assert spec.low <= spec.default <= spec.high
    assert spec.unit in UNITS
    assert spec.help.strip()
    assert clean_threshold(key, spec.default) == spec.default
    assert f"`{key}`" in DOCS.read_text()  # docs/signals.md names every threshold


def test_values_outside_the_table_are_refused_with_the_tables_message():
    with pytest.raises(ThresholdError, match=re.escape(UNKNOWN_THRESHOLD.format(
            key="typing_speed", keys=", ".join(THRESHOLDS)))):
        clean_threshold("typing_speed", 1)
    for bad in ("1.5", "lots", True, math.nan, None):
        with pytest.raises(ThresholdError, match=re.escape(BAD_THRESHOLD.format(
                key="paste_heavy_share", low=0.0, high=1.0))):
            clean_threshold("paste_heavy_share", bad)
    assert clean_threshold("external_paste_min_chars", "300.0") == 300
    assert isinstance(clean_threshold("external_paste_min_chars", "300.0"), int)
    assert clean_threshold("paste_heavy_share", "1") == 1.0


def test_a_projects_overrides_keep_only_the_tables_keys():
    assert thresholds_in_force({"retired": 3, "paste_heavy_share": 0.9}) == {
        **DEFAULT_THRESHOLDS, "paste_heavy_share": 0.9}
