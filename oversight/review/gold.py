"""Gold outcomes: which planted flaws each submitted gold round caught, and writers' catch rates.

The span part is computed once, after the submission commits, and stored
(`GoldOutcome`); the test part of a flaw with a planted failing test is read from the
final's newest finished verifier run when shown, as that run finishes later. Reads
never write (the export reads in a read-only transaction): an outcome not recorded
(a submission by a path that did not record it, e.g. an imported trajectory) is
computed when read.
"""

import logging

from django.db import IntegrityError, transaction

from oversight.core.gold import caught_flaws
from oversight.traces import selectors as traces
from oversight.traces.models import EditEvent, Submission
from oversight.verifiers.models import FINISHED, VerifierRun
from oversight.workspace.gold import flaws_by_task, flaws_of
from oversight.workspace.models import Project, Task

from .models import GoldOutcome

log = logging.getLogger("oversight.review")


def _span_results(task: Task, submission: Submission, flaws: list[dict]) -> list[dict]:
    deltas = (EditEvent.objects.filter(task=task, seq__lte=submission.events).order_by("seq")
              .values_list("ops", flat=True).iterator(chunk_size=2000))
    results = caught_flaws(traces.draft_text(task), deltas, flaws)
    return [{k: r[k] for k in ("id", "start", "end", "description", "test", "span_changed")}
            for r in results]


def record_outcome(*, task: Task, submission: Submission) -> GoldOutcome | None:
    """Store which flaws the submitted round changed (None: not a gold task)."""
    flaws = flaws_of(task)
    if not flaws:
        return None
    try:
        with transaction.atomic():
            return GoldOutcome.objects.create(
                submission=submission, task=task, writer_id=submission.submitted_by_id,
                flaws=_span_results(task, submission, flaws))
    except IntegrityError:  # recorded meanwhile by another reader
        return GoldOutcome.objects.get(submission=submission)


def record_after_submit(task: Task, submission: Submission) -> None:
    """Record a submission's gold outcome after it committed; a failure costs only that."""
    try:
        record_outcome(task=task, submission=submission)
    except Exception:
        log.exception("task %s: could not record its gold outcome", task.pk)


def _passed_tests(submissions: dict[int, Submission]) -> dict[int, set[str] | None]:
    """{submission id: names of tests passing on its final (None: no finished run)}."""
    by_key = {(s.task_id, s.sha256): s.pk for s in submissions.values()}
    out: dict[int, set[str] | None] = dict.fromkeys(submissions)
    runs = (VerifierRun.objects.filter(task_id__in={s.task_id for s in submissions.values()},
                                       status__in=FINISHED)
            .order_by("id").values_list("task_id", "sha256", "tests"))
    for task_id, sha, tests in runs:  # the newest run on the final wins
        pk = by_key.get((task_id, sha))
        if pk is not None:
            out[pk] = {t["name"] for t in tests or [] if t.get("outcome") == "passed"}
    return out


def _with_tests(flaws: list[dict], passed: set[str] | None) -> list[dict]:
    out = []
    for flaw in flaws:
        test = flaw.get("test") or ""
        test_passed = None if not test or passed is None else test in passed
        out.append({**flaw, "test_passed": test_passed,
                    "caught": flaw["span_changed"] and (not test or test_passed is True)})
    return out


def project_outcomes(project: Project, task: Task | None = None) -> list[dict]:
    """Every gold round of the project (or of one task), oldest first: writer, round,
    flaws with `caught`. Reads only: a round whose outcome was not recorded (submitted
    by a path that did not record it) is computed here the same way, not stored."""
    submissions = (Submission.objects.filter(task__project=project,
                                             task__gold_flaws__isnull=False)
                   .distinct().select_related("submitted_by", "task__draft")
                   .order_by("submitted_at", "id"))
    if task is not None:
        submissions = submissions.filter(task=task)
    submissions = {s.pk: s for s in submissions}
    stored = dict(GoldOutcome.objects.filter(submission__in=list(submissions))
                  .values_list("submission_id", "flaws"))
    missing = {s.task_id for pk, s in submissions.items() if pk not in stored}
    flaws = flaws_by_task(missing) if missing else {}
    passed = _passed_tests(submissions)
    rows = []
    for pk, submission in submissions.items():
        spans = stored.get(pk) or _span_results(submission.task, submission,
                                                flaws.get(submission.task_id, []))
        checked = _with_tests(spans, passed[pk])
        rows.append({"task": submission.task, "round": submission.round,
                     "writer": submission.submitted_by.username, "at": submission.submitted_at,
                     "flaws": checked, "caught": sum(f["caught"] for f in checked),
                     "total": len(checked)})
    return rows


def catches_by_writer(project: Project) -> dict[str, dict]:
    """{username: {caught, missed, rounds}} over every gold round they submitted."""
    out: dict[str, dict] = {}
    for row in project_outcomes(project):
        tally = out.setdefault(row["writer"], {"caught": 0, "missed": 0, "rounds": 0})
        tally["caught"] += row["caught"]
        tally["missed"] += row["total"] - row["caught"]
        tally["rounds"] += 1
    return out


def task_outcomes(task: Task) -> list[dict]:
    """The gold task's rounds with each flaw caught or missed (the review page's panel)."""
    return project_outcomes(task.project, task)


def gold_meta_for(task_ids) -> dict[tuple[int, int | None], dict]:
    """The export's `meta.gold` of gold tasks, by (task id, round); (task id, None) holds
    the flaws alone, for a task whose round has no recorded outcome. Reads only."""
    flaws = flaws_by_task(task_ids)
    if not flaws:
        return {}
    out: dict[tuple[int, int | None], dict] = {
        (task_id, None): {"flaws": [{**f, "caught": None} for f in items],
                          "caught": None, "total": len(items)}
        for task_id, items in flaws.items()}
    submissions = {s.pk: s for s in Submission.objects.filter(task_id__in=list(flaws))
                   .select_related("task__draft")}
    stored = dict(GoldOutcome.objects.filter(submission__in=list(submissions))
                  .values_list("submission_id", "flaws"))
    passed = _passed_tests(submissions)
    for pk, submission in submissions.items():
        # Not recorded yet (the export reads only): computed here, the same way.
        spans = stored.get(pk) or _span_results(submission.task, submission,
                                                flaws[submission.task_id])
        checked = _with_tests(spans, passed[pk])
        out[(submission.task_id, submission.round)] = {
            "flaws": checked, "caught": sum(f["caught"] for f in checked),
            "total": len(checked)}
    return out
