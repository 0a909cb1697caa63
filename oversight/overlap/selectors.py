"""Reads of overlap: a group's siblings and their finals, and the agreement figures of them.

The figures are the core's (`oversight.core.overlap`); this module only gathers their
inputs from the database: each sibling's latest final, the verdict on that round, and
the test run on that very text.
"""

from dataclasses import dataclass

from django.db.models import Count

from oversight.core.overlap import final_agreement, outcome_agreement, rubric_alpha
from oversight.review.models import Review
from oversight.traces.models import Submission
from oversight.verifiers.selectors import latest_finished_on_many
from oversight.workspace.models import OverlapGroup, Project, Task

from .models import Ranking


@dataclass(frozen=True)
class Sibling:
    """One task of a group, with its latest final and the verdict on that round."""

    task: Task
    writer: str
    final: Submission | None
    review: Review | None


def _latest(rows, key) -> dict:
    latest = {}
    for row in rows:  # ordered oldest first: the last one wins
        latest[key(row)] = row
    return latest


def _siblings_of(tasks, finals, reviews) -> list[Sibling]:
    result = []
    for task in tasks:
        final = finals.get(task.pk)
        names = [u.username for u in task.assignees.all()]
        result.append(Sibling(
            task=task, writer=final.submitted_by.username if final else ", ".join(names),
            final=final, review=reviews.get((task.pk, final.round)) if final else None))
    return result


def _siblings_by_group(**where) -> dict[int, list[Sibling]]:
    """Return {group id: its siblings in id order} for the tasks matching `where` (a task
    filter), with their latest finals and verdicts: four queries whatever the count."""
    tasks = list(Task.objects.filter(group__isnull=False, **where).select_related("project")
                 .prefetch_related("assignees").order_by("id"))
    task_where = {f"task__{key}": value for key, value in where.items()}
    finals = _latest(Submission.objects.filter(task__group__isnull=False, **task_where)
                     .select_related("submitted_by").defer("provenance")
                     .order_by("task_id", "round"), key=lambda s: s.task_id)
    reviews = _latest(Review.objects.filter(task__group__isnull=False, **task_where)
                      .select_related("reviewer").order_by("task_id", "id"),
                      key=lambda r: (r.task_id, r.round))
    by_group: dict[int, list] = {}
    for task in tasks:
        by_group.setdefault(task.group_id, []).append(task)
    return {group_id: _siblings_of(members, finals, reviews)
            for group_id, members in by_group.items()}


def siblings(group: OverlapGroup) -> list[Sibling]:
    """Return the group's siblings in id order, with their latest finals and verdicts."""
    return _siblings_by_group(group=group).get(group.pk, [])


def sibling_outcomes(members: list[Sibling]) -> dict[int, dict[str, str]]:
    """Return {task id: test name → outcome} of the latest finished run on each submitted
    code sibling's final, in one query (siblings without such a run are left out)."""
    finals = {s.task.pk: s.final.sha256 for s in members if s.final and s.task.verifier_spec()}
    runs = latest_finished_on_many(finals)
    return {task_id: {t["name"]: t["outcome"] for t in run.tests}
            for task_id, run in runs.items() if run.tests}


def group_units(group_key: str, members: list[Sibling]) -> dict[str, list[int]]:
    """Return the alpha units of a group: '<group>:<principle>' → the finals' scores."""
    units: dict[str, list[int]] = {}
    for sibling in members:
        for key, score in ((sibling.review.scores or {}) if sibling.review else {}).items():
            units.setdefault(f"{group_key}:{key}", []).append(score)
    return units


def group_figures(group: OverlapGroup, members: list[Sibling] | None = None,
                  outcomes: dict[int, dict[str, str]] | None = None) -> dict:
    """Return the agreement figures of a group's submitted finals, with their counts.

    `outcomes` (from `sibling_outcomes`) and a `ranking_count` annotation on the group
    spare the queries when many groups are shown at once.
    """
    members = siblings(group) if members is None else members
    submitted = [s for s in members if s.final]
    outcomes = sibling_outcomes(submitted) if outcomes is None else outcomes
    tests = {s.task.pk: outcomes[s.task.pk] for s in submitted if s.task.pk in outcomes}
    rankings = getattr(group, "ranking_count", None)
    return {
        "siblings": len(members),
        "submitted": len(submitted),
        "complete": bool(members) and len(submitted) == len(members),
        "finals": final_agreement({s.task.pk: s.final.text for s in submitted}),
        "tests": outcome_agreement(tests) if tests else None,
        "rubric": rubric_alpha(group_units(str(group.pk), submitted)),
        "reviewed": sum(1 for s in submitted if s.review),
        "rankings": group.rankings.count() if rankings is None else rankings,
    }


def rankings_of(group: OverlapGroup) -> list[Ranking]:
    return list(group.rankings.select_related("reviewer").order_by("id"))


def project_groups(project: Project) -> list[OverlapGroup]:
    """Return the project's overlap groups, newest first, with their sibling and ranking
    counts (one query)."""
    return list(project.overlap_groups
                .annotate(sibling_count=Count("tasks", distinct=True),
                          ranking_count=Count("rankings", distinct=True)).order_by("-id"))


def project_overlap(project: Project) -> dict:
    """Return each group's figures and the project's: mean similarity, pooled alpha.

    A fixed number of queries whatever the number of groups (the groups, their siblings
    with finals and verdicts, their test runs); the pages paginate `groups`.
    """
    members = _siblings_by_group(project=project)
    outcomes = sibling_outcomes([s for group in members.values() for s in group])
    groups, units = [], {}
    for group in project_groups(project):
        mine = members.get(group.pk, [])
        groups.append({"group": group, "figures": group_figures(group, mine, outcomes)})
        units.update(group_units(str(group.pk), [s for s in mine if s.final]))
    similarities = [g["figures"]["finals"]["mean_similarity"] for g in groups
                    if g["figures"]["finals"]["mean_similarity"] is not None]
    return {
        "groups": groups,
        "count": len(groups),
        "complete": sum(1 for g in groups if g["figures"]["complete"]),
        "mean_similarity": (round(sum(similarities) / len(similarities), 4)
                            if similarities else None),
        "rubric": rubric_alpha(units),
    }
