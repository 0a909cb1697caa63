"""Build a task's `oversight.trajectory/v1` record from the database: the one builder."""

import json
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

import orjson
from django.db import connections

from oversight.assist.selectors import assist_record, assists_of_tasks
from oversight.core.anchors import orphaned_notes
from oversight.core.provenance import provenance_at
from oversight.core.trajectory import (
    SCHEMA,
    Final,
    event_from_dict,
    with_evidence,
)
from oversight.experiments.selectors import variant_records
from oversight.judge.models import ModelCritique
from oversight.review.metrics import signals_of_trace, stored_metrics, trace_state_key
from oversight.review.models import Review, TaskSignals
from oversight.traces import selectors
from oversight.traces.focus import focus_record, focus_rows
from oversight.traces.models import EditEvent, NoteVersion, Submission
from oversight.traces.models import Note as NoteRow
from oversight.verifiers.models import VerifierRun
from oversight.verifiers.selectors import run_record


def final_provenance(task, events: list, final_seq: int,
                     stored: list[dict] | None = None) -> list[dict]:
    """Return the runs of origins of the final: the text after its submission's last event.

    Submissions store them (`Submission.provenance`); one stored before that is replayed.
    """
    if stored is not None:
        return stored
    draft = getattr(task, "draft", None)
    return provenance_at(draft.text if draft else "", events, final_seq,
                         draft_author=draft.model if draft else "").runs()


def rubric_record(project) -> list[dict]:
    """Return the project's rubric as v1 records it: [{key, name, question}]."""
    return [{"key": p["key"], "name": p.get("name", p["key"]), "question": p.get("question", "")}
            for p in project.rubric or []]


def critique_record(task_id: int, round_: int, target: str, status: str, model: str,
                    template_version: int, principles: list, error: str) -> dict:
    """Return the v1 record of one model critique (`model_critiques`)."""
    return {"round": round_, "target": target, "status": status, "model": model,
            "template_version": template_version, "principles": principles, "error": error}


def _critiques(task_ids: list[int]) -> dict[int, list[dict]]:
    """Return {task id: its v1 critique records, by round, the draft's before the final's}."""
    critiques: dict[int, list[dict]] = {}
    for row in (ModelCritique.objects.filter(task_id__in=task_ids)
                .order_by("task_id", "round", "target", "id").values_list(*CRITIQUE_FIELDS)):
        critiques.setdefault(row[0], []).append(critique_record(*row))
    return critiques


# The one builder: the record straight from database rows into its dicts. Every field
# is written in trajectory_to_dict's order and with its values; tests/api/test_export_lean.py
# holds it equal to the straightforward assembly through the core's dataclasses
# (tests/api/reference_record.py, kept in the tests as the oracle).

EVENTS_PER_FETCH = 2000
SUBMISSION_FIELDS = ("id", "round", "text", "sha256", "submitted_by__username", "submitted_at",
                     "events", "provenance")
REVIEW_FIELDS = ("id", "reviewer__username", "round", "verdict", "scores", "score_comments",
                 "comment", "anchored_comments", "critique_assessments", "created_at",
                 "self_review")
CRITIQUE_FIELDS = ("task_id", "round", "target", "status", "model", "template_version",
                   "principles", "error")
NOTE_FIELDS = ("id", "seq", "server_ms", "author__username", "principle", "quote", "start",
               "end", "orphaned", "body")
VERSION_FIELDS = ("note_id", "body", "principle", "withdrawn", "server_ms")


def _event_rows(task) -> Iterator[tuple]:
    """Yield the task's EVENT_FIELDS rows in seq order, as the database driver returns them.

    The ORM's SQL, without its per-row machinery (a third of the export's time): the
    only conversion these columns need is decoding `ops`, done by the caller. The
    backends hand JSON columns over as text (Django turns psycopg's jsonb decoding off).
    """
    query = (EditEvent.objects.filter(task=task).order_by("seq")
             .values_list(*selectors.EVENT_FIELDS))
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(EVENTS_PER_FETCH):
            yield from rows


def _decoded(values: list) -> list:
    """Return JSON column values decoded: all in one json.loads when they are text."""
    if not all(isinstance(v, str) for v in values):
        return [json.loads(v) if isinstance(v, str) else v for v in values]
    try:
        # One call for the lot instead of a thousand: each value is one JSON document,
        # so their comma-joined list is one JSON array with them as its items.
        decoded = orjson.loads("[" + ",".join(values) + "]")
    except orjson.JSONDecodeError:
        decoded = None
    if decoded is None or len(decoded) != len(values):
        return [json.loads(v) for v in values]
    return decoded


def _event_dicts(task) -> tuple[list[dict], int | None]:
    """Return the task's v1 event records in seq order, and its first event's server time."""
    events, first_ms = [], None
    append = events.append
    rows = _event_rows(task)
    while batch := list(islice(rows, EVENTS_PER_FETCH)):
        if first_ms is None:
            first_ms = batch[0][1]
        all_ops = _decoded([row[7] for row in batch])
        for (seq, server_ms, author, client, round_, kind, inferred, _, evidence), ops in zip(
                batch, all_ops, strict=True):
            event = {"seq": seq, "t_ms": server_ms - first_ms, "author": author or "",
                     "client": client, "round": round_, "kind": kind,
                     "inferred_kind": inferred, "ops": ops}
            if isinstance(evidence, str):
                evidence = json.loads(evidence)
            append(with_evidence(event, evidence, None) if evidence else event)
    return events, first_ms


def _with_paste_sources(events: list[dict], metrics: dict) -> None:
    """Add each pasted event's `paste_source` (computed with the signals) to its record."""
    sources = metrics.get("paste_sources") or {}
    if sources:
        for event in events:
            source = sources.get(str(event["seq"]))
            if source:
                event["paste_source"] = source


@dataclass(frozen=True, slots=True)
class RelatedRows:
    """Some tasks' submissions, notes, versions, reviews and test runs, in five queries."""

    submissions: dict[int, list[tuple]]  # task id -> SUBMISSION_FIELDS rows, by round
    notes: dict[int, list[tuple]]  # task id -> NOTE_FIELDS rows, by seq then id
    versions: dict[int, list[tuple]]  # note id -> VERSION_FIELDS rows, oldest first
    reviews: dict[int, list[dict]]  # task id -> v1 review records, oldest first
    critiques: dict[int, list[dict]]  # task id -> v1 model critique records
    assists: dict[int, list]  # task id -> AssistRequest rows, oldest first
    verifier_runs: dict[int, list[dict]]  # task id -> run records, oldest first
    focus: dict[int, list[tuple]]  # task id -> focus-lost intervals (traces.focus)
    experiments: dict[int, dict] = field(default_factory=dict)  # task id -> its variant


def _grouped(rows, key_index: int = 0) -> dict[int, list[tuple]]:
    groups: dict[int, list[tuple]] = {}
    for row in rows:
        groups.setdefault(row[key_index], []).append(row)
    return groups


def related_rows(task_ids: list[int]) -> RelatedRows:
    """Read what the records of these tasks need besides their events, all at once."""
    submissions = _grouped(Submission.objects.filter(task_id__in=task_ids)
                           .order_by("task_id", "round").values_list("task_id",
                                                                     *SUBMISSION_FIELDS))
    notes = _grouped(NoteRow.objects.filter(task_id__in=task_ids)
                     .order_by("task_id", "seq", "id").values_list("task_id", *NOTE_FIELDS))
    versions = _grouped(NoteVersion.objects.filter(note__task_id__in=task_ids)
                        .order_by("note_id", "id").values_list(*VERSION_FIELDS)
                        ) if notes else {}
    reviews: dict[int, list[dict]] = {}
    review_rows = (Review.objects.filter(task_id__in=task_ids).order_by("task_id", "id")
                   .values_list("task_id", *REVIEW_FIELDS))
    for (task_id, pk, reviewer, round_, verdict, scores, score_comments, comment, anchored,
         assessments, created_at, self_review) in review_rows:
        reviews.setdefault(task_id, []).append(
            {"id": pk, "reviewer": reviewer, "round": round_, "verdict": verdict,
             "scores": scores, "score_comments": score_comments, "comment": comment,
             "anchored_comments": anchored, "critique_assessments": assessments,
             "created_at": created_at.isoformat(), "self_review": self_review})
    assists: dict[int, list] = {}
    for row in assists_of_tasks(task_ids):
        assists.setdefault(row.task_id, []).append(row)
    verifier_runs: dict[int, list[dict]] = {}
    for run in (VerifierRun.objects.filter(task_id__in=task_ids).select_related("started_by")
                .order_by("task_id", "id")):
        verifier_runs.setdefault(run.task_id, []).append(run_record(run))
    return RelatedRows(submissions=submissions, notes=notes, versions=versions,
                       reviews=reviews, critiques=_critiques(task_ids), assists=assists,
                       verifier_runs=verifier_runs, focus=focus_rows(task_ids),
                       experiments=variant_records(task_ids))


def _final(task, round_: int | None, related: RelatedRows,
           events: list[dict]) -> tuple[Final | None, Submission | None]:
    """Return the round's (default: the latest) final and a stand-in of its submission."""
    rows = related.submissions.get(task.pk, [])
    if round_ is not None:
        rows = [row for row in rows if row[2] == round_]
    if not rows:
        return None, None
    # The latest round's row.
    _, pk, round_, text, sha256, submitted_by, submitted_at, final_seq, stored = rows[-1]
    # Only what task_signals and the signals' key read of a submission.
    submission = Submission(pk=pk, task_id=task.pk, round=round_, submitted_at=submitted_at)
    return Final(text=text, sha256=sha256, submitted_by=submitted_by,
                 submitted_at=submitted_at.isoformat(), round=round_,
                 provenance=final_provenance(task, events, final_seq, stored)), submission


def _note_dicts(task, events: list[dict], first_ms: int | None,
                related: RelatedRows) -> list[dict]:
    """Return the task's v1 note records, as `note_to_dict` makes them."""
    notes = related.notes.get(task.pk)
    if not notes:
        return []
    first = min(row[2] for row in notes)
    seqs = [e["seq"] for e in events]
    orphans = orphaned_notes(  # a note stored as orphaned stays so
        [(pk, seq, start, end) for _, pk, seq, _, _, _, _, start, end, stored, _ in notes
         if not stored],
        ((e["seq"], e["ops"]) for e in events[bisect_right(seqs, first):]))
    records = []
    for _, pk, seq, server_ms, author, principle, quote, start, end, orphaned, body in notes:
        orphaned = orphaned or pk in orphans
        versions = [{"body": v_body, "principle": v_principle, "withdrawn": withdrawn,
                     "t_ms": v_ms - (first_ms or v_ms)}
                    for _, v_body, v_principle, withdrawn, v_ms in related.versions.get(pk, [])]
        records.append({"id": pk, "seq": seq, "t_ms": server_ms - (first_ms or server_ms),
                        "author": author, "principle": principle, "quote": quote,
                        "start": start, "end": end, "orphaned": orphaned, "body": body,
                        "versions": versions})
    return records


def _stored_signals(task) -> TaskSignals | None:
    try:
        return task.signals_cache  # select_related by the export's query
    except TaskSignals.DoesNotExist:
        return None


def trajectory_record(task, round_: int | None = None, *,
                      related: RelatedRows | None = None) -> dict:
    """Return the task's `oversight.trajectory/v1` record (its latest final, or `round_`'s).

    It writes nothing. Events go from rows straight to their dicts; submissions, notes
    and reviews come from `related` (read for a batch of tasks by `related_rows`;
    default: the task's `export_related`, else read for this task alone). The metrics
    are the task's stored signals when those were computed for this very state of the
    trace (the final, the events, the live notes, the opening, the thresholds);
    otherwise they are computed here, and not stored: an export may run in a read-only
    transaction, and no GET writes.
    """
    if related is None:  # the export hangs its batch's rows on each task
        related = getattr(task, "export_related", None) or related_rows([task.pk])
    events, first_ms = _event_dicts(task)
    final, submission = _final(task, round_, related, events)
    notes = _note_dicts(task, events, first_ms, related)
    live_notes = sum(1 for n in notes if not n["versions"] or not n["versions"][-1]["withdrawn"])
    key = trace_state_key(task, last_seq=events[-1]["seq"] if events else 0,
                          live_notes=live_notes,
                          submission_id=submission.pk if submission else None)
    metrics = stored_metrics(_stored_signals(task), key)
    if metrics is None:  # the events and current text are decoded only when stale
        current = (final.text if final
                   else selectors.text_at(task, events[-1]["seq"] if events else 0))
        metrics = signals_of_trace(task, events=[event_from_dict(e) for e in events],
                                   final_text=current, live_notes=live_notes,
                                   submission=submission)
    _with_paste_sources(events, metrics)
    draft = getattr(task, "draft", None)
    return {
        "schema": SCHEMA,
        "task_id": task.pk,
        "project": task.project.slug,
        "kind": task.project.kind,
        "language": task.project.language,
        "prompt": task.prompt,
        "draft": {"text": draft.text if draft else "", "model": draft.model if draft else "",
                  "params": draft.params if draft else {},
                  "source": draft.source if draft else ""},
        "final": None if final is None else {
            "text": final.text, "sha256": final.sha256, "submitted_by": final.submitted_by,
            "submitted_at": final.submitted_at, "round": final.round,
            "provenance": final.provenance},
        "events": events,
        "notes": notes,
        "reviews": related.reviews.get(task.pk, []),
        "metrics": metrics,
        "model_critiques": related.critiques.get(task.pk, []),
        "rubric": rubric_record(task.project),
        "assists": [assist_record(a, first_ms) for a in related.assists.get(task.pk, [])],
        "focus": focus_record(related.focus.get(task.pk, []), first_ms),
        "verifier_runs": related.verifier_runs.get(task.pk, []),
        "group": task.group_id,
        "experiment": related.experiments.get(task.pk),
    }
