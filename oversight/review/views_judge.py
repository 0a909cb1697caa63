"""The model judge's page: how far reviewers agree with it, and its settings (leads)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from oversight.judge import services as judge
from oversight.workspace.access import is_manager

from . import plots
from .judge_agreement import project_judge_agreement
from .views import overseen_project

SETTINGS_SAVED = "Judge settings saved."
MAX_MODEL_CHARS = 200


@login_required
@require_GET
def judge_dashboard(request, project_slug: str):
    """Show judge-human agreement per principle and over time; leads also edit the judge."""
    project = overseen_project(request, project_slug)
    figures = project_judge_agreement(project)
    version, template = judge.template_in_force(project)
    return render(request, "review/judge.html", {
        "project": project, "figures": figures, "is_manager": is_manager(request.user, project),
        "template_version": version, "template": template,
        "trend": plots.share_over_time(figures["over_time"], key="agree_rate",
                                       title="Share of assessed critiques the reviewers agreed "
                                             "with, per review day"),
    })


@login_required
@require_POST
def judge_settings(request, project_slug: str):
    """Save whether AI critique runs, the judge model and the prompt template (leads)."""
    project = overseen_project(request, project_slug)
    if not is_manager(request.user, project):
        raise PermissionDenied(judge.NOT_MANAGER)
    model = request.POST.get("judge_model", "").strip()[:MAX_MODEL_CHARS]
    try:
        with transaction.atomic():
            project.ai_critique = request.POST.get("ai_critique") == "on"
            project.judge_model = model
            project.save(update_fields=["ai_critique", "judge_model"])
            judge.template_save(project=project, user=request.user,
                                body=request.POST.get("template", ""))
    except judge.JudgeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, SETTINGS_SAVED)
    return redirect("review-judge", project_slug=project.slug)
