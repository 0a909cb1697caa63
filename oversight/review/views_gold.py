"""Lead pages for gold tasks: plant flaws in a task's draft, set the project's gold rate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from oversight.core.gold import MAX_DESCRIPTION
from oversight.workspace import gold as gold_services
from oversight.workspace.access import is_manager
from oversight.workspace.models import GoldFlaw

from .gold import task_outcomes
from .views import overseen_project, overseen_task

FLAW_ADDED = "Flaw planted at {start}–{end}: {task} is a gold task."
FLAW_REMOVED = "Flaw removed."
RATE_SAVED = "Gold rate saved: {rate:.0%} of each writer's assignments ({given} gold task(s) " \
             "assigned now)."


def _managed_task(request, task_id: int):
    task = overseen_task(request, task_id)
    if not is_manager(request.user, task.project):
        raise PermissionDenied(gold_services.NOT_MANAGER)
    return task


def _segments(text: str, flaws: list[dict]) -> list[dict]:
    """The draft cut at every flaw edge: [{text, flaws: [numbers covering it]}], to mark them."""
    cuts = sorted({0, len(text), *(f["start"] for f in flaws), *(f["end"] for f in flaws)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [n for n, f in enumerate(flaws, 1) if f["start"] <= start and end <= f["end"]]
        out.append({"text": text[start:end], "flaws": covering})
    return out


def _whole(value: str) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def task_gold(request, task_id: int):
    """Show the task's draft and planted flaws; POST plants one (a span and a description)."""
    task = _managed_task(request, task_id)
    if request.method == "POST":
        start, end = _whole(request.POST.get("start")), _whole(request.POST.get("end"))
        try:
            if start is None or end is None:
                raise gold_services.GoldError("Select the flaw's span in the draft (or give "
                                              "its start and end offsets).")
            gold_services.flaw_add(task=task, user=request.user, start=start, end=end,
                                   description=request.POST.get("description", ""),
                                   test=request.POST.get("test", ""))
        except gold_services.GoldError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, FLAW_ADDED.format(start=start, end=end,
                                                        task=task.external_id))
        return redirect("review-task-gold", task_id=task.pk)
    draft = getattr(task, "draft", None)
    flaws = gold_services.flaws_of(task)
    text = draft.text if draft else ""
    for flaw in flaws:
        flaw["quote"] = text[flaw["start"]:flaw["end"]]
    return render(request, "review/gold.html", {
        "task": task, "project": task.project, "draft": draft, "flaws": flaws,
        "segments": _segments(text, flaws),
        "outcomes": task_outcomes(task) if flaws else [],
        "max_description": MAX_DESCRIPTION,
        "assigned": list(task.assignees.values_list("username", flat=True)),
        "in_group": gold_services.in_group_refusal(task),
    })


@login_required
@require_POST
def flaw_delete(request, task_id: int, flaw_id: int):
    task = _managed_task(request, task_id)
    flaw = get_object_or_404(GoldFlaw, pk=flaw_id, task=task)
    gold_services.flaw_delete(flaw=flaw, user=request.user)
    messages.success(request, FLAW_REMOVED)
    return redirect("review-task-gold", task_id=task.pk)


@login_required
@require_POST
def project_gold_rate(request, project_slug: str):
    """Save the project's gold rate from the queue page's settings (leads and admins)."""
    project = overseen_project(request, project_slug)
    try:
        given = gold_services.gold_rate_update(project=project, user=request.user,
                                               value=request.POST.get("gold_rate"))
    except gold_services.GoldForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except gold_services.GoldError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, RATE_SAVED.format(rate=project.gold_rate, given=given))
    return redirect("review-queue", project_slug=project.slug)
