"""Import recorded trajectories (`oversight.trajectory/v1`) into a project: all or nothing.

Each record becomes a task with its draft, events (original `t_ms`), notes with their
versions and the final as a submission; authors are the project's members of that
name, or inactive placeholder accounts holding it. Metrics are recomputed from the
stored trace, never read from the record. v1 carries no opening time: it is taken
from the record's `metrics.open_to_submit_seconds` when present, so the recomputed
`open_to_submit_seconds` matches.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from oversight.core.replay import should_checkpoint
from oversight.core.tracker import TextTracker
from oversight.core.trajectory import sha256_text
from oversight.core.trajectory_import import check_record
from oversight.workspace import status as task_status
from oversight.workspace.importer import ImportErrors
from oversight.workspace.models import Draft, Project, Task

from .models import Checkpoint, EditEvent, FocusLoss, Note, NoteVersion, Submission

DUPLICATE_TASK = "external_id: task '{external_id}' is already in the project"
DUPLICATE_IN_FILE = "external_id: '{external_id}' is also on line {first}"
BAD_JSON = "not JSON: {reason}"
BAD_TIME = "final.submitted_at: expected an ISO 8601 time"
NO_SUBMITTER = "final.submitted_by: expected a username (the record has no events to take it from)"


@dataclass(frozen=True)
class _Parsed:
    line: int
    record: dict
    events: list
    external_id: str
    submitted_at: dt.datetime | None


def _external_id(record: dict) -> str:
    return str(record.get("external_id") or f"trajectory-{record.get('task_id', '')}")


def _submitted_at(final: dict | None, problems: list[str]) -> dt.datetime | None:
    if not final or not final.get("submitted_at"):
        return None
    try:
        moment = dt.datetime.fromisoformat(final["submitted_at"])
    except (TypeError, ValueError):
        problems.append(BAD_TIME)
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_trajectories(project: Project, lines: list[str]) -> list[_Parsed]:
    """Check every line; raise ImportErrors naming each problem's line and field."""
    parsed, errors, seen = [], [], {}
    existing = set(Task.objects.filter(project=project).values_list("external_id", flat=True))
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            errors.append(f"line {number}: {BAD_JSON.format(reason=exc)}")
            continue
        events, problems = check_record(record)
        external_id = _external_id(record) if isinstance(record, dict) else ""
        final = record.get("final") if not problems else None
        submitted = _submitted_at(final, problems)
        if final and not final.get("submitted_by") and not events:
            problems.append(NO_SUBMITTER)
        if external_id in existing:
            problems.append(DUPLICATE_TASK.format(external_id=external_id))
        elif external_id in seen:
            problems.append(DUPLICATE_IN_FILE.format(external_id=external_id,
                                                     first=seen[external_id]))
        seen.setdefault(external_id, number)
        errors.extend(f"line {number}: {p}" for p in problems)
        if not problems:
            parsed.append(_Parsed(number, record, events, external_id, submitted))
    if errors:
        raise ImportErrors(errors)
    return parsed


def _users(parsed: list[_Parsed]) -> dict[str, int]:
    """Return username → id for every author, creating inactive placeholders as needed."""
    names = set()
    for p in parsed:
        names.update(e.author for e in p.events)
        names.update(n["author"] for n in p.record.get("notes", []))
        names.update(f["author"] for f in p.record.get("focus", []) if f["author"])
        final = p.record.get("final") or {}
        if final.get("submitted_by"):
            names.add(final["submitted_by"])
    User = get_user_model()
    found = dict(User.objects.filter(username__in=names).values_list("username", "id"))
    for name in sorted(names - found.keys()):
        placeholder = User(username=name, is_active=False)
        placeholder.set_unusable_password()
        placeholder.save()
        found[name] = placeholder.pk
    return found


def _import_one(project: Project, p: _Parsed, users: dict[str, int]) -> Task:
    record, events = p.record, p.events
    final = record.get("final")
    last_t = events[-1].t_ms if events else 0
    end = p.submitted_at or dt.datetime.now(dt.UTC)
    base_ms = int(end.timestamp() * 1000) - last_t - 1_000  # the events precede the final
    opened = (record.get("metrics") or {}).get("open_to_submit_seconds")
    draft = record["draft"]
    task = Task.objects.create(
        project=project, external_id=p.external_id, prompt=record["prompt"],
        metadata={"imported_from": {"project": record.get("project"),
                                    "task_id": record.get("task_id")}},
        status=task_status.SUBMITTED if final else task_status.IN_PROGRESS,
        round=max([1, *(e.round for e in events), (final or {}).get("round") or 1]),
        opened_at=(p.submitted_at - dt.timedelta(seconds=opened)
                   if p.submitted_at and isinstance(opened, int | float) else None))
    Draft.objects.create(task=task, text=draft["text"], model=draft.get("model") or "",
                         params=draft.get("params") or {}, source=Draft.IMPORTED)
    EditEvent.objects.bulk_create(
        [EditEvent(task=task, seq=e.seq, round=e.round, author_id=users[e.author],
                   client_id=e.client, server_ms=base_ms + e.t_ms, kind=e.kind,
                   inferred_kind=e.inferred_kind, ops=e.ops, evidence=e.evidence)
         for e in events],
        batch_size=2_000)
    _store_checkpoints(task, draft["text"], events)
    FocusLoss.objects.bulk_create(
        [FocusLoss(task=task, author_id=users.get(f["author"]), client_id=f["client"],
                   lost_ms=base_ms + f["lost_t_ms"], back_ms=base_ms + f["back_t_ms"])
         for f in record.get("focus", [])])
    for n in record.get("notes", []):
        versions = n.get("versions") or []
        note = Note.objects.create(
            task=task, author_id=users[n["author"]], server_ms=base_ms + n["t_ms"],
            seq=n["seq"], quote=n["quote"], start=n["start"], end=n["end"],
            principle=n.get("principle") or "", body=n["body"],
            orphaned=bool(n.get("orphaned")),
            withdrawn=bool(versions and versions[-1].get("withdrawn")))
        NoteVersion.objects.bulk_create([
            NoteVersion(note=note, body=v.get("body", ""), principle=v.get("principle") or "",
                        withdrawn=bool(v.get("withdrawn")),
                        server_ms=base_ms + int(v.get("t_ms") or 0)) for v in versions])
    if final:
        round_ = final.get("round") or 1
        submission = Submission.objects.create(
            task=task, round=round_, text=final["text"], sha256=sha256_text(final["text"]),
            submitted_by_id=users[final.get("submitted_by") or events[-1].author],
            events=sum(1 for e in events if e.round <= round_))
        if p.submitted_at:
            Submission.objects.filter(pk=submission.pk).update(submitted_at=p.submitted_at)
    return task


def _store_checkpoints(task: Task, draft: str, events: list) -> None:
    """Store the text every CHECKPOINT_EVERY events, as the recorder does while editing.

    Without them the text at a seq of an imported 260,000-event trace is a full replay
    (a second), and the player's seeks wait for it; with them, a few hundred events.
    """
    blocks = TextTracker(draft)
    rows = []
    for event in events:
        blocks.apply(event.ops)
        if should_checkpoint(event.seq):
            rows.append(Checkpoint(task=task, seq=event.seq, text=str(blocks)))
    Checkpoint.objects.bulk_create(rows, batch_size=50)


def trajectories_import(*, project: Project, lines: list[str]) -> list[Task]:
    """Import every record of a JSONL file, or none (ImportErrors lists each problem)."""
    parsed = parse_trajectories(project, lines)
    with transaction.atomic():
        users = _users(parsed)
        return [_import_one(project, p, users) for p in parsed]
