"""Home pages: a writer's task list and the overseers' per-project tables; draft generation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oversight.core.numbers import parse_count

from .access import is_manager, visible_tasks
from .drafting import DocumentStarted, draft_generate, provider_for
from .providers import ProviderError
from .selectors import my_tasks, my_waiting_tasks, overseen_projects
from .services import DraftExists

DRAFT_GENERATED = "Generated a draft for {task} with {model}."
NOT_A_MANAGER = "Only the project's leads and admins may generate drafts."


@login_required
def home(request):
    """Show the user's own tasks and, for overseers, each project's task table."""
    waiting = list(my_waiting_tasks(request.user))
    return render(request, "workspace/home.html", {
        "waiting": waiting,
        "my_tasks": my_tasks(request.user).exclude(pk__in=[t.pk for t in waiting]),
        "projects": overseen_projects(request.user, pages=_pages(request)),
    })


def _pages(request) -> dict[str, int]:
    """{project slug: page} of a project's task table (`?project=<slug>&page=<n>`)."""
    page = parse_count(request.GET.get("page", ""))
    slug = request.GET.get("project", "")
    return {slug: page} if slug and page else {}


@login_required
@require_POST
def generate_draft(request, task_id: int):
    """Generate a task's draft with the configured provider and report the outcome."""
    task = get_object_or_404(visible_tasks(request.user).select_related("project"), pk=task_id)
    if not is_manager(request.user, task.project):
        raise PermissionDenied(NOT_A_MANAGER)
    try:
        draft = draft_generate(task=task, provider=provider_for(task))
    except (DraftExists, DocumentStarted, ProviderError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, DRAFT_GENERATED.format(task=task, model=draft.model))
    return redirect("home")
