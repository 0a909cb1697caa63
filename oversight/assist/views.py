"""The project's model-help settings page, for its leads and admins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from oversight.workspace.access import is_manager, projects_for

from .forms import ModelHelpForm

NOT_A_MANAGER = "Only the project's leads and admins may change its model-help settings."
SAVED = "Model-help settings saved."


@login_required
def project_model_help(request, project_slug: str):
    """Show (GET) or save (POST) whether writers may ask the model for help, and how often."""
    project = get_object_or_404(projects_for(request.user), slug=project_slug)
    if not is_manager(request.user, project):
        raise PermissionDenied(NOT_A_MANAGER)
    form = ModelHelpForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, SAVED)
        return redirect("project-model-help", project_slug=project.slug)
    return render(request, "assist/model_help.html", {"project": project, "form": form})
