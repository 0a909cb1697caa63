"""Reads of verifier runs: a run's record, a task's runs, and the per-task summary."""

from __future__ import annotations

from oversight.core.trajectory import sha256_text

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


def summarize(runs: list[VerifierRun], *, draft_sha: str | None,
              final_sha: str | None) -> dict:
    """tests_total, tests_passing_draft/final (None: never run), first_green_seq, runs."""
    finished = [run for run in runs if run.status in FINISHED]

    def passing(sha):
        matching = [run for run in finished if sha and run.sha256 == sha]
        return matching[-1].passed if matching else None

    green = [run.seq for run in finished if run.status == "passed"]
    return {"tests_total": max((run.total for run in finished), default=0),
            "tests_passing_draft": passing(draft_sha),
            "tests_passing_final": passing(final_sha),
            "first_green_seq": min(green) if green else None,
            "verifier_runs": len(runs)}


def task_verifier_summary(task, *, final_text: str | None) -> dict:
    """The summary of a task's runs, the final being `final_text` (None: not submitted)."""
    draft = getattr(task, "draft", None)
    return summarize(runs_of(task), draft_sha=sha256_text(draft.text if draft else ""),
                     final_sha=sha256_text(final_text) if final_text is not None else None)
