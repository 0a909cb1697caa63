"""An experiment's report: each metric per variant, over the tasks submitted in the experiment.

The figures come from the same places as the rest of the workbench: the stored quality
signals (oversight.review.metrics), the latest verdict and its rubric scores, the
verifier's summary of the final. A stopped experiment's report is the one stored when it
stopped (`frozen_report`); a running one is computed on every request.
"""

from django.utils import timezone

from oversight.review.metrics import metrics_for, with_trace_state
from oversight.review.selectors import latest_verdicts
from oversight.verifiers.selectors import summaries_for
from oversight.workspace.models import Task

from . import stats
from .models import Experiment, TaskVariant

# key, label, group, unit ("s", "share": a 0–1 rate, "count", "score")
METRICS = (
    ("active_seconds", "Active time", "effort", "s"),
    ("open_to_submit_seconds", "Open to submit", "effort", "s"),
    ("changed_fraction", "Changed from the draft", "process", "share"),
    ("paste_share", "Pasted share of insertions", "process", "share"),
    ("self_revisions", "Self-revisions", "process", "count"),
    ("notes", "Reasoning notes", "process", "count"),
    ("flagged", "Flagged", "flags", "share"),
    ("approved", "Approved at latest review", "review", "share"),
    ("rubric_average", "Rubric average (1–5)", "review", "score"),
    ("verifier_passed", "Final passes its tests", "verifier", "share"),
)
GROUPS = {"effort": "Effort", "process": "Process signals", "flags": "Flags",
          "review": "Review outcomes and rubric scores", "verifier": "Verifier"}


def _rubric_average(scores: dict) -> float | None:
    values = [v for v in (scores or {}).values() if isinstance(v, (int, float))]
    return sum(values) / len(values) if values else None


def task_values(task, metrics: dict, verdict, tests: dict) -> dict:
    """One submitted task's value of every metric (None: it does not apply to the task)."""
    passing, total = tests.get("tests_passing_final"), tests.get("tests_total")
    return {
        "active_seconds": metrics.get("active_seconds"),
        "open_to_submit_seconds": metrics.get("open_to_submit_seconds"),
        "changed_fraction": metrics.get("changed_fraction"),
        "paste_share": metrics.get("paste_share"),
        "self_revisions": metrics.get("self_revisions"),
        "notes": metrics.get("notes"),
        "flagged": 1.0 if metrics.get("flags") else 0.0,
        "approved": None if verdict is None else float(verdict.verdict == "approve"),
        "rubric_average": None if verdict is None else _rubric_average(verdict.scores),
        "verifier_passed": (None if passing is None or not total
                            else float(passing == total)),
    }


def _submitted_values(experiment: Experiment) -> dict[int, list[dict]]:
    """{variant id: the values of each of its submitted tasks}."""
    assigned = dict(TaskVariant.objects.filter(experiment=experiment)
                    .values_list("task_id", "variant_id"))
    tasks = list(with_trace_state(Task.objects.filter(pk__in=list(assigned))
                                  .select_related("project", "draft"))
                 .filter(submission_id__isnull=False))
    metrics = metrics_for(tasks)
    verdicts = latest_verdicts([t.pk for t in tasks])
    tests = summaries_for(tasks)
    values: dict[int, list[dict]] = {}
    for task in tasks:
        values.setdefault(assigned[task.pk], []).append(
            task_values(task, metrics[task.pk], verdicts.get(task.pk), tests[task.pk]))
    return values


def _iso(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def experiment_summary(experiment: Experiment) -> dict:
    return {"id": experiment.pk, "project": experiment.project.slug, "name": experiment.name,
            "hypothesis": experiment.hypothesis, "unit": experiment.unit,
            "seed": experiment.seed, "status": experiment.status,
            "created_at": _iso(experiment.created_at), "stopped_at": _iso(experiment.stopped_at)}


def experiment_report(experiment: Experiment, *, live: bool = False) -> dict:
    """The report's JSON: the frozen one of a stopped experiment, else computed now."""
    if experiment.frozen_report is not None and not live:
        return experiment.frozen_report
    variants = list(experiment.variants.order_by("position"))
    names = [v.name for v in variants]
    values = _submitted_values(experiment)
    counts = {v: n for v, n in _assigned_counts(experiment).items()}
    metrics = []
    for place, (key, label, group, unit) in enumerate(METRICS):
        per_variant = [[row[key] for row in values.get(v.pk, []) if row[key] is not None]
                       for v in variants]
        metrics.append({"key": key, "label": label, "group": group, "unit": unit,
                        **stats.compare(per_variant, names, seed=experiment.seed,
                                        metric_place=place, unit=unit)})
    return {
        "experiment": experiment_summary(experiment),
        "variants": [{"name": v.name, "position": v.position, "settings": v.settings,
                      "assigned": counts.get(v.pk, 0), "submitted": len(values.get(v.pk, []))}
                     for v in variants],
        "baseline": names[0],
        "confidence": stats.CONFIDENCE,
        "method": stats.METHOD,
        "min_per_variant": stats.MIN_PER_VARIANT,
        "metrics": metrics,
        "computed_at": _iso(timezone.now()),
        "frozen": False,
    }


def _assigned_counts(experiment: Experiment) -> dict[int, int]:
    counts: dict[int, int] = {}
    for variant_id in TaskVariant.objects.filter(experiment=experiment).values_list(
            "variant_id", flat=True):
        counts[variant_id] = counts.get(variant_id, 0) + 1
    return counts
