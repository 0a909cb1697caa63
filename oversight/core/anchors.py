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


def _shift_range(start: int, end: int, ops: list[dict]) -> tuple[int, int]:
    """Return transform_range(start, end, ops), the common edits shortcut.

    An edit is mostly `[retain r, insert s]` or `[retain r, delete n]`: after the range
    (r >= end) it leaves the range as it is, before it (r < start, r + n <= start) it
    shifts both ends alike; transform_range gives the same, only slower.
    """
    if len(ops) == 2 and "retain" in ops[0]:
        at, op = ops[0]["retain"], ops[1]
        if at >= end:
            return start, end
        if at < start:
            if "insert" in op:
                shift = len(op["insert"])
                return start + shift, end + shift
            if "delete" in op and at + op["delete"] <= start:
                shift = op["delete"]
                return start - shift, end - shift
    return transform_range(start, end, ops)


def orphaned_notes(notes: Iterable[tuple], events: Iterable[tuple[int, list[dict]]]) -> set:
    """Return the keys of the notes all of whose quoted text later events deleted.

    `notes` are (key, seq, start, end): a range of the text right after event `seq`;
    `events` are (seq, ops) in seq order. The one computation of orphaned notes, for
    the notes API and the trajectory record alike; an empty range is never orphaned
    (as with follow_range), and each note only follows the events after its own seq.
    """
    live = {key: (seq, start, end) for key, seq, start, end in notes if end > start}
    orphaned = set()
    for seq, ops in events:
        if not live:
            break
        for key, (note_seq, start, end) in list(live.items()):
            if seq <= note_seq:
                continue
            start, end = _shift_range(start, end, ops)
            if start == end:
                orphaned.add(key)
                del live[key]
            else:
                live[key] = (note_seq, start, end)
    return orphaned
