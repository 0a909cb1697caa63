"""Writes of verifier runs: start one (checked, rate-limited, enqueued), execute one."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oversight.core.trajectory import sha256_text
from oversight.core.verifier_spec import VerifierSpecError, validate_verifier
from oversight.jobs import enqueue
from oversight.traces import selectors as trace_selectors
from oversight.webhooks.events import VERIFIER_COMPLETED, emit_task_event
from oversight.workspace.models import Task
from oversight.workspace.realtime import announce
from oversight.workspace.task_settings import settings_for

from . import selectors
from .config import run_limits, sandbox_config
from .models import MANUAL, QUEUED, RUNNING, SUBMIT, VerifierRun
from .runner import RunReport, run_spec
from .slots import sandbox_slot

NO_VERIFIER = ("This task has no tests: its import gave no verifier and project '{project}' "
               "has no default.")
BAD_SPEC = "The verifier in force for this task is invalid: {errors}"
BAD_SEQ = "seq {seq} is beyond the trajectory's {last} events."
# DRF's 429 adds "Expected available in N seconds." and the Retry-After header.
RATE_LIMITED = "You started {limit} test runs in the last minute, the most allowed."
NOT_GREEN = ("This project requires passing tests to submit: {failing} on the current text. "
             "Fix the code and run the tests again.")
NOT_RUN = ("This project requires passing tests to submit: run the tests on the current text "
           "first.")
RATE_WINDOW = timedelta(minutes=1)

log = logging.getLogger("oversight.verifiers")


class VerifierError(ValueError):
    """A refused run, with a message the user can act on."""


class RateLimited(VerifierError):
    def __init__(self, message: str, wait: int):
        super().__init__(message)
        self.wait = wait


def _spec(task: Task) -> dict:
    spec = task.verifier_spec()
    if not spec:
        raise VerifierError(NO_VERIFIER.format(project=task.project.slug))
    try:
        return validate_verifier(spec)
    except VerifierSpecError as exc:
        raise VerifierError(BAD_SPEC.format(errors="; ".join(exc.errors))) from exc


def run_rate_check(*, user) -> None:
    """Raise RateLimited when the user started the most runs allowed in the last minute."""
    limit = settings.VERIFIERS["RATE_PER_MINUTE"]
    since = timezone.now() - RATE_WINDOW
    recent = list(VerifierRun.objects.filter(started_by=user, trigger=MANUAL,
                                             created_at__gte=since)
                  .order_by("-created_at").values_list("created_at", flat=True)[:limit])
    if len(recent) >= limit:
        wait = max(1, int((recent[-1] + RATE_WINDOW - timezone.now()).total_seconds()) + 1)
        raise RateLimited(RATE_LIMITED.format(limit=limit), wait)


def run_create(*, task: Task, user, seq: int | None = None, trigger: str = MANUAL,
               text: str | None = None) -> VerifierRun:
    """Queue a run of the task's tests on its text at `seq` (default: the latest)."""
    spec = _spec(task)
    last = trace_selectors.last_seq(task)
    seq = last if seq is None else seq
    if seq < 0 or seq > last:
        raise VerifierError(BAD_SEQ.format(seq=seq, last=last))
    if trigger == MANUAL:
        run_rate_check(user=user)
    if text is None:
        text = trace_selectors.text_at(task, seq)
    with transaction.atomic():
        run = VerifierRun.objects.create(task=task, seq=seq, round=task.round, text=text,
                                         sha256=sha256_text(text), spec=spec, trigger=trigger,
                                         started_by=user)
        from .jobs import verifier_run_job

        enqueue(verifier_run_job, run.pk)
        announce(task.doc_id, {"t": "verifier", "run": selectors.run_record(run)})
    return run


def runs_on_submit(*, task: Task, user, final_text: str, events: int) -> None:
    """Queue the final's run, and the draft's if it never ran: the export compares them."""
    if not task.verifier_spec():
        return
    draft = trace_selectors.draft_text(task)
    if selectors.latest_finished_on(task, sha256_text(draft)) is None:
        run_create(task=task, user=user, seq=0, trigger=SUBMIT, text=draft)
    run_create(task=task, user=user, seq=events, trigger=SUBMIT, text=final_text)


def green_problem(task: Task, final_text: str) -> str | None:
    """What stops a submission in a project requiring green tests, or None."""
    if not settings_for(task).require_green_tests or not task.verifier_spec():
        return None
    run = selectors.latest_finished_on(task, sha256_text(final_text))
    if run is None:
        return NOT_RUN
    if run.status == "passed":
        return None
    failing = [test["name"] for test in run.tests if test["outcome"] in ("failed", "error")]
    named = ", ".join(failing[:5]) + (f" and {len(failing) - 5} more" if len(failing) > 5 else "")
    what = f"{named} fail" if failing else f"the run ended with '{run.status}'"
    return NOT_GREEN.format(failing=what)


def run_execute(*, run_id: int) -> str:
    """Run a queued run in the sandbox and store its result (the job's body)."""
    with transaction.atomic():
        run = VerifierRun.objects.select_for_update().select_related("task").get(pk=run_id)
        if run.status != QUEUED:
            return run.status  # already taken: a job runs at most once per run
        run.status, run.started_at = RUNNING, timezone.now()
        run.save(update_fields=["status", "started_at"])
        announce(run.task.doc_id, {"t": "verifier", "run": selectors.run_record(run)})
    try:
        with sandbox_slot():
            report = run_spec(spec=run.spec, text=run.text, config=sandbox_config(),
                              limits=run_limits(run.spec["timeout_s"]))
    except Exception as exc:  # a broken run must end, not stay 'running' forever
        log.exception("verifier run %s could not run", run.pk)
        report = RunReport("error", [], f"The run could not start: {type(exc).__name__}.")
    run.status, run.output = report.status, report.output
    run.total, run.passed, run.failed = report.total, report.passed, report.failed
    run.tests = [test.as_dict() for test in report.tests]
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save(update_fields=["status", "output", "total", "passed", "failed", "tests",
                                "finished_at"])
        announce(run.task.doc_id, {"t": "verifier", "run": selectors.run_record(run)})
        emit_task_event(VERIFIER_COMPLETED, task=run.task, data=_event_data(run))
    return run.status


def _event_data(run: VerifierRun) -> dict:
    """Return the `verifier.completed` webhook's data: which text ran and how it ended."""
    return {"run_id": run.pk, "seq": run.seq, "sha256": run.sha256, "outcome": run.status,
            "total": run.total, "passed": run.passed, "failed": run.failed}
