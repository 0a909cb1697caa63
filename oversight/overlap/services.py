"""Writes of overlap: a reviewer ranks a group's finals, best first, ties allowed."""

from django.db import transaction

from oversight.core.overlap import check_ranking
from oversight.workspace.access import is_manager, is_overseer
from oversight.workspace.models import OverlapGroup, Project
from oversight.workspace.overlap import MAX_OVERLAP

from .models import Ranking
from .selectors import siblings

NOT_OVERSEER = "Only the project's reviewers, leads and admins may rank finals."
NOT_MANAGER = "Only the project's leads and admins change its overlap."
TOO_FEW_FINALS = "Ranking needs two or more submitted finals; this group has {count}."
REASON_NEEDED = "Say why: a ranking needs a reason."
BAD_TIERS = "tiers must be a list of lists of task ids, best first."
BAD_OVERLAP = "Overlap must be a whole number from 1 to {limit}."
MAX_REASON = 10_000


class OverlapError(ValueError):
    """A refused overlap action, with a message the user can act on (HTTP 400)."""


class OverlapForbidden(OverlapError):
    """The user's role does not allow the action (HTTP 403)."""


def _tiers(value) -> list[list[int]]:
    if not isinstance(value, list) or not all(
            isinstance(tier, list) and all(isinstance(t, int) and not isinstance(t, bool)
                                           for t in tier) for tier in value):
        raise OverlapError(BAD_TIERS)
    return value


def save_ranking(*, group: OverlapGroup, reviewer, tiers, reason: str) -> Ranking:
    """Store the reviewer's ranking of the group's submitted finals (replacing theirs)."""
    if not is_overseer(reviewer, group.project):
        raise OverlapForbidden(NOT_OVERSEER)
    tiers = _tiers(tiers)
    reason = (reason or "").strip()
    if not reason:
        raise OverlapError(REASON_NEEDED)
    finals = {s.task.pk: s.final.round for s in siblings(group) if s.final}
    if len(finals) < 2:
        raise OverlapError(TOO_FEW_FINALS.format(count=len(finals)))
    problem = check_ranking(tiers, set(finals))
    if problem:
        raise OverlapError(problem[0].upper() + problem[1:] + ".")
    with transaction.atomic():
        ranking, _ = Ranking.objects.update_or_create(
            group=group, reviewer=reviewer,
            defaults={"tiers": tiers, "reason": reason[:MAX_REASON],
                      "rounds": {str(pk): round_ for pk, round_ in finals.items()}})
    return ranking


def set_project_overlap(*, project: Project, user, overlap) -> Project:
    """Set how many writers each newly imported task goes to (leads and admins)."""
    if not is_manager(user, project):
        raise OverlapForbidden(NOT_MANAGER)
    try:
        value = int(overlap)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= MAX_OVERLAP:
        raise OverlapError(BAD_OVERLAP.format(limit=MAX_OVERLAP))
    project.overlap = value
    project.save(update_fields=["overlap"])
    return project
