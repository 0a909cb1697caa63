"""Import tasks from JSONL: validate every record first, then bulk-insert in one transaction."""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from oversight.core.gold import gold_problems
from oversight.core.jsoncheck import TOO_DEEP, json_problem
from oversight.core.verifier_spec import verifier_problems
from oversight.webhooks.events import TASK_IMPORTED, emit_many

from .gold import mix_gold
from .models import Draft, GoldFlaw, Membership, Project, Task
from .overlap import expand_overlap, group_ids, overlap_value
from .task_settings import tasks_created

BATCH_SIZE = 2_000
# SQLite's default limit on bound parameters is 999 in Django's eyes; stay below it.
LOOKUP_CHUNK = 900
EXTERNAL_ID_MAX = Task._meta.get_field("external_id").max_length
MODEL_MAX = Draft._meta.get_field("model").max_length

TASK_FIELDS = ("external_id", "prompt", "draft", "metadata", "assignees", "verifier", "gold",
               "overlap")
DRAFT_FIELDS = ("text", "model", "params")

INVALID_JSON = "invalid JSON: {reason}"
NOT_A_RECORD = "expected a JSON object, got {kind}"
UNSTORABLE_TEXT = "contains {what}, which cannot be stored as text"
REQUIRED = "field '{field}': required"
NOT_A_STRING = "field '{field}': must be a string"
EMPTY = "field '{field}': must not be empty"
TOO_LONG = "field '{field}': at most {limit} characters (got {length})"
NOT_AN_OBJECT = "field '{field}': must be a JSON object"
NOT_A_LIST = "field '{field}': must be a list of usernames"
UNKNOWN_FIELD = "field '{field}': unknown field (expected one of: {expected})"
DUPLICATE = "field 'external_id': duplicate of {label} {first}"
NO_SUCH_USER = "field 'assignees': no user named '{username}'"
NOT_A_MEMBER = "field 'assignees': '{username}' is not a member of project '{project}'"


class ImportErrors(ValueError):
    """Every problem found in an import, one message per problem; nothing was imported."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s) in the import; nothing was imported.")
        self.errors = errors


@dataclass(frozen=True)
class DraftRow:
    text: str
    model: str = ""
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TaskRow:
    number: int
    external_id: str
    prompt: str
    draft: DraftRow | None = None
    metadata: dict = field(default_factory=dict)
    assignees: tuple[str, ...] = ()
    verifier: dict | None = None
    gold: tuple[dict, ...] = ()  # planted flaws: the task is gold
    overlap: int | None = None  # the line's own; None: the project's
    group: str | None = None  # an overlap sibling's group (the line's external id)


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: list[str]


@dataclass(frozen=True)
class _Undecodable:
    reason: str


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")


def _reject_constant(name: str):
    # Python's json accepts NaN/Infinity, which are not JSON and break JSON columns.
    raise ValueError(f"{name} is not allowed")


def _text(record: dict, name: str, errors: list[str], *, required: bool,
          allow_empty: bool = False, limit: int | None = None, label: str | None = None) -> str:
    label = label or name
    value = record.get(name)
    if value is None:
        if required:
            errors.append(REQUIRED.format(field=label))
        return ""
    if not isinstance(value, str):
        errors.append(NOT_A_STRING.format(field=label))
        return ""
    if required and not allow_empty and not value.strip():
        errors.append(EMPTY.format(field=label))
    if limit is not None and len(value) > limit:
        errors.append(TOO_LONG.format(field=label, limit=limit, length=len(value)))
    return value


def _object(value, label: str, errors: list[str]) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(NOT_AN_OBJECT.format(field=label))
        return {}
    return value


def _unknown(record: dict, allowed: tuple[str, ...], prefix: str, errors: list[str]) -> None:
    for name in record:
        if name not in allowed:
            errors.append(UNKNOWN_FIELD.format(field=prefix + name, expected=", ".join(allowed)))


def _draft(value, errors: list[str]) -> DraftRow | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        errors.append(NOT_AN_OBJECT.format(field="draft"))
        return None
    _unknown(value, DRAFT_FIELDS, "draft.", errors)
    # An empty draft is allowed: writing from nothing is still a task to trace.
    text = _text(value, "text", errors, required=True, allow_empty=True, label="draft.text")
    model = _text(value, "model", errors, required=False, limit=MODEL_MAX, label="draft.model")
    params = _object(value.get("params"), "draft.params", errors)
    return DraftRow(text=text, model=model, params=params)


def _assignees(value, errors: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        errors.append(NOT_A_LIST.format(field="assignees"))
        return ()
    return tuple(dict.fromkeys(value))  # keep order, drop repeats


def _verifier(value, errors: list[str]) -> dict | None:
    if value is None:
        return None
    spec, problems = verifier_problems(value)
    errors.extend(problems)
    return spec


def _gold(value, draft: DraftRow | None, errors: list[str]) -> tuple[dict, ...]:
    if value is None:
        return ()
    flaws, problems = gold_problems(value, draft.text if draft else None)
    errors.extend(problems)
    return tuple(flaws)


def _row(number: int, record, errors: list[str]) -> TaskRow | None:
    if not isinstance(record, dict):
        errors.append(NOT_A_RECORD.format(kind=_kind(record)))
        return None
    problem = json_problem(record)
    if problem:
        errors.append(UNSTORABLE_TEXT.format(what=problem))
        return None
    _unknown(record, TASK_FIELDS, "", errors)
    external_id = _text(record, "external_id", errors, required=True, limit=EXTERNAL_ID_MAX)
    prompt = _text(record, "prompt", errors, required=True)
    draft = _draft(record.get("draft"), errors)
    return TaskRow(
        number=number, external_id=external_id, prompt=prompt, draft=draft,
        metadata=_object(record.get("metadata"), "metadata", errors),
        assignees=_assignees(record.get("assignees"), errors),
        verifier=_verifier(record.get("verifier"), errors),
        gold=_gold(record.get("gold"), draft, errors),
        overlap=overlap_value(record.get("overlap"), errors),
    )


def parse_records(records: Iterable[tuple[int, object]], *, label: str = "line",
                  project: Project | None = None) -> list[TaskRow]:
    """Validate numbered decoded records; raise ImportErrors listing every problem.

    With `project`, the assignees of the well-formed records are checked too, so one
    answer lists every kind of problem in line order (not the next kind after a fix).
    """
    rows: list[TaskRow] = []
    errors: list[tuple[int, str]] = []
    first_seen: dict[str, int] = {}
    for number, record in records:
        if isinstance(record, _Undecodable):
            errors.append((number, f"{label} {number}: "
                                   f"{INVALID_JSON.format(reason=record.reason)}"))
            continue
        problems: list[str] = []
        row = _row(number, record, problems)
        if row and row.external_id.strip():
            first = first_seen.setdefault(row.external_id, number)
            if first != number:
                problems.append(DUPLICATE.format(label=label, first=first))
        errors.extend((number, f"{label} {number}: {problem}") for problem in problems)
        if row and not problems:
            rows.append(row)
    if project is not None:
        errors.extend(_assignee_problems(project, rows, label)[1])
    if errors:
        raise ImportErrors([message for _, message in sorted(errors, key=lambda e: e[0])])
    return rows


def _decoded(lines: Iterable[str]) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue  # blank lines (a trailing newline, spacing) carry no task
        try:
            yield number, json.loads(line, parse_constant=_reject_constant)
        except RecursionError:
            yield number, _Undecodable(TOO_DEEP)
        except ValueError as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            column = f" (column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
            yield number, _Undecodable(reason + column)


def parse_lines(lines: Iterable[str], *, project: Project | None = None) -> list[TaskRow]:
    """Validate JSONL lines (one task each); raise ImportErrors listing every problem."""
    return parse_records(_decoded(lines), project=project)


def split_jsonl(text: str) -> list[str]:
    """Split JSONL text into lines on newlines only (U+2028 and friends are legal in JSON)."""
    return text.split("\n")


def _check_assignees(project: Project, rows: list[TaskRow], label: str) -> dict[str, int]:
    """Return username → user id for every assignee; raise ImportErrors for the rest."""
    members, errors = _assignee_problems(project, rows, label)
    if errors:
        raise ImportErrors([message for _, message in errors])
    return members


def _assignee_problems(project: Project, rows: list[TaskRow],
                       label: str) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Return (username → user id of the members named, (line, error) for the others)."""
    wanted = {name for row in rows for name in row.assignees}
    if not wanted:
        return {}, []
    members = dict(Membership.objects.filter(project=project, user__username__in=wanted)
                   .values_list("user__username", "user_id"))
    missing = wanted - members.keys()
    known = set(get_user_model().objects.filter(username__in=missing)
                .values_list("username", flat=True)) if missing else set()
    errors = [
        (row.number, f"{label} {row.number}: " + (
            NOT_A_MEMBER.format(username=name, project=project.slug) if name in known
            else NO_SUCH_USER.format(username=name)))
        for row in rows for name in row.assignees if name in missing
    ]
    return members, errors


def _existing_ids(project: Project, rows: list[TaskRow]) -> set[str]:
    ids = [row.external_id for row in rows]
    found: set[str] = set()
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start:start + LOOKUP_CHUNK]
        found.update(Task.objects.filter(project=project, external_id__in=chunk)
                     .values_list("external_id", flat=True))
    return found


def _insert(project: Project, rows: list[TaskRow], user_ids: dict[str, int]) -> None:
    groups = group_ids(project, rows)
    tasks = Task.objects.bulk_create(
        [Task(project=project, external_id=r.external_id, prompt=r.prompt, metadata=r.metadata,
              verifier=r.verifier, group_id=groups.get(r.group)) for r in rows])
    Draft.objects.bulk_create(
        [Draft(task=task, text=r.draft.text, model=r.draft.model, params=r.draft.params,
               source=Draft.IMPORTED) for task, r in zip(tasks, rows, strict=True) if r.draft])
    Task.assignees.through.objects.bulk_create(
        [Task.assignees.through(task_id=task.pk, user_id=user_ids[name])
         for task, r in zip(tasks, rows, strict=True) for name in r.assignees])
    GoldFlaw.objects.bulk_create(
        [GoldFlaw(task=task, start=f["start"], end=f["end"], description=f["description"],
                  test=f["test"]) for task, r in zip(tasks, rows, strict=True) for f in r.gold])
    tasks_created.send(sender=Project, project=project, tasks=tasks)
    emit_many(TASK_IMPORTED, tasks=tasks)


def import_tasks(*, project: Project, rows: list[TaskRow],
                 progress: Callable[[int], None] | None = None,
                 label: str = "line") -> ImportResult:
    """Create the rows' tasks, drafts and assignments at once; skip ids the project already has.

    A row with overlap becomes its sibling tasks first (`overlap.expand_overlap`).
    """
    rows, problems = expand_overlap(project, rows, label)
    if problems:
        raise ImportErrors(problems)
    user_ids = _check_assignees(project, rows, label)
    with transaction.atomic():
        # Serialize imports into one project so the skip check stays true until commit.
        Project.objects.select_for_update().only("pk").get(pk=project.pk)
        existing = _existing_ids(project, rows)
        fresh = [row for row in rows if row.external_id not in existing]
        if progress and existing:
            progress(len(rows) - len(fresh))
        for start in range(0, len(fresh), BATCH_SIZE):
            batch = fresh[start:start + BATCH_SIZE]
            _insert(project, batch, user_ids)
            if progress:
                progress(len(batch))
    if fresh:  # new work (or new gold) changes who is due a gold task
        mix_gold(project=project)
    skipped = [row.external_id for row in rows if row.external_id in existing]
    return ImportResult(created=len(fresh), skipped=skipped)
