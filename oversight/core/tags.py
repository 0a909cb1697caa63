"""One int tag per code point of a text, followed through deltas: the one delta walker.

Provenance tags each code point with the seq of the event that inserted it (0: the
draft); gold tags each with its index in the draft (-1: inserted by the writer). Both
are the same walk: a retained code point keeps its tag, an inserted one gets the
event's tag, a deleted one is dropped. The tags live in a compact `array` so an edit
is one slice assignment (a memmove): a 260k-event trace costs little more than its
plain replay.
"""

from array import array
from collections.abc import Iterable


def draft_indexes(size: int) -> array:
    """Tags for a draft of `size` code points: each one its own index ('i': signed)."""
    return array("i", range(size))


def constant(size: int, tag: int = 0, typecode: str = "I") -> array:
    """Tags for a text of `size` code points all carrying `tag`."""
    return array(typecode, (tag,)) * size


def beyond(tags: array, ops: list[dict]) -> int | None:
    """Return the code point a retain or delete of `ops` reaches past the text, or None.

    A negative count counts as beyond; a count that is no number raises TypeError (the
    caller names the event).
    """
    pos, size = 0, len(tags)
    for op in ops:
        if "insert" in op:
            continue
        n = op.get("retain", op.get("delete", 0))
        if type(n) is not int or n < 0 or pos + n > size:
            return pos + n
        pos += n
    return None


def splice(tags: array, ops: list[dict], tag: int) -> None:
    """Follow one delta in place: retained tags stay, inserted code points get `tag`."""
    pos = 0
    for op in ops:
        if "retain" in op:
            pos += op["retain"]
        elif "insert" in op:
            n = len(op["insert"])
            tags[pos:pos] = array(tags.typecode, (tag,)) * n
            pos += n
        elif "delete" in op:
            del tags[pos:pos + op["delete"]]


def follow(tags: array, deltas: Iterable[tuple[list[dict], int]]) -> array:
    """Follow (ops, tag) pairs in order, in place; return the tags."""
    for ops, tag in deltas:
        splice(tags, ops, tag)
    return tags
