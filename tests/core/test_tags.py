"""The one delta walker (`core.tags`) against a naive replay of (character, tag) pairs."""

from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.core.delta import apply_ops
from oversight.core.gold import final_identities
from oversight.core.provenance import provenance_at
from oversight.core.tags import beyond, constant, draft_indexes, follow, splice

TEXT = st.text(alphabet=st.sampled_from("ab é😀\n"), max_size=12)


def naive(chars: list[tuple[str, int]], ops: list[dict], tag: int) -> list[tuple[str, int]]:
    """Replay one delta on (character, tag) pairs by copying, op by op."""
    out, pos = [], 0
    for op in ops:
        if "retain" in op:
            out += chars[pos:pos + op["retain"]]
            pos += op["retain"]
        elif "delete" in op:
            pos += op["delete"]
        else:
            out += [(c, tag) for c in op["insert"]]
    return out + chars[pos:]


@st.composite
def delta(draw, size: int) -> list[dict]:
    """A delta that fits a text of `size` code points: retains, deletes and inserts."""
    ops, pos = [], 0
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(("retain", "delete", "insert")))
        if kind == "insert":
            ops.append({"insert": draw(TEXT.filter(bool))})
        elif pos < size:
            n = draw(st.integers(1, size - pos))
            ops.append({kind: n})
            pos += n
    return ops


@st.composite
def history(draw) -> tuple[str, list[list[dict]]]:
    draft = draw(TEXT)
    text, deltas = draft, []
    for _ in range(draw(st.integers(0, 6))):
        ops = draw(delta(len(text)))
        deltas.append(ops)
        text = apply_ops(text, ops)
    return draft, deltas


@given(history())
def test_the_walker_agrees_with_a_naive_replay(case):
    draft, deltas = case
    chars = [(c, i) for i, c in enumerate(draft)]
    for number, ops in enumerate(deltas, start=1):
        chars = naive(chars, ops, -number)
    tags = follow(draft_indexes(len(draft)),
                  ((ops, -number) for number, ops in enumerate(deltas, start=1)))
    assert list(tags) == [tag for _, tag in chars]
    # Both callers are the walker: gold's identities and provenance's seqs.
    assert list(final_identities(len(draft), deltas)) == [
        t if t >= 0 else -1 for _, t in chars]
    events = [{"seq": n, "ops": ops} for n, ops in enumerate(deltas, start=1)]
    assert list(provenance_at(draft, events).seqs) == [
        -t if t < 0 else 0 for _, t in chars]
    # And the tags cover exactly the replayed text.
    assert "".join(c for c, _ in chars) == _replayed(draft, deltas)


def _replayed(draft: str, deltas: list[list[dict]]) -> str:
    for ops in deltas:
        draft = apply_ops(draft, ops)
    return draft


def test_splice_keeps_the_arrays_type_and_tags_an_insert_once_per_code_point():
    tags = constant(3, 7, "I")
    splice(tags, [{"retain": 1}, {"insert": "😀é"}, {"delete": 1}], 9)
    assert tags.typecode == "I" and list(tags) == [7, 9, 9, 7]


@pytest.mark.parametrize(("ops", "reached"), [
    ([{"retain": 2}, {"insert": "x"}, {"delete": 1}], None),
    ([{"retain": 3}], None),
    ([{"retain": 2}, {"delete": 2}], 4),
    ([{"insert": "xyz"}, {"retain": 4}], 4),
    ([{"retain": -1}], -1),
])
def test_beyond_names_the_code_point_a_delta_reaches_past_the_text(ops, reached):
    assert beyond(array("i", range(3)), ops) == reached
