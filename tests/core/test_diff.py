"""Word and line diffs: readable segments that rebuild both texts, and two-column rows."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.core.diff import diff_for, line_diff, side_by_side, word_diff


def old_text(segments):
    return "".join(t for op, t in segments if op in ("equal", "delete"))


def new_text(segments):
    return "".join(t for op, t in segments if op in ("equal", "insert"))


def test_a_changed_word_is_replaced_whole():
    assert word_diff("The cat sat down.", "The dog sat down.") == [
        ("equal", "The "), ("delete", "cat"), ("insert", "dog"), ("equal", " sat down.")]


def test_a_word_diff_never_splits_a_word():
    segments = word_diff("colour and flavour", "color and flavor")
    assert segments == [("delete", "colour"), ("insert", "color"), ("equal", " and "),
                        ("delete", "flavour"), ("insert", "flavor")]


def test_identical_and_empty_texts():
    assert word_diff("same text", "same text") == [("equal", "same text")]
    assert word_diff("", "") == []
    assert word_diff("", "new") == [("insert", "new")]
    assert line_diff("a\n", "") == [("delete", "a\n")]


def test_a_line_diff_works_on_whole_lines():
    a = "def f():\n    return 1\n"
    b = "def f():\n    return 2\n"
    assert line_diff(a, b) == [("equal", "def f():\n"), ("delete", "    return 1\n"),
                               ("insert", "    return 2\n")]


def test_the_project_kind_chooses_words_or_lines():
    assert diff_for("prose", "a b", "a c") == word_diff("a b", "a c")
    assert diff_for("code", "a b", "a c") == [("delete", "a b"), ("insert", "a c")]
    with pytest.raises(ValueError, match="unknown diff kind 'poetry'"):
        diff_for("poetry", "a", "b")


def test_side_by_side_pairs_a_deletion_with_the_following_insertion():
    rows = side_by_side([("equal", "The "), ("delete", "cat"), ("insert", "dog"),
                         ("equal", " sat"), ("delete", " down"), ("insert", "!")])
    assert rows == [
        {"left": "The ", "right": "The ", "op": "equal"},
        {"left": "cat", "right": "dog", "op": "replace"},
        {"left": " sat", "right": " sat", "op": "equal"},
        {"left": " down", "right": "!", "op": "replace"},
    ]
    assert side_by_side([("insert", "a"), ("delete", "b")]) == [
        {"left": "", "right": "a", "op": "insert"}, {"left": "b", "right": "", "op": "delete"}]


PIECES = ["the", "cat", "数据", "👍🏽", "e\u0301", " ", "\n", ",", "x = 1"]
words = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@settings(deadline=None)
@given(a=words, b=words, kind=st.sampled_from(["prose", "code"]))
def test_segments_rebuild_both_texts(a, b, kind):
    segments = diff_for(kind, a, b)
    assert old_text(segments) == a
    assert new_text(segments) == b
    assert all(text for _, text in segments)
    assert all(x[0] != y[0] for x, y in zip(segments, segments[1:], strict=False))
    rows = side_by_side(segments)
    assert "".join(r["left"] for r in rows) == a
    assert "".join(r["right"] for r in rows) == b


def test_a_word_diff_does_not_depend_on_how_busy_the_machine_is(monkeypatch):
    import sys

    dmp_module = sys.modules["diff_match_patch.diff_match_patch"]

    words = [f"w{i}" for i in range(3000)]
    a = " ".join(words)
    b = " ".join(w if i % 7 else w + "x" for i, w in enumerate(words))
    calm = word_diff(a, b)
    clock = iter(range(0, 10**9, 1000))  # every look at the clock: 1000 s later
    monkeypatch.setattr(dmp_module.time, "time", lambda: next(clock))
    assert word_diff(a, b) == calm


class _BusyClock:
    """A clock on a loaded machine: every reading is five seconds after the last."""

    def __init__(self):
        self.now = 0.0

    def time(self):
        self.now += 5.0
        return self.now


def _dmp_module():
    # The package re-exports the class under the module's name: reach the module itself.
    import sys

    import diff_match_patch  # noqa: F401
    return sys.modules["diff_match_patch.diff_match_patch"]


def _edited_pair(seed: int = 7, words: int = 3000) -> tuple[str, str]:
    import random
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(400)]
    old = [rng.choice(vocabulary) for _ in range(words)]
    new = list(old)
    for _ in range(words // 10):  # scattered replacements, inserts and deletes
        i = rng.randrange(len(new))
        action = rng.random()
        if action < 0.4:
            new[i] = rng.choice(vocabulary)
        elif action < 0.7:
            new.insert(i, rng.choice(vocabulary))
        else:
            del new[i]
    return " ".join(old), " ".join(new)


def test_a_word_diff_is_the_same_on_a_busy_machine(monkeypatch):
    """dmp's default 1 s limit would cut the diff short when the clock runs fast."""
    dmp_module = _dmp_module()

    a, b = _edited_pair()
    calm = word_diff(a, b)
    assert word_diff(a, b) == calm
    monkeypatch.setattr(dmp_module, "time", _BusyClock())
    busy = word_diff(a, b)
    assert busy == calm
    assert old_text(busy) == a and new_text(busy) == b


def test_the_busy_clock_would_change_a_time_limited_diff(monkeypatch):
    """The test above can fail: with the 1 s limit the same input gives a coarser diff."""
    dmp_module = _dmp_module()

    a, b = _edited_pair()

    def limited(x, y):
        dmp = dmp_module.diff_match_patch()
        dmp.Diff_Timeout = 1.0
        return dmp.diff_main(x, y, False)

    calm = limited(a, b)
    monkeypatch.setattr(dmp_module, "time", _BusyClock())
    assert limited(a, b) != calm
