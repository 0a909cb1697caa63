"""Home pages: a writer's task list and the overseers' per-project tables."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import my_tasks, overseen_projects


@login_required
def home(request):
    """Show the user's own tasks and, for overseers, each project's task table."""
    return render(request, "workspace/home.html", {
        "my_tasks": my_tasks(request.user),
        "projects": overseen_projects(request.user),
    })
