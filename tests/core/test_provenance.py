"""Provenance of every code point, against a brute-force per-character model."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.core.delta import apply_ops
from oversight.core.kinds import infer_kind
from oversight.core.provenance import (
    ProvenanceError,
    event_origin,
    final_shares,
    provenance_at,
)
from oversight.core.trajectory import Event

from .factories import event

KINDS = ("input.type", "input.paste", "model.assist", "", "delete.backward", "undo",
         "input.drop", "select.pointer")
AUTHORS = ("ana", "bo", "cy")


def brute_force(draft: str, events: list[Event]) -> list[tuple[str, str, int]]:
    """One (origin, author, seq) per code point, written without the tracker's code."""
    chars = [("draft", "model-x", 0)] * len(draft)
    for e in events:
        origin = expected_origin(e.kind, e.inferred_kind)
        pos, out = 0, []
        for op in e.ops:
            if "retain" in op:
                out += chars[pos:pos + op["retain"]]
                pos += op["retain"]
            elif "delete" in op:
                pos += op["delete"]
            else:
                out += [(origin, e.author, e.seq)] * len(op["insert"])
        chars = out + chars[pos:]
    return chars


def expected_origin(kind: str, inferred: str) -> str:
    """The documented table, spelled out case by case."""
    if kind == "model.assist":
        return "model.assist"
    if kind in ("input.paste",):
        return "pasted"
    if kind in ("input.drop", "undo", "delete.backward"):
        return "other"
    if kind == "input.type":
        return "typed"
    # No kind, or one that is not an edit's: the delta decides.
    return "pasted" if inferred == "paste-like" else "typed"


def merged(chars, t_ms) -> list[dict]:
    runs = []
    for i, (origin, author, seq) in enumerate(chars):
        if runs and (runs[-1]["origin"], runs[-1]["author"]) == (origin, author):
            run = runs[-1]
            run["end"] = i + 1
            run["seqs"].append(seq)
        else:
            runs.append({"start": i, "end": i + 1, "origin": origin, "author": author,
                         "seqs": [seq]})
    for run in runs:
        seqs = run.pop("seqs")
        run.update(first_seq=min(seqs), last_seq=max(seqs), first_t_ms=t_ms[min(seqs)],
                   last_t_ms=t_ms[max(seqs)])
    return runs


@st.composite
def edit(draw, size: int) -> list[dict]:
    """A delta of one or more changes across a text of `size` code points."""
    ops, pos = [], 0
    for _ in range(draw(st.integers(1, 3))):
        if pos > size:
            break
        skip = draw(st.integers(0, size - pos))
        if skip:
            ops.append({"retain": skip})
        pos += skip
        deleted = draw(st.integers(0, min(4, size - pos)))
        if deleted:
            ops.append({"delete": deleted})
            pos += deleted
        inserted = draw(st.one_of(st.text("ab\n", min_size=1, max_size=3),
                                  st.text("xyz \n", min_size=20, max_size=24),
                                  st.just("")))
        if inserted:
            ops.append({"insert": inserted})
    return ops


@st.composite
def trajectories(draw):
    draft = draw(st.text("dr\n", max_size=12))
    text, events = draft, []
    for seq in range(1, draw(st.integers(0, 25)) + 1):
        ops = draw(edit(len(text)))
        events.append(Event(seq=seq, t_ms=seq * 10 + draw(st.integers(0, 9)),
                            author=draw(st.sampled_from(AUTHORS)), client=seq % 3, round=1,
                            kind=draw(st.sampled_from(KINDS)), inferred_kind=infer_kind(ops),
                            ops=ops))
        text = apply_ops(text, ops)
    return draft, events


@settings(deadline=None)
@given(trajectories())
def test_provenance_at_every_seq_matches_brute_force(case):
    draft, events = case
    t_ms = [0] + [e.t_ms for e in events]
    text = draft
    for seq in range(len(events) + 1):
        if seq:
            text = apply_ops(text, events[seq - 1].ops)
        tracker = provenance_at(draft, events, seq, draft_author="model-x")
        chars = brute_force(draft, events[:seq])
        assert len(chars) == len(text)
        assert tracker.runs() == merged(chars, t_ms)
        counts = {o: 0 for o in ("draft", "typed", "pasted", "model.assist", "other")}
        for origin, _, _ in chars:
            counts[origin] += 1
        assert tracker.counts() == counts


def test_typing_inside_a_model_span_splits_it_and_deleting_removes_it():
    events = [event(1, [{"retain": 4}, {"insert": "SUGGESTED"}], kind="model.assist"),
              event(2, [{"retain": 8}, {"insert": "x"}], author="bo"),
              event(3, [{"retain": 4}, {"delete": 2}], kind="delete.backward")]
    runs = provenance_at("abcdefgh", events, draft_author="m").runs()
    assert [(r["start"], r["end"], r["origin"], r["author"]) for r in runs] == [
        (0, 4, "draft", "m"), (4, 6, "model.assist", "ana"), (6, 7, "typed", "bo"),
        (7, 12, "model.assist", "ana"), (12, 16, "draft", "m")]


def test_a_stock_client_gets_the_inferred_kind():
    assert event_origin("", "typed") == "typed"
    assert event_origin("", "paste-like") == "pasted"
    assert event_origin("input.paste", "typed") == "pasted"
    assert event_origin("input.drop", "paste-like") == "other"


def test_shares_are_of_the_final_text():
    events = [event(1, [{"insert": "x" * 30}], kind="input.paste"),
              event(2, [{"retain": 30}, {"insert": "y"}])]
    tracker = provenance_at("d" * 9, events)
    shares = final_shares(tracker.counts())
    assert shares == {"final_share_draft": 9 / 40, "final_share_typed": 1 / 40,
                      "final_share_pasted": 30 / 40, "final_share_model": 0.0}
    assert final_shares(provenance_at("", []).counts())["final_share_typed"] == 0.0


def test_events_that_do_not_fit_are_an_error():
    with pytest.raises(ProvenanceError, match="beyond the text"):
        provenance_at("abc", [event(1, [{"retain": 2}, {"delete": 5}])])
    with pytest.raises(ProvenanceError, match="expected event seq 1, got 2"):
        provenance_at("abc", [event(2, [{"insert": "x"}])])
    with pytest.raises(ProvenanceError, match="expected event seq 2, got 5"):
        provenance_at("abc", [event(1, [{"insert": "x"}])], 5)
