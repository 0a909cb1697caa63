"""Overlap pages: a project's groups (and its overlap setting), a group with its ranking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from oversight.review.views import overseen_project
from oversight.workspace.access import is_manager, is_overseer, projects_for
from oversight.workspace.models import MAX_OVERLAP, OverlapGroup

from . import selectors, services

WRITERS_REFUSED = ("Writers do not see an overlap group: each writes their sibling "
                   "independently.")
RANKING_SAVED = "Ranking saved: {count} preference pair(s) for the export."
OVERLAP_SAVED = "New imports go to {overlap} writer(s) each."
GROUPS_PER_PAGE = 25


def overseen_group(request, group_id: int) -> OverlapGroup:
    """Return a group of a project the user oversees; 404 for non-members, 403 for writers."""
    group = get_object_or_404(OverlapGroup.objects.select_related("project")
                              .filter(project__in=projects_for(request.user)), pk=group_id)
    if not is_overseer(request.user, group.project):
        raise PermissionDenied(WRITERS_REFUSED)
    return group


@login_required
@require_GET
def project_groups(request, project_slug: str):
    """List a project's overlap groups with their agreement; leads set the overlap here."""
    project = overseen_project(request, project_slug)
    overlap = selectors.project_overlap(project)
    # The project's figures pool every group; the table shows one page of them.
    page = Paginator(overlap["groups"], GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "overlap/groups.html", {
        "project": project, "overlap": overlap, "page": page,
        "is_manager": is_manager(request.user, project), "max_overlap": MAX_OVERLAP,
    })


@login_required
@require_POST
def project_overlap_setting(request, project_slug: str):
    """Save how many writers each newly imported task goes to (leads and admins)."""
    project = overseen_project(request, project_slug)
    try:
        services.set_project_overlap(project=project, user=request.user,
                                     overlap=request.POST.get("overlap"))
    except services.OverlapForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except services.OverlapError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, OVERLAP_SAVED.format(overlap=project.overlap))
    return redirect("overlap-groups", project_slug=project.slug)


def _ranked(members, ranking) -> list[dict]:
    """Return the submitted siblings in the reviewer's last order, tie flags set."""
    submitted = {s.task.pk: s for s in members if s.final}
    rows, seen = [], set()
    for tier in (ranking.tiers if ranking else []):
        for position, task_id in enumerate(tier):
            if task_id in submitted:
                rows.append({"sibling": submitted[task_id], "tied": position > 0})
                seen.add(task_id)
    rows += [{"sibling": s, "tied": False} for pk, s in submitted.items() if pk not in seen]
    if rows:
        rows[0]["tied"] = False
    return rows


@login_required
@require_GET
def group_page(request, group_id: int):
    """Show a group's finals side by side, their agreement, the rankings and the ranking form."""
    group = overseen_group(request, group_id)
    members = selectors.siblings(group)
    rankings = selectors.rankings_of(group)
    mine = next((r for r in rankings if r.reviewer_id == request.user.pk), None)
    return render(request, "overlap/group.html", {
        "group": group, "project": group.project, "siblings": members,
        "figures": selectors.group_figures(group, members), "rankings": rankings,
        "mine": mine, "ranked": _ranked(members, mine),
        "names": {s.task.pk: s.writer for s in members},
    })


def _tiers(post) -> list[list[int]]:
    """Read the ranking form: `order` task ids best first, `tie-<id>` ties one to the previous."""
    tiers: list[list[int]] = []
    for value in post.getlist("order"):
        try:
            task_id = int(value)
        except ValueError:
            continue
        if tiers and post.get(f"tie-{task_id}") == "on":
            tiers[-1].append(task_id)
        else:
            tiers.append([task_id])
    return tiers


@login_required
@require_POST
def group_ranking(request, group_id: int):
    """Save the reviewer's ranking from the group page's form."""
    group = overseen_group(request, group_id)
    tiers = _tiers(request.POST)
    try:
        services.save_ranking(group=group, reviewer=request.user, tiers=tiers,
                              reason=request.POST.get("reason", ""))
    except services.OverlapForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except services.OverlapError as exc:
        messages.error(request, str(exc))
    else:
        pairs = sum(len(a) * len(b) for i, a in enumerate(tiers) for b in tiers[i + 1:])
        messages.success(request, RANKING_SAVED.format(count=pairs))
    return redirect("overlap-group", group_id=group.pk)
