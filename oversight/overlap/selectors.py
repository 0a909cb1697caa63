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
from oversight.verifiers.selectors import latest_finished_on
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


def siblings(group: OverlapGroup) -> list[Sibling]:
    """Return the group's siblings in id order, with their latest finals and verdicts."""
    tasks = list(group.tasks.order_by("id").prefetch_related("assignees"))
    ids = [t.pk for t in tasks]
    finals = _latest(Submission.objects.filter(task_id__in=ids).select_related("submitted_by")
                     .order_by("task_id", "round"), key=lambda s: s.task_id)
    reviews = _latest(Review.objects.filter(task_id__in=ids).select_related("reviewer")
                      .order_by("task_id", "id"), key=lambda r: (r.task_id, r.round))
    result = []
    for task in tasks:
        final = finals.get(task.pk)
        names = [u.username for u in task.assignees.all()]
        result.append(Sibling(
            task=task, writer=final.submitted_by.username if final else ", ".join(names),
            final=final, review=reviews.get((task.pk, final.round)) if final else None))
    return result


def _outcomes(sibling: Sibling) -> dict[str, str] | None:
    run = latest_finished_on(sibling.task, sibling.final.sha256)
    return {t["name"]: t["outcome"] for t in run.tests} if run and run.tests else None


def group_units(group_key: str, members: list[Sibling]) -> dict[str, list[int]]:
    """Return the alpha units of a group: '<group>:<principle>' → the finals' scores."""
    units: dict[str, list[int]] = {}
    for sibling in members:
        for key, score in ((sibling.review.scores or {}) if sibling.review else {}).items():
            units.setdefault(f"{group_key}:{key}", []).append(score)
    return units


def group_figures(group: OverlapGroup, members: list[Sibling] | None = None) -> dict:
    """Return the agreement figures of a group's submitted finals, with their counts."""
    members = siblings(group) if members is None else members
    submitted = [s for s in members if s.final]
    tests = {s.task.pk: o for s in submitted if s.task.verifier_spec()
             and (o := _outcomes(s)) is not None}
    return {
        "siblings": len(members),
        "submitted": len(submitted),
        "complete": bool(members) and len(submitted) == len(members),
        "finals": final_agreement({s.task.pk: s.final.text for s in submitted}),
        "tests": outcome_agreement(tests) if tests else None,
        "rubric": rubric_alpha(group_units(str(group.pk), submitted)),
        "reviewed": sum(1 for s in submitted if s.review),
        "rankings": group.rankings.count(),
    }


def rankings_of(group: OverlapGroup) -> list[Ranking]:
    return list(group.rankings.select_related("reviewer").order_by("id"))


def project_groups(project: Project) -> list[OverlapGroup]:
    """Return the project's overlap groups, newest first, with their sibling counts."""
    return list(project.overlap_groups.annotate(sibling_count=Count("tasks")).order_by("-id"))


def project_overlap(project: Project) -> dict:
    """Return each group's figures and the project's: mean similarity, pooled alpha."""
    groups, units = [], {}
    for group in project_groups(project):
        members = siblings(group)
        figures = group_figures(group, members)
        groups.append({"group": group, "figures": figures})
        units.update(group_units(str(group.pk), [s for s in members if s.final]))
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
