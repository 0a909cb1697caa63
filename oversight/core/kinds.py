"""Edit kinds: what the client reported, what the delta suggests, and the product category.

Reported kinds are CodeMirror userEvent strings ("input.type", "input.paste",
"delete.backward", "undo", ...) or "" when the client sends no metadata. The
inferred kind comes from the delta alone, for stock clients and as a cross-check.

Inference rule: an insert is paste-like when it brings at least
PASTE_LIKE_MIN_CHARS code points, or at least PASTE_LIKE_MIN_NEWLINES line breaks.
Typing inserts one character at a time, an IME composition a few, and Enter
between brackets with auto-indent inserts two line breaks ("\\n  \\n"): so three
line breaks, or a 20-character run, is more than a keystroke makes.
"""

from functools import lru_cache

from .delta import ops_deleted_count, ops_inserted

PASTE_LIKE_MIN_CHARS = 20
PASTE_LIKE_MIN_NEWLINES = 3

TYPED = "typed"
PASTE_LIKE = "paste-like"
DELETED = "deleted"
REPLACED = "replaced"
NOOP = "noop"
INFERRED_KINDS = (TYPED, PASTE_LIKE, DELETED, REPLACED, NOOP)

PASTED = "pasted"
UNDONE = "undone"
CATEGORIES = (TYPED, PASTED, DELETED, UNDONE)

PASTE_EVENTS = frozenset({"input.paste", "input.drop", "move.drop"})
UNDO_EVENTS = frozenset({"undo", "redo"})


def is_paste_like_text(inserted: str) -> bool:
    """Tell whether inserted text is more than a keystroke or a composition makes."""
    return (len(inserted) >= PASTE_LIKE_MIN_CHARS
            or inserted.count("\n") >= PASTE_LIKE_MIN_NEWLINES)


def infer_kind(ops: list[dict]) -> str:
    """Return the kind the delta suggests: typed, paste-like, deleted, replaced or noop."""
    inserted = ops_inserted(ops)
    deleted = ops_deleted_count(ops)
    if not inserted:
        return DELETED if deleted else NOOP
    if is_paste_like_text(inserted):
        return PASTE_LIKE
    return REPLACED if deleted else TYPED


def _event_family(reported: str) -> str:
    """Return the first dotted part of a userEvent ("delete.backward" -> "delete")."""
    return reported.split(".", 1)[0]


def _is_reported_paste(reported: str) -> bool:
    return any(reported == e or reported.startswith(e + ".") for e in PASTE_EVENTS)


@lru_cache(maxsize=4096)  # a pure function of two short strings, asked once per event
def category(reported: str, inferred: str) -> str:
    """Return the product category of an edit: typed, pasted, deleted or undone."""
    if reported:
        family = _event_family(reported)
        if family in UNDO_EVENTS:
            return UNDONE
        if _is_reported_paste(reported):
            return PASTED
        if family == "delete":
            return DELETED
        if family == "input":
            return TYPED
    # No (or an unfamiliar) userEvent: judge by the delta.
    if inferred == PASTE_LIKE:
        return PASTED
    if inferred == DELETED:
        return DELETED
    return TYPED


def is_paste(reported: str, inferred: str) -> bool:
    """Tell whether an edit counts as a paste: reported so, or unreported and paste-like."""
    # Same decision as category(), so paste_share and the "pasted" category agree;
    # an unfamiliar userEvent (e.g. "select.pointer") falls back on the delta too.
    return category(reported, inferred) == PASTED
