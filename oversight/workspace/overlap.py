"""Overlap at import: one line, N sibling tasks of its prompt and draft, one writer each.

The siblings' external ids are the line's with `/1` … `/N` appended; they share one
`OverlapGroup` named by the line's external id. Writers are the line's `assignees`
(exactly N), else N of the project's writers with the least open work, round-robin
over the import so one big import spreads evenly.
"""

from dataclasses import replace

from django.db.models import Count, Q

from . import status as task_status
from .models import MAX_OVERLAP, Membership, OverlapGroup, Project, Task

EXTERNAL_ID_MAX = Task._meta.get_field("external_id").max_length
NOT_AN_OVERLAP = f"field 'overlap': must be a whole number from 1 to {MAX_OVERLAP}"
WRONG_ASSIGNEES = ("field 'overlap': {overlap} siblings need {overlap} assignees, "
                   "one each (got {count})")
TOO_FEW_WRITERS = ("field 'overlap': {overlap} siblings need {overlap} writers in project "
                   "'{project}' (it has {count})")
SIBLING_ID_TOO_LONG = "field 'external_id': at most {limit} characters with the sibling suffix"
# A gold task is one document checked against one writer's final and mixed into queues
# unannounced; siblings would put its planted flaws in a group reviewers compare, its
# finals in the agreement figures and its copies in several queues at once.
GOLD_LINE_OVERLAP = ("field 'overlap': a gold task serves one writer, so a line with 'gold' "
                     "takes no overlap (got {overlap}); import its copies as separate "
                     "gold lines")
GOLD_PROJECT_OVERLAP = ("field 'gold': a gold task serves one writer, but the project's "
                        "overlap ({overlap}) would give this line to {overlap} writers; "
                        "add \"overlap\": 1 to the line")

# Work a writer still has to do: everything not yet handed in or finished.
OPEN_WORK = (task_status.OPEN, task_status.IN_PROGRESS, task_status.CHANGES_REQUESTED)


def overlap_value(value, errors: list[str]) -> int | None:
    """Return the line's `overlap` (None when absent); record a problem when invalid."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_OVERLAP:
        errors.append(NOT_AN_OVERLAP)
        return None
    return value


def gold_overlap(line_overlap: int | None, project_overlap: int) -> str:
    """Return the refusal of a gold line that would get siblings, naming whose overlap did it."""
    if line_overlap is not None:
        return GOLD_LINE_OVERLAP.format(overlap=line_overlap)
    return GOLD_PROJECT_OVERLAP.format(overlap=project_overlap)


def sibling_id(external_id: str, number: int) -> str:
    """Return the external id of sibling `number` (1-based) of a line."""
    return f"{external_id}/{number}"


def writer_loads(project: Project) -> dict[str, int]:
    """Return username → open tasks assigned, for every writer of the project."""
    rows = (Membership.objects.filter(project=project, role=Membership.WRITER)
            .annotate(open=Count("user__assigned_tasks", filter=Q(
                user__assigned_tasks__project=project,
                user__assigned_tasks__status__in=OPEN_WORK)))
            .values_list("user__username", "open"))
    return dict(rows)


def _least_loaded(loads: dict[str, int], count: int) -> list[str]:
    """Return `count` writers with the least open work (ties by name) and count them busier."""
    chosen = sorted(loads, key=lambda name: (loads[name], name))[:count]
    for name in chosen:
        loads[name] += 1
    return chosen


def expand_overlap(project: Project, rows: list, label: str = "line") -> tuple[list, list[str]]:
    """Return (the rows with every overlap line replaced by its siblings, problems found).

    A line's `overlap` wins over the project's; 1 means no overlap. Problems name the
    line, like the importer's own. A gold line with overlap is refused (`gold_overlap`).
    """
    loads: dict[str, int] | None = None
    expanded, errors = [], []
    for row in rows:
        overlap = row.overlap if row.overlap is not None else project.overlap
        if overlap <= 1:
            expanded.append(row)
            continue
        prefix = f"{label} {row.number}: "
        if row.gold:
            errors.append(prefix + gold_overlap(row.overlap, project.overlap))
            continue
        if len(sibling_id(row.external_id, overlap)) > EXTERNAL_ID_MAX:
            errors.append(prefix + SIBLING_ID_TOO_LONG.format(limit=EXTERNAL_ID_MAX))
            continue
        if row.assignees:
            writers = list(row.assignees)
            if len(writers) != overlap:
                errors.append(prefix + WRONG_ASSIGNEES.format(overlap=overlap,
                                                              count=len(writers)))
                continue
        else:
            loads = writer_loads(project) if loads is None else loads
            if len(loads) < overlap:
                errors.append(prefix + TOO_FEW_WRITERS.format(
                    overlap=overlap, project=project.slug, count=len(loads)))
                continue
            writers = _least_loaded(loads, overlap)
        expanded.extend(
            replace(row, external_id=sibling_id(row.external_id, number), assignees=(writer,),
                    overlap=1, group=row.external_id)
            for number, writer in enumerate(writers, start=1))
    return expanded, errors


def group_ids(project: Project, rows: list) -> dict[str, int]:
    """Return group external id → OverlapGroup id for the rows' groups, creating new ones."""
    names = sorted({row.group for row in rows if row.group})
    if not names:
        return {}
    existing = dict(OverlapGroup.objects.filter(project=project, external_id__in=names)
                    .values_list("external_id", "pk"))
    missing = [name for name in names if name not in existing]
    OverlapGroup.objects.bulk_create(
        [OverlapGroup(project=project, external_id=name) for name in missing])
    if missing:  # bulk_create sets no pk on every backend: read the new ones back
        existing.update(OverlapGroup.objects.filter(project=project, external_id__in=missing)
                        .values_list("external_id", "pk"))
    return existing
