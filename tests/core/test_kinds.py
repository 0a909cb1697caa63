"""Edit kinds: inferred from the delta, mapped with the reported userEvent to a category."""

import pytest

from oversight.core.kinds import (
    PASTE_LIKE_MIN_CHARS,
    category,
    infer_kind,
    is_paste,
)


def test_a_short_insert_is_typed():
    assert infer_kind([{"retain": 3}, {"insert": "a"}]) == "typed"
    assert infer_kind([{"insert": "x" * (PASTE_LIKE_MIN_CHARS - 1)}]) == "typed"


def test_a_long_insert_is_paste_like():
    assert PASTE_LIKE_MIN_CHARS == 20
    assert infer_kind([{"insert": "数" * 20}]) == "paste-like"


def test_three_line_breaks_are_paste_like_but_enter_with_auto_indent_is_not():
    assert infer_kind([{"insert": "a\nb\nc\n"}]) == "paste-like"
    assert infer_kind([{"insert": "\n    \n"}]) == "typed"


def test_deletions_replacements_and_noops():
    assert infer_kind([{"retain": 2}, {"delete": 4}]) == "deleted"
    assert infer_kind([{"delete": 4}, {"insert": "word"}]) == "replaced"
    assert infer_kind([{"delete": 1}, {"insert": "y" * 25}]) == "paste-like"
    assert infer_kind([]) == "noop"
    assert infer_kind([{"retain": 5}]) == "noop"


@pytest.mark.parametrize(("reported", "expected"), [
    ("input.type", "typed"), ("input.type.compose", "typed"), ("input.complete", "typed"),
    ("input.paste", "pasted"), ("input.drop", "pasted"), ("move.drop", "pasted"),
    ("delete.backward", "deleted"), ("delete.forward", "deleted"), ("delete.cut", "deleted"),
    ("delete.selection", "deleted"), ("undo", "undone"), ("redo", "undone"),
])
def test_a_reported_user_event_decides_the_category(reported, expected):
    # The inferred kind disagrees on purpose: the report wins.
    assert category(reported, "paste-like" if expected != "pasted" else "typed") == expected


@pytest.mark.parametrize(("inferred", "expected"), [
    ("typed", "typed"), ("paste-like", "pasted"), ("deleted", "deleted"),
    ("replaced", "typed"), ("noop", "typed"),
])
def test_without_a_report_the_inferred_kind_decides(inferred, expected):
    assert category("", inferred) == expected


def test_an_unfamiliar_user_event_falls_back_on_the_delta():
    assert category("select.pointer", "deleted") == "deleted"


def test_paste_means_reported_paste_or_drop_or_unreported_and_paste_like():
    assert is_paste("input.paste", "typed")
    assert is_paste("input.drop", "typed")
    assert is_paste("move.drop", "typed")
    assert is_paste("", "paste-like")
    assert not is_paste("input.type", "paste-like")  # e.g. an autocompletion
    assert not is_paste("undo", "paste-like")
    assert not is_paste("", "typed")
