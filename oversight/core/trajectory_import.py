"""Check an `oversight.trajectory/v1` record for import: every field, then the replay.

Returns the problems as "field: message" strings (empty: importable). An event's `kind`
may be null and `inferred_kind` absent (a stock client's record): they become "" and
the kind inferred from the delta. `metrics` are not read: the importer recomputes them.
"""

from .delta import DeltaError
from .evidence import event_evidence, focus_interval
from .kinds import infer_kind
from .tracker import TextTracker
from .trajectory import SCHEMA, Event, sha256_text

NOT_OBJECT = "{field}: expected an object"
NOT_TYPE = "{field}: expected {kind}"
NOT_GAPLESS = "{field}: expected seq {expected} (seqs are gapless from 1)"
BACKWARDS = "{field}: t_ms {t} is before the previous event's {previous}"
BAD_OPS = "{field}: {reason}"
FINAL_MISMATCH = "final.text: the events replayed on the draft give a different text"
SHA_MISMATCH = "final.sha256: does not match final.text"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_ops(ops, field: str, problems: list[str]) -> bool:
    if not isinstance(ops, list):
        problems.append(NOT_TYPE.format(field=field, kind="a list of ops"))
        return False
    for op in ops:
        if not (isinstance(op, dict) and len(op) == 1 and (
                (_is_int(op.get("retain")) and op["retain"] >= 0)
                or (_is_int(op.get("delete")) and op["delete"] >= 0)
                or isinstance(op.get("insert"), str))):
            problems.append(NOT_TYPE.format(
                field=field, kind='ops of {"retain": n}, {"insert": "text"} or {"delete": n}'))
            return False
    return True


def _event(d, i: int, previous_t: int | None, problems: list[str]) -> Event | None:
    field = f"events[{i}]"
    if not isinstance(d, dict):
        problems.append(NOT_OBJECT.format(field=field))
        return None
    before = len(problems)
    for key in ("seq", "t_ms", "client", "round"):
        if not _is_int(d.get(key)) or d[key] < 0:
            problems.append(NOT_TYPE.format(field=f"{field}.{key}", kind="an integer ≥ 0"))
    if not isinstance(d.get("author"), str) or not d["author"].strip():
        problems.append(NOT_TYPE.format(field=f"{field}.author", kind="a username"))
    for key in ("kind", "inferred_kind"):
        if d.get(key) is not None and not isinstance(d[key], str):
            problems.append(NOT_TYPE.format(field=f"{field}.{key}", kind="a string or null"))
    _check_ops(d.get("ops"), f"{field}.ops", problems)
    evidence = event_evidence(d, field, problems)
    if len(problems) > before:
        return None
    if d["seq"] != i + 1:
        problems.append(NOT_GAPLESS.format(field=f"{field}.seq", expected=i + 1))
    if previous_t is not None and d["t_ms"] < previous_t:
        problems.append(BACKWARDS.format(field=f"{field}.t_ms", t=d["t_ms"], previous=previous_t))
    return Event(seq=d["seq"], t_ms=d["t_ms"], author=d["author"], client=d["client"],
                 round=max(1, d["round"]), kind=d.get("kind") or "",
                 inferred_kind=d.get("inferred_kind") or infer_kind(d["ops"]), ops=d["ops"],
                 evidence=evidence)


def _check_note(note, field: str, problems: list[str]) -> None:
    if not isinstance(note, dict):
        problems.append(NOT_OBJECT.format(field=field))
        return
    for key in ("seq", "start", "end"):
        if not _is_int(note.get(key)) or note[key] < 0:
            problems.append(NOT_TYPE.format(field=f"{field}.{key}", kind="an integer ≥ 0"))
    if not _is_int(note.get("t_ms")):  # may precede the first event
        problems.append(NOT_TYPE.format(field=f"{field}.t_ms", kind="an integer"))
    for key in ("author", "body", "quote"):
        if not isinstance(note.get(key), str):
            problems.append(NOT_TYPE.format(field=f"{field}.{key}", kind="a string"))
    if not isinstance(note.get("versions", []), list):
        problems.append(NOT_TYPE.format(field=f"{field}.versions", kind="a list"))


def _text(record: dict, key: str, problems: list[str], *, required: bool = True) -> str:
    value = record.get(key)
    if isinstance(value, str) or (value is None and not required):
        return value or ""
    problems.append(NOT_TYPE.format(field=key, kind="a string"))
    return ""


def check_record(record) -> tuple[list[Event], list[str]]:
    """Return (events, problems) of a v1 record; problems empty when it can be imported."""
    if not isinstance(record, dict):
        return [], [NOT_OBJECT.format(field="record")]
    problems: list[str] = []
    if record.get("schema") != SCHEMA:
        problems.append(f"schema: expected {SCHEMA!r}, got {record.get('schema')!r}")
    _text(record, "prompt", problems)
    draft = record.get("draft")
    if not isinstance(draft, dict) or not isinstance(draft.get("text"), str):
        problems.append(NOT_TYPE.format(field="draft.text", kind="a string"))
        draft = {"text": ""}
    raw_events = record.get("events")
    if not isinstance(raw_events, list):
        problems.append(NOT_TYPE.format(field="events", kind="a list"))
        raw_events = []
    events, previous = [], None
    for i, raw in enumerate(raw_events):
        e = _event(raw, i, previous, problems)
        if e is not None:
            events.append(e)
            previous = e.t_ms
    notes = record.get("notes", [])
    if not isinstance(notes, list):
        problems.append(NOT_TYPE.format(field="notes", kind="a list"))
    else:
        for i, note in enumerate(notes):
            _check_note(note, f"notes[{i}]", problems)
    focus = record.get("focus", [])  # added to v1 later: optional
    if not isinstance(focus, list):
        problems.append(NOT_TYPE.format(field="focus", kind="a list"))
    else:
        for i, interval in enumerate(focus):
            focus_interval(interval, f"focus[{i}]", problems)
    final = record.get("final")
    if final is not None and not (isinstance(final, dict) and isinstance(final.get("text"), str)):
        problems.append(NOT_TYPE.format(field="final.text", kind="a string"))
    if problems:
        return events, problems
    _check_replay(draft["text"], events, final, problems)
    return events, problems


def _check_replay(draft: str, events: list[Event], final: dict | None, problems: list[str]):
    text = TextTracker(draft)
    final_round = final.get("round") if final else None
    for i, e in enumerate(events):
        if _is_int(final_round) and e.round > final_round:
            break
        try:
            text.apply(e.ops)
        except DeltaError as exc:
            problems.append(BAD_OPS.format(field=f"events[{i}].ops", reason=exc))
            return
    if final is None:
        return
    if str(text) != final["text"]:
        problems.append(FINAL_MISMATCH)
    sha = final.get("sha256")
    if sha and sha != sha256_text(final["text"]):
        problems.append(SHA_MISMATCH)
