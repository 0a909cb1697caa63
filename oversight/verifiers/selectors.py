"""Reads of verifier runs: a run's record, a task's runs, and the per-task summary."""

from __future__ import annotations

from oversight.core.trajectory import sha256_text
from oversight.core.verifier_summary import summarize_runs

from .models import FINISHED, VerifierRun

RECORD_KEYS = ("id", "task_id", "seq", "sha256", "status", "total", "passed", "failed",
               "tests", "output", "started_by", "created_at", "finished_at")


def _iso(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def run_record(run: VerifierRun) -> dict:
    """The one shape of a run, for the API, the room announcements and the trajectory."""
    return {"id": run.pk, "task_id": run.task_id, "seq": run.seq, "sha256": run.sha256,
            "status": run.status, "total": run.total, "passed": run.passed,
            "failed": run.failed, "tests": run.tests, "output": run.output,
            "started_by": run.started_by.username if run.started_by else None,
            "created_at": _iso(run.created_at), "finished_at": _iso(run.finished_at)}


def runs_of(task) -> list[VerifierRun]:
    return list(VerifierRun.objects.filter(task=task).select_related("started_by").order_by("id"))


def latest_finished_on(task, sha256: str) -> VerifierRun | None:
    """The newest finished run on exactly this text."""
    return (VerifierRun.objects.filter(task=task, sha256=sha256, status__in=FINISHED)
            .order_by("-id").first())


def latest_finished_on_many(finals: dict[int, str]) -> dict[int, VerifierRun]:
    """{task id: its newest finished run on exactly the text of that sha256}, in one query."""
    if not finals:
        return {}
    latest: dict[int, VerifierRun] = {}
    for run in (VerifierRun.objects.filter(task_id__in=list(finals), status__in=FINISHED,
                                           sha256__in=set(finals.values())).order_by("id")):
        if finals[run.task_id] == run.sha256:
            latest[run.task_id] = run  # oldest first: the last one wins
    return latest


def summaries_for(tasks) -> dict[int, dict]:
    """{task id: summary} for tasks annotated with `submission_id`, in two queries."""
    from oversight.traces.models import Submission

    ids = [task.pk for task in tasks]
    finals = dict(Submission.objects.filter(pk__in=[t.submission_id for t in tasks
                                                    if getattr(t, "submission_id", None)])
                  .values_list("task_id", "sha256"))
    runs: dict[int, list[dict]] = {pk: [] for pk in ids}
    for run in (VerifierRun.objects.filter(task_id__in=ids).select_related("started_by")
                .order_by("task_id", "id")):
        runs[run.task_id].append(run_record(run))
    return {task.pk: summarize_runs(
        runs[task.pk], draft_sha=sha256_text(getattr(getattr(task, "draft", None), "text", "")),
        final_sha=finals.get(task.pk)) for task in tasks}


def task_verifier_summary(task, *, final_text: str | None) -> dict:
    """The summary of a task's runs, the final being `final_text` (None: not submitted)."""
    draft = getattr(task, "draft", None)
    return summarize_runs([run_record(run) for run in runs_of(task)],
                          draft_sha=sha256_text(draft.text if draft else ""),
                          final_sha=sha256_text(final_text) if final_text is not None else None)
