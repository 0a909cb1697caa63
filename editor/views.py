"""The task page: prompt and instructions beside the live editor."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from oversight.workspace.access import can_edit_task, can_view_task, role_in
from oversight.workspace.colours import user_colour
from oversight.workspace.models import Task
from oversight.workspace.selectors import next_task_for
from oversight.workspace.task_settings import settings_for


def _next_task(user, task) -> dict | None:
    """Where Submit leads: the writer's next waiting task, prepared with the page."""
    following = next_task_for(user, after=task)
    if following is None:
        return None
    return {"id": following.pk, "externalId": following.external_id,
            "url": reverse("task-editor", args=[following.pk])}


@login_required
def task_editor(request, task_id: int):
    """Show a task's prompt, instructions and collaborative editor to those allowed to see it."""
    task = get_object_or_404(Task.objects.select_related("project", "draft"), pk=task_id)
    if not can_view_task(request.user, task):
        raise Http404("No such task.")
    scheme = "wss" if request.is_secure() else "ws"
    can_edit = can_edit_task(request.user, task)
    read_only = not (can_edit and task.is_editable)
    in_force = settings_for(task)  # the project's, or its experiment variant's
    config = {
        "wsUrl": f"{scheme}://{request.get_host()}/ws/docs",
        "docId": str(task.doc_id),
        "taskId": task.pk,
        "user": {"name": request.user.username, "color": user_colour(request.user.username)},
        "readOnly": read_only,
        "canEdit": can_edit,
        "language": task.project.language,
        "kind": task.project.kind,
        "apiBase": "/api",
        "csrfToken": get_token(request),
        "role": role_in(request.user, task.project),
        "status": task.status,
        "rubric": [{"key": p["key"], "name": p.get("name") or p["key"]}
                   for p in in_force.rubric],
        "notesPerChangedChars": in_force.notes_per_changed_chars,
        "modelHelp": in_force.model_help,
        "round": task.round,
        # For the submit summary ("N characters changed", "the draft is unchanged").
        "draftText": task.draft.text if getattr(task, "draft", None) else "",
        "nextTask": _next_task(request.user, task) if can_edit else None,
    }
    return render(request, "editor/task.html", {"task": task, "config": config,
                                                "read_only": read_only,
                                                "settings": in_force,
                                                "has_tests": bool(task.verifier_spec())})
