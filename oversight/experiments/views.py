"""The experiment pages of a project: the list and the form to start one; one report; stop."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from oversight.workspace.access import is_manager, is_overseer, projects_for
from oversight.workspace.models import Project

from . import forms, services
from .models import Experiment
from .plots import interval_plot, shown
from .report import GROUPS, experiment_report
from .selectors import experiments_of
from .variants import MODEL_HELP, describe

NOT_OVERSEER = "Only the project's reviewers, leads and admins see its experiments."
STARTED = "Experiment started: tasks imported from now on are assigned to its variants."
STOPPED = "Experiment stopped: its report is frozen, and new tasks join no variant."


def overseen_project(request, slug: str) -> Project:
    """A project the user oversees; 404 for non-members, 403 for its writers."""
    project = get_object_or_404(projects_for(request.user), slug=slug)
    if not is_overseer(request.user, project):
        raise PermissionDenied(NOT_OVERSEER)
    return project


def experiment_of(project: Project, experiment_id: int) -> Experiment:
    return get_object_or_404(Experiment.objects.filter(project=project), pk=experiment_id)


@login_required
@require_http_methods(["GET", "POST"])
def project_experiments(request, project_slug: str):
    """List the project's experiments; leads start one (the form keeps what was typed)."""
    project = overseen_project(request, project_slug)
    post = None
    if request.method == "POST":
        post = request.POST
        values, problems = forms.parse(post)
        try:
            if problems:  # what the form could not read, and what the service would refuse
                problems += services.definition_problems(**values)
                raise services.ExperimentError(400, "invalid", "; ".join(problems))
            experiment = services.experiment_create(project=project, user=request.user, **values)
        except services.ExperimentError as exc:
            if exc.status == 403:
                raise PermissionDenied(str(exc)) from exc
            messages.error(request, str(exc))
        else:
            messages.success(request, STARTED)
            return redirect("experiment", project_slug=project.slug,
                            experiment_id=experiment.pk)
    experiments = list(experiments_of(project))
    return render(request, "experiments/list.html", {
        "project": project, "experiments": experiments,
        "running": next((e for e in experiments if e.is_running), None),
        "is_manager": is_manager(request.user, project),
        "slots": forms.blank_slots(post), "model_help": MODEL_HELP,
        "form": post or {"unit": Experiment.TASK}})


def _interval(row: dict, unit: str, *, signed: bool = False) -> str:
    if row["low"] is None:
        return "–"
    return f'{shown(row["low"], unit, signed=signed)} to {shown(row["high"], unit, signed=signed)}'


def _shown(metric: dict) -> dict:
    """The metric with its plot and each figure formatted beside the exact value."""
    unit = metric["unit"]
    return {**metric, "plot": interval_plot(metric),
            "variants": [{**r, "shown_mean": shown(r["mean"], unit),
                          "shown_ci": _interval(r, unit)} for r in metric["variants"]],
            "differences": [{**d, "shown_difference": shown(d["difference"], unit, signed=True),
                             "shown_ci": _interval(d, unit, signed=True)}
                            for d in metric["differences"]]}


def report_context(experiment: Experiment, report: dict) -> dict:
    """The report's figures grouped for the page, each metric with its plot."""
    groups = []
    submitted = sum(v["submitted"] for v in report["variants"])
    for key, title in GROUPS.items() if submitted else ():
        metrics = [_shown(m) for m in report["metrics"] if m["group"] == key]
        if metrics:
            groups.append({"key": key, "title": title, "metrics": metrics})
    variants = [{**v, "described": describe(v["settings"])} for v in report["variants"]]
    computed = report["computed_at"][:16].replace("T", " ") + " UTC"
    return {"report": report, "groups": groups, "variants": variants, "computed": computed,
            "submitted": submitted}


@login_required
@require_http_methods(["GET"])
def experiment_page(request, project_slug: str, experiment_id: int):
    """One experiment: its hypothesis, variants and the report (frozen once stopped)."""
    project = overseen_project(request, project_slug)
    experiment = experiment_of(project, experiment_id)
    return render(request, "experiments/detail.html", {
        "project": project, "experiment": experiment,
        "is_manager": is_manager(request.user, project),
        **report_context(experiment, experiment_report(experiment))})


@login_required
@require_POST
def experiment_stop(request, project_slug: str, experiment_id: int):
    """Stop the experiment (leads and admins) and freeze its report."""
    project = overseen_project(request, project_slug)
    experiment = experiment_of(project, experiment_id)
    try:
        services.experiment_stop(experiment=experiment, user=request.user)
    except services.ExperimentError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc))
    else:
        messages.success(request, STOPPED)
    return redirect("experiment", project_slug=project.slug, experiment_id=experiment.pk)
