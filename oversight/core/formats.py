"""Export records, one format per training use, from a trajectory v1 record.

Every record but `trajectory` carries `meta`: who wrote it, from which model,
how it was reviewed and its quality signals, so a dataset can be filtered later.
"""

from collections.abc import Iterator

from .delta import apply_ops
from .trajectory import SCHEMA
from .verifier_summary import export_meta

FORMATS = ("trajectory", "sft", "preference", "critique", "edits")

UNKNOWN_FORMAT = "unknown export format {fmt!r}; expected one of " + ", ".join(FORMATS)


def is_withdrawn(note: dict) -> bool:
    """Tell whether the note's latest version withdrew it."""
    versions = note.get("versions") or []
    return bool(versions and versions[-1].get("withdrawn"))


def live_notes(traj: dict) -> list[dict]:
    """Return the trajectory's notes that were not withdrawn."""
    return [n for n in traj["notes"] if not is_withdrawn(n)]


def _writer(traj: dict) -> str:
    final, events = traj["final"], traj["events"]
    if final and final.get("submitted_by"):
        return final["submitted_by"]
    return events[0]["author"] if events else ""


def record_meta(traj: dict) -> dict:
    """Return the `meta` every derived record carries."""
    reviews = traj["reviews"]
    return {
        "task_id": traj["task_id"],
        "project": traj["project"],
        "writer": _writer(traj),
        "model": traj["draft"]["model"],
        "scores": (reviews[-1].get("scores") or {}) if reviews else {},
        "signals": traj["metrics"],
        "schema": SCHEMA,
        "verifier": export_meta(traj),
    }


def _sft(traj: dict, meta: dict) -> Iterator[dict]:
    yield {"messages": [{"role": "user", "content": traj["prompt"]},
                        {"role": "assistant", "content": traj["final"]["text"]}],
           "meta": meta}


def _preference(traj: dict, meta: dict) -> Iterator[dict]:
    # prompt/chosen/rejected: the columns TRL's DPO trainer reads.
    yield {"prompt": traj["prompt"], "chosen": traj["final"]["text"],
           "rejected": traj["draft"]["text"], "meta": meta}


def _critique(traj: dict, meta: dict) -> Iterator[dict]:
    notes = [{"quote": n["quote"], "body": n["body"], "principle": n["principle"]}
             for n in live_notes(traj)]
    yield {"prompt": traj["prompt"], "draft": traj["draft"]["text"], "notes": notes,
           "final": traj["final"]["text"], "meta": meta}


def _edits(traj: dict, meta: dict) -> Iterator[dict]:
    # A note carries the seq of the text it was written on: it explains the edit there.
    notes_at: dict[int, list[str]] = {}
    for note in live_notes(traj):
        notes_at.setdefault(note["seq"], []).append(note["body"])
    text = traj["draft"]["text"]
    for event in traj["events"]:
        after = apply_ops(text, event["ops"])
        bodies = notes_at.get(event["seq"])
        yield {"prompt": traj["prompt"], "text_before": text, "ops": event["ops"],
               "text_after": after, "kind": event["kind"] or event["inferred_kind"],
               "note": "\n\n".join(bodies) if bodies else None, "meta": meta}
        text = after


_WRITERS = {"sft": _sft, "preference": _preference, "critique": _critique, "edits": _edits}
_NEED_FINAL = frozenset({"sft", "preference", "critique"})


def to_records(fmt: str, traj: dict) -> Iterator[dict]:
    """Return the export records of one trajectory in format `fmt` (none if it needs a final)."""
    # Checked here, not in the generator, so a bad format fails before streaming starts.
    if fmt not in FORMATS:
        raise ValueError(UNKNOWN_FORMAT.format(fmt=fmt))
    return _records(fmt, traj)


def _records(fmt: str, traj: dict) -> Iterator[dict]:
    if fmt == "trajectory":
        yield traj
        return
    if fmt in _NEED_FINAL and traj["final"] is None:
        return
    yield from _WRITERS[fmt](traj, record_meta(traj))
