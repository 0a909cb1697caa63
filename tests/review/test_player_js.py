"""The player's pure JS modules under Node: code-point ops, revert, marks, the paste rule."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from oversight.core.delta import apply_ops
from oversight.core.kinds import is_paste
from tests.conftest import require_or_skip

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


PIECES_SCRIPT = """
import { readFileSync } from 'node:fs'
import { MarkedText } from '%(text)s'
import { Timeline } from '%(timeline)s'
const cases = JSON.parse(readFileSync(0, 'utf8'))
const doc = new MarkedText(cases.draft)
const undos = cases.events.map((ops, i) => doc.apply(ops, i + 1))
const out = { final: doc.toString(), marks: doc.marks, pieces: doc.pieces.length,
  longest: Math.max(...doc.pieces.map((p) => p.chars.length)) }
for (const undo of undos.reverse()) doc.revert(undo)
out.reverted = doc.toString()
const jumped = new MarkedText(cases.draft)
const before = jumped.pieces.map((p) => p.version)
jumped.replaceWith(cases.target, -1)
out.jumped = jumped.toString()
out.touched = jumped.pieces.filter((p, i) => p.version !== before[i]).length
const fetched = []
const timeline = new Timeline(cases.overview, async (from, to) => {
  fetched.push([from, to])
  return cases.timed.slice(from - 1, to)
})
out.coarse = timeline.seqAt(cases.at)
await timeline.ensure(1, 5000)
out.exact = timeline.seqAt(cases.at)
out.fetched = fetched
out.timeOf = timeline.timeOf(2600)
console.log(JSON.stringify(out))
"""


def test_long_documents_edit_in_pieces_and_jumps_touch_only_what_changed(node):
    draft = "".join(f"line {i:05d} 👍 of the draft\n" for i in range(4000))  # 88k code points
    events = [[{"retain": 50_000}, {"insert": "x" * 5000}],  # splits its piece
              [{"retain": 2040}, {"delete": 3000}],  # across pieces
              [{"retain": 10}, {"delete": 5}, {"insert": "é数"}],
              [{"retain": len(draft) + 5000 - 3000 - 5 + 2}, {"insert": "end"}]]
    timed = [{"seq": i + 1, "t_ms": 10 * (i + 1), "ops": []} for i in range(3000)]
    overview = {"last_seq": 3000, "last_t_ms": 30_000, "duration_ms": 30_000,
                "index_stride": 256, "index_t_ms": [10 * s for s in range(256, 3001, 256)],
                "bins": [], "pastes": [], "authors": [], "notes": []}
    target = draft[:60_000] + "NEW" + draft[60_010:]
    script = PIECES_SCRIPT % {"text": (STATIC / "text.js").as_uri(),
                              "timeline": (STATIC / "timeline.js").as_uri()}
    cases = {"draft": draft, "events": events, "target": target, "overview": overview,
             "timed": timed, "at": 12_345}
    done = subprocess.run([node, "--input-type=module", "-e", script], input=json.dumps(cases),
                          capture_output=True, text=True, timeout=60, check=True)
    result = json.loads(done.stdout)
    expected = draft
    for ops in events:
        expected = apply_ops(expected, ops)
    assert result["final"] == expected
    assert result["longest"] <= 2048 and result["pieces"] > 80
    assert result["marks"][50_000 - 3000] == 1 and result["marks"][10] == 3
    assert result["reverted"] == draft
    assert result["jumped"] == target and result["touched"] == 1
    assert result["coarse"] == 1024  # no events loaded: the indexed event before t
    assert result["exact"] == 1234 and result["fetched"] == [[1, 2000], [2001, 4000]]
    assert abs(result["timeOf"] - 26_000) < 1e-6


EVIDENCE_SCRIPT = """
import { evidenceOf, marksInWords, Timeline, unfocusedAt } from '%(timeline)s'
const record = JSON.parse(process.argv[1])
const timeline = new Timeline(record)
console.log(JSON.stringify({
  marked: timeline.marked, focus: timeline.focus,
  words: record.events.map((e) => evidenceOf(e)),
  markWords: marksInWords(['silent', 'untrusted', 'bogus']),
  unfocused: [99, 100, 150, 199, 200].map((t) => unfocusedAt(timeline.focus, t))
}))
"""


def test_a_full_record_gives_the_strip_the_overviews_marked_and_focus(node):
    """A record with all its events (no overview) draws the same bands and triangles."""
    events = [{"seq": 1, "t_ms": 0, "author": "w", "kind": "input.type", "ops": []},
              {"seq": 2, "t_ms": 120, "author": "w", "kind": "input.paste", "ops": [],
               "untrusted": True},
              {"seq": 3, "t_ms": 180, "author": "w", "kind": "", "ops": [], "silent": True,
               "untrusted": True, "after_refocus": True},
              {"seq": 4, "t_ms": 300, "author": "w", "kind": "", "ops": [],
               "after_refocus": True}]
    focus = [{"author": "w", "client": 1, "lost_t_ms": 100, "back_t_ms": 200}]
    script = EVIDENCE_SCRIPT % {"timeline": (STATIC / "timeline.js").as_uri()}
    done = subprocess.run([node, "--input-type=module", "-e", script,
                           json.dumps({"events": events, "notes": [], "focus": focus})],
                          capture_output=True, text=True, timeout=30, check=True)
    out = json.loads(done.stdout)
    assert out["marked"] == [  # as the server's overview has them: untrusted, silent only
        {"seq": 2, "t_ms": 120, "author": "w", "marks": ["untrusted"]},
        {"seq": 3, "t_ms": 180, "author": "w", "marks": ["untrusted", "silent"]}]
    assert out["focus"] == focus
    assert out["words"] == [[], ["untrusted input"],
                            ["untrusted input", "silent insert",
                             "first insert after the window got focus back"],
                            ["first insert after the window got focus back"]]
    assert out["markWords"] == ["silent insert", "untrusted input"]
    assert out["unfocused"] == [False, True, True, True, False]
