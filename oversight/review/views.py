"""Review pages: the projects one oversees, a project's queue, the player, the writer dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from oversight.core.numbers import parse_count
from oversight.core.thresholds import THRESHOLDS
from oversight.judge.selectors import critique_pair
from oversight.traces import playback
from oversight.traces import selectors as trace_selectors
from oversight.traces.models import Submission
from oversight.webhooks.selectors import webhooks_failing
from oversight.workspace import status as task_status
from oversight.workspace.access import is_manager, is_overseer, projects_for, visible_tasks
from oversight.workspace.colours import user_colour
from oversight.workspace.gold import is_gold
from oversight.workspace.models import Project
from oversight.workspace.task_settings import settings_for

from . import selectors, services, stats, thresholds
from .gold import task_outcomes
from .metrics import metrics_of

NOT_OVERSEER_ANYWHERE = "You do not review, lead or administer any project."
THRESHOLDS_SAVED = "Flag thresholds saved; the queue's flags use them now."
CLAIMED = "You claimed {task}: others see you are reviewing it."
RELEASED = "Released your claim on {task}."

QUEUE_COLUMNS = [("task", "Task"), ("writer", "Writer"), ("submitted", "Submitted"),
                 ("round", "Round"), ("size", "Changed chars"), ("changed", "Changed"),
                 ("active", "Active"), ("paste", "Pasted"), ("notes", "Notes"),
                 ("tests", "Tests"), ("flags", "Flags"), ("risk", "Risk"), ("status", "Status"),
                 ("claim", "Claim")]


def overseen_project(request, slug: str) -> Project:
    """Return a project the user oversees; 404 for non-members, 403 for its writers."""
    project = get_object_or_404(projects_for(request.user), slug=slug)
    if not is_overseer(request.user, project):
        raise PermissionDenied(services.NOT_REVIEWER)
    return project


def overseen_task(request, task_id: int):
    """Return a task the user may review; 404 when they may not see it, 403 for its writers."""
    task = get_object_or_404(visible_tasks(request.user).select_related("project", "draft"),
                             pk=task_id)
    if not is_overseer(request.user, task.project):
        raise PermissionDenied(services.NOT_REVIEWER)
    return trace_selectors.caught_up(task)  # a live room's newest edits become events


@login_required
@require_GET
def review_index(request):
    """List the projects the user oversees, with how many tasks wait for review."""
    projects = selectors.overseen_projects(request.user)
    if not projects:
        raise PermissionDenied(NOT_OVERSEER_ANYWHERE)
    return render(request, "review/index.html", {"projects": projects})


def _columns(sort: str, descending: bool) -> list[dict]:
    return [{"key": key, "label": label, "active": key == sort,
             "dir": "desc" if key == sort and not descending else "asc",
             "arrow": ("▼" if descending else "▲") if key == sort else ""}
            for key, label in QUEUE_COLUMNS]


def _page_number(value: str | None) -> int:
    """The queue's `page` parameter: a page from 1; anything else is the first page."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


@login_required
@require_GET
def review_queue(request, project_slug: str):
    """Show a project's submitted tasks with their signals; filter, sort, page and claim them."""
    project = overseen_project(request, project_slug)
    params = request.GET
    sort = params.get("sort") if params.get("sort") in selectors.SORTS else selectors.DEFAULT_SORT
    descending = params.get("dir") == "desc"
    filters = {"writer": params.get("writer", ""), "status": params.get("status", "submitted"),
               "flag": params.get("flag", "")}
    page = selectors.queue_page(project, sort=sort, descending=descending,
                                page=_page_number(params.get("page")), **filters)
    return render(request, "review/queue.html", {
        "project": project, "rows": page.rows, "page": page, "filters": filters,
        "columns": _columns(sort, descending),
        "writers": selectors.queue_writers(project),
        "statuses": selectors.STATUS_FILTERS, "flag_labels": selectors.FLAG_LABELS,
        "is_manager": is_manager(request.user, project),
        "webhooks_failing": webhooks_failing(project=project),
        "thresholds": thresholds.threshold_rows(project),
    })


@login_required
@require_POST
def project_thresholds(request, project_slug: str):
    """Save a project's flag thresholds from the queue page's form (leads and admins)."""
    project = overseen_project(request, project_slug)
    values = {key: request.POST[key] for key in THRESHOLDS if key in request.POST}
    try:
        thresholds.thresholds_update(project=project, user=request.user, values=values)
    except services.ReviewForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, THRESHOLDS_SAVED)
    return redirect("review-queue", project_slug=project.slug)


@login_required
@require_POST
def task_claim(request, task_id: int):
    """Claim a task for review, or release the claim (`action=release`), then go back."""
    task = overseen_task(request, task_id)
    try:
        if request.POST.get("action") == "release":
            services.release_claim(task=task, reviewer=request.user)
            messages.success(request, RELEASED.format(task=task.external_id))
        else:
            services.claim_task(task=task, reviewer=request.user)
            messages.success(request, CLAIMED.format(task=task.external_id))
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("review-queue", kwargs={"project_slug": task.project.slug})
    return redirect(back)


def judge_panel(task, round_: int) -> dict:
    """Return the model's critiques shown beside the verdict form: per principle, the model's
    score and critique of the final with the draft's score beside it."""
    pair = critique_pair(task, round_)
    final, draft = pair["final"], pair["draft"]
    draft_scores = ({p["key"]: p["score"] for p in draft.principles}
                    if draft and draft.status == draft.DONE else {})
    by_key = ({p["key"]: {**p, "draft_score": draft_scores.get(p["key"])}
               for p in final.principles} if final and final.status == final.DONE else {})
    spans = [{"key": key, "start": s[0], "end": s[1]}
             for key, p in by_key.items() for s in p.get("spans", [])]
    return {"enabled": task.project.ai_critique, "final": final, "by_key": by_key,
            "spans": spans}


def _player_config(request, task, claim, panel: dict, metrics: dict) -> dict:
    authors = set(playback.task_authors(task))  # one scan per trace state, cached
    authors.add(request.user.username)
    return {
        "taskId": task.pk, "apiBase": "/api", "csrfToken": get_token(request),
        "kind": task.project.kind, "status": task.status, "user": request.user.username,
        "rubric": settings_for(task).rubric,
        "colours": {name: user_colour(name) for name in sorted(authors)},
        "claimedBy": claim.reviewer.username if claim else None,
        "canReview": task.status == task_status.SUBMITTED,
        "quoteSpans": panel["spans"],
        # {seq: where pasted text came from}, as the signals on this page judged it (the
        # events by seq range carry only what was stored with each event).
        "pasteSources": metrics.get("paste_sources") or {},
    }


@login_required
@require_GET
def task_player(request, task_id: int):
    """Show a task's trajectory player, diffs, signals, review history and verdict form."""
    task = overseen_task(request, task_id)
    claim = selectors.claim_of(task)
    final = Submission.objects.filter(task=task).order_by("-round").first()
    panel = judge_panel(task, final.round if final else task.round)
    gold = is_gold(task)
    metrics = metrics_of(task)
    return render(request, "review/player.html", {
        "is_gold": gold, "gold_outcomes": task_outcomes(task) if gold else [],
        "task": task, "project": task.project, "claim": claim, "final": final,
        "critique": panel, "rubric": settings_for(task).rubric,
        "is_manager": is_manager(request.user, task.project),
        "metrics": metrics, "flag_labels": selectors.FLAG_LABELS,
        "reviews": selectors.reviews_of(task),
        "config": _player_config(request, task, claim, panel, metrics),
        # The verdict form is replaced by why not, on one's own round.
        "own_round": (not task.project.allow_self_review and selectors.is_round_author(
            task=task, user=request.user, round_=task.round)),
        "may_override": bool(claim and claim.reviewer_id != request.user.pk
                             and is_manager(request.user, task.project)),
    })


@login_required
@require_GET
def writer_dashboard(request, project_slug: str):
    """Show per-writer approval rates, median signals, rubric averages and flags over time."""
    project = overseen_project(request, project_slug)
    sort = "trust" if request.GET.get("sort") == "trust" else "flagged"
    page = max(parse_count(request.GET.get("page", "")) or 1, 1)
    rows, total = stats.writer_page(project, sort=sort, offset=(page - 1) * stats.PER_PAGE,
                                    limit=stats.PER_PAGE)
    pages = max((total + stats.PER_PAGE - 1) // stats.PER_PAGE, 1)
    if page > pages:  # past the end (fewer writers now): the last page
        page = pages
        rows, _ = stats.writer_page(project, sort=sort, offset=(page - 1) * stats.PER_PAGE,
                                    limit=stats.PER_PAGE)
    return render(request, "review/writers.html", {
        "project": project, "rows": rows, "sort": sort, "total": total,
        "page": page, "pages": pages, "first": (page - 1) * stats.PER_PAGE + 1,
        "last": (page - 1) * stats.PER_PAGE + len(rows),
        "flag_labels": selectors.FLAG_LABELS,
        "principles": {p["key"]: p["name"] for p in project.rubric or []},
    })
