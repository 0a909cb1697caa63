"""The player's pure JS modules under Node: code-point ops, revert, marks, the paste rule."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from oversight.core.delta import apply_ops
from tests.conftest import require_or_skip
from tests.core.helpers import is_paste

pytestmark = pytest.mark.node

STATIC = Path(__file__).resolve().parents[2] / "static" / "review"

SCRIPT = """
import { MarkedText, caretAfter, marksFromDiff, codePointLength } from '%(text)s'
import { isPaste, Timeline } from '%(timeline)s'
const cases = JSON.parse(process.argv[1])
const out = {}
const doc = new MarkedText(cases.draft)
const undos = cases.events.map((ops, i) => doc.apply(ops, i + 1))
out.final = doc.toString()
out.marks = doc.marks.slice()
out.caret = caretAfter(cases.events[cases.events.length - 1])
for (const undo of undos.reverse()) doc.revert(undo)
out.reverted = doc.toString()
out.revertedMarks = doc.marks
out.diffMarks = marksFromDiff(cases.segments)
out.length = codePointLength(cases.draft)
out.pastes = cases.kinds.map(([kind, inferred]) => isPaste(kind, inferred))
const timeline = new Timeline({ events: cases.timed, notes: [] })
out.seqAt = [0, 999, 1000, 1500, 5000].map((t) => timeline.seqAt(t))
console.log(JSON.stringify(out))
"""

KINDS = [("input.type", "paste-like"), ("input.paste", "typed"), ("input.drop", "typed"),
         ("move.drop", "typed"), ("", "paste-like"), ("", "typed"), ("undo", "paste-like"),
         ("delete.cut", "deleted"), ("select.pointer", "paste-like"), ("input.paste.x", "typed")]


@pytest.fixture(scope="module")
def node():
    found = shutil.which("node")
    require_or_skip(found, "Node.js (`node`) is not on PATH")
    return found


def run(node, cases: dict) -> dict:
    script = SCRIPT % {"text": (STATIC / "text.js").as_uri(),
                       "timeline": (STATIC / "timeline.js").as_uri()}
    done = subprocess.run([node, "--input-type=module", "-e", script, json.dumps(cases)],
                          capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)


def test_ops_count_code_points_and_revert_exactly(node):
    draft = "a👍🏽b 数据"
    events = [[{"retain": 1}, {"delete": 2}, {"insert": "🇺🇳"}],  # replace the astral emoji
              [{"retain": 5}, {"insert": "é!"}],
              [{"delete": 1}]]
    result = run(node, {"draft": draft, "events": events, "segments": [], "kinds": [],
                        "timed": []})
    expected = draft
    for ops in events:
        expected = apply_ops(expected, ops)
    assert result["final"] == expected == "🇺🇳b é!数据"
    assert result["marks"] == [1, 1, 0, 0, 2, 2, 0, 0]
    assert result["caret"] == 0
    assert result["reverted"] == draft and result["revertedMarks"] == [0] * 7
    assert result["length"] == 7


def test_marks_from_a_diff_cover_the_new_text(node):
    segments = [{"op": "equal", "text": "The 👍 "}, {"op": "delete", "text": "old"},
                {"op": "insert", "text": "new"}]
    result = run(node, {"draft": "", "events": [[]], "segments": segments, "kinds": [],
                        "timed": []})
    assert result["diffMarks"] == [0] * 6 + [-1] * 3


def test_the_paste_rule_matches_the_server(node):
    result = run(node, {"draft": "", "events": [[]], "segments": [], "kinds": KINDS,
                        "timed": []})
    assert result["pastes"] == [is_paste(kind, inferred) for kind, inferred in KINDS]


def test_time_maps_to_the_number_of_events_done(node):
    timed = [{"seq": i + 1, "t_ms": t, "ops": []} for i, t in enumerate([1000, 1000, 2000])]
    result = run(node, {"draft": "", "events": [[]], "segments": [], "kinds": [],
                        "timed": timed})
    assert result["seqAt"] == [0, 0, 2, 2, 3]
