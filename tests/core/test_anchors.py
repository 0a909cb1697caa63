"""A note's range follows its text through edits, and is orphaned when the text goes."""

from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.core.anchors import _shift_range, follow_range, orphaned_notes, transform_range


def apply(text, ops):
    out, i = [], 0
    for op in ops:
        if "retain" in op:
            out.append(text[i:i + op["retain"]])
            i += op["retain"]
        elif "delete" in op:
            i += op["delete"]
        else:
            out.append(op["insert"])
    return "".join(out) + text[i:]


def test_an_insert_before_the_range_shifts_it():
    assert transform_range(4, 9, [{"insert": "abc"}]) == (7, 12)


def test_typing_at_either_edge_stays_outside_the_range():
    text = "say hello now"
    start, end = 4, 9
    ops_left = [{"retain": 4}, {"insert": "X"}]
    ops_right = [{"retain": 9}, {"insert": "Y"}]
    s, e = transform_range(start, end, ops_left)
    assert apply(text, ops_left)[s:e] == "hello"
    s, e = transform_range(start, end, ops_right)
    assert apply(text, ops_right)[s:e] == "hello"


def test_a_deletion_inside_shrinks_it():
    assert transform_range(4, 9, [{"retain": 5}, {"delete": 2}]) == (4, 7)


def test_deleting_the_whole_quote_orphans_the_note():
    start, end, orphaned = follow_range(4, 9, [[{"retain": 3}, {"delete": 8}]])
    assert orphaned and start == end == 3


def test_a_range_survives_unrelated_edits():
    deltas = [[{"retain": 12}, {"insert": "!!"}], [{"delete": 2}]]
    assert follow_range(4, 9, deltas) == (2, 7, False)


words = st.text(alphabet="ab数👩\u0301 ", min_size=0, max_size=6)


@st.composite
def edit(draw, length):
    at = draw(st.integers(0, length))
    delete = draw(st.integers(0, length - at))
    insert = draw(words)
    ops = ([{"retain": at}] if at else []) + ([{"delete": delete}] if delete else [])
    return ops + ([{"insert": insert}] if insert else [])


@settings(deadline=None)
@given(data=st.data(), text=st.text(alphabet="xyz数👩\u0301", min_size=2, max_size=30))
def test_untouched_quote_text_is_still_found_at_the_mapped_range(data, text):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    ops = data.draw(edit(len(text)))
    after = apply(text, ops)
    s, e = transform_range(start, end, ops)
    # Characters of the quote that survived are exactly what lies in the mapped range
    # when the edit happened outside the range.
    edit_start = ops[0]["retain"] if ops and "retain" in ops[0] else 0
    deleted = sum(op.get("delete", 0) for op in ops)
    if edit_start + deleted <= start or edit_start >= end:
        assert after[s:e] == text[start:end]
    assert 0 <= s <= e <= len(after)


# -- the one computation of orphaned notes -------------------------------------------

OPS = st.lists(st.one_of(
    st.builds(lambda n: {"retain": n}, st.integers(0, 12)),
    st.builds(lambda n: {"delete": n}, st.integers(0, 4)),
    st.builds(lambda s: {"insert": s}, st.text("ab\n", max_size=4))), max_size=4)


@settings(deadline=None)
@given(start=st.integers(0, 10), length=st.integers(0, 6), ops=OPS)
def test_the_common_edit_shortcut_is_transform_range(start, length, ops):
    assert _shift_range(start, start + length, ops) == transform_range(start, start + length, ops)


@settings(deadline=None)
@given(notes=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 10), st.integers(0, 6)),
                      max_size=5),
       deltas=st.lists(OPS, max_size=12))
def test_orphaned_notes_agrees_with_following_each_note_alone(notes, deltas):
    events = list(enumerate(deltas, start=1))
    spans = [(key, seq, start, start + length)
             for key, (seq, start, length) in enumerate(notes)]
    expected = {key for key, seq, start, end in spans
                if follow_range(start, end, (ops for s, ops in events if s > seq))[2]}
    assert orphaned_notes(spans, iter(events)) == expected


def test_an_empty_range_and_earlier_edits_never_orphan():
    events = [(1, [{"delete": 5}]), (2, [{"insert": "new"}]), (3, [{"delete": 3}])]
    # Note 1 quotes "new" after seq 2, deleted at seq 3; note 2 is empty; note 3 was
    # written after the deletion of seq 1 and quotes nothing it deleted.
    assert orphaned_notes([(1, 2, 0, 3), (2, 0, 0, 0), (3, 3, 0, 0)], events) == {1}
