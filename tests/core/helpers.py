"""Helpers only the tests use, kept out of the production modules they once lived in."""

from oversight.core.delta import _count, _inserted, _op_kind, common_prefix, common_suffix
from oversight.core.replay import CHECKPOINT_EVERY


def normalize_ops(ops: list[dict]) -> list[dict]:
    """Merge adjacent ops of one kind, drop empty ops, attributes and the trailing retain."""
    out: list[dict] = []
    for op in ops:
        kind = _op_kind(op)
        value = _inserted(op) if kind == "insert" else _count(op, kind)
        if not value:
            continue
        if out and kind in out[-1]:
            out[-1][kind] += value
        else:
            out.append({kind: value})
    if out and "retain" in out[-1]:
        out.pop()
    return out


def ops_from_diff(before: str, after: str) -> list[dict]:
    """Return a delta turning `before` into `after`: one change between common ends."""
    if before == after:
        return []
    prefix = common_prefix(before, after)
    suffix = common_suffix(before[prefix:], after[prefix:])
    ops: list[dict] = []
    if prefix:
        ops.append({"retain": prefix})
    deleted = len(before) - prefix - suffix
    if deleted:
        ops.append({"delete": deleted})
    inserted = after[prefix:len(after) - suffix]
    if inserted:
        ops.append({"insert": inserted})
    return ops


def checkpoint_seq_for(seq: int, every: int = CHECKPOINT_EVERY) -> int:
    """Return the seq of the nearest checkpoint at or before `seq` (0: the draft)."""
    return seq - seq % every


