"""Follow a code-point range through later edits, to know where a note's text went.

The browser follows notes with Yjs relative positions; this is the same idea on
the recorded trajectory, so the server can tell (and replay can show) where an
anchored quote sits at any seq and whether its text was deleted (orphaned).
"""

from collections.abc import Iterable


def _map_position(pos: int, ops: list[dict], sticks_right: bool) -> int:
    """Map a position in the text before `ops` to the text after them."""
    src = dst = 0  # cursor in the old text, cursor in the new text
    for op in ops:
        if "retain" in op:
            n = op["retain"]
            if pos < src + n or (pos == src + n and not sticks_right):
                return dst + (pos - src)
            src += n
            dst += n
        elif "delete" in op:
            n = op["delete"]
            if pos < src + n:
                return dst  # inside the deleted span: collapse to its start
            src += n
        elif "insert" in op:
            if pos == src and not sticks_right:
                return dst
            dst += len(op["insert"])
    return dst + (pos - src)


def transform_range(start: int, end: int, ops: list[dict]) -> tuple[int, int]:
    """Map [start, end) through one delta; text typed at either edge stays outside."""
    new_start = _map_position(start, ops, sticks_right=True)
    new_end = _map_position(end, ops, sticks_right=False)
    return new_start, max(new_start, new_end)


def follow_range(start: int, end: int, deltas: Iterable[list[dict]]) -> tuple[int, int, bool]:
    """Map a range through many deltas; return (start, end, orphaned)."""
    if start == end:
        for ops in deltas:
            start = end = _map_position(start, ops, sticks_right=True)
        return start, end, False
    for ops in deltas:
        start, end = transform_range(start, end, ops)
        if start == end:
            return start, end, True
    return start, end, False
