"""Each flag pinned on labelled sessions: raised on the cheats, silent on honest work.

tests/data/signals-fixture.json holds one small session of every group of the
calibration corpus (bench/signals_calibration.py --write-fixture): planted cheats of
each kind (those only the browser's evidence shows too), simulated and scripted honest
sessions, and two real CoAuthor sessions
(one with accepted GPT-3 text, one without; see tests/data/ATTRIBUTION.md).
"""

import json
from pathlib import Path

import pytest

from oversight.core.signals import compute_signals
from oversight.core.trajectory import event_from_dict

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "signals-fixture.json"
SESSIONS = json.loads(FIXTURE.read_text())["sessions"]
FLAGS = ("rubber_stamp", "paste_heavy", "synthetic_typing", "external_paste",
         "paste_then_polish", "burst_only", "untrusted_input")


def metrics(s):
    return compute_signals(s["draft"], s["final"], [event_from_dict(e) for e in s["events"]],
                           s["notes"], s["opened_ms"], s["submitted_ms"], {},
                           known_texts=tuple(s["known_texts"]))


@pytest.mark.parametrize("session", SESSIONS, ids=[s["name"] for s in SESSIONS])
def test_each_labelled_flag_is_raised_exactly_where_the_label_says(session):
    m = metrics(session)
    raised = set(m["flags"])
    for flag, expected in session["labels"].items():
        assert (flag in raised) == expected, (flag, m["flag_reasons"])
    for flag in raised:  # every raised flag explains itself
        assert any(ch.isdigit() for ch in m["flag_reasons"][flag])


def test_every_flag_has_an_honest_and_a_cheating_session():
    for flag in FLAGS:
        labels = [s["labels"].get(flag) for s in SESSIONS]
        assert True in labels and False in labels, flag
    assert any(s["group"] == "coauthor" for s in SESSIONS)


def test_the_evidence_cheats_are_caught_by_the_marks_alone():
    """Stripped of the browser's marks, they pass for honest work (docs/signals.md)."""
    cheats = [s for s in SESSIONS
              if s["group"] in ("cheat-silent-insert", "cheat-untrusted-typer")]
    assert len(cheats) == 2
    for s in cheats:
        assert metrics(s)["flags"]
        bare = {**s, "events": [{k: v for k, v in e.items()
                                 if k not in ("untrusted", "silent", "after_refocus",
                                              "paste_source")} for e in s["events"]]}
        assert metrics(bare)["flags"] == [], s["name"]
