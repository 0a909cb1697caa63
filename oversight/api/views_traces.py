"""The trace over HTTP: notes, submission, the trajectory, text at a seq, quality signals."""

import logging

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.core.numbers import parse_count
from oversight.judge.services import critiques_on_submit
from oversight.review.gold import record_after_submit
from oversight.review.metrics import metrics_of, store_signals_on_commit
from oversight.review.writer_summary import refresh_task_writers
from oversight.traces import selectors, services
from oversight.traces.models import Note, Submission
from oversight.verifiers import services as verifier_services
from oversight.verifiers.selectors import task_verifier_summary
from oversight.workspace.access import can_view_task, is_overseer, visible_tasks

from .records import trajectory_record
from .responses import error_response
from .schema import conflict
from .serializers_traces import (
    NoteCreateSerializer,
    NoteSerializer,
    NoteUpdateSerializer,
    ProvenanceRunSerializer,
    SubmissionSerializer,
    TextAtSerializer,
)

log = logging.getLogger(__name__)

TRAJECTORY_FORBIDDEN = ("Only the task's writers, the project's reviewers, leads and admins "
                        "may read its trajectory.")
BAD_ROUND = "round must be 'last' or a round number from 1, in ASCII digits."


def visible_task(request, pk):
    """Return a task the user may see, or 404 (writers must not learn others' tasks exist).

    Its events are caught up with its stored log first: every task endpoint reads them.
    """
    return selectors.caught_up(get_object_or_404(
        visible_tasks(request.user).select_related("project", "draft"), pk=pk))


def _refuse(exc: services.TraceError):
    raise ValidationError({"detail": str(exc)}, code="refused")


class TaskNotes(APIView):
    """List a task's reasoning notes, or anchor a new one to a range of the text."""

    @extend_schema(responses=NoteSerializer(many=True))
    def get(self, request, pk):
        task = visible_task(request, pk)
        notes = list(selectors.notes_of(task))
        orphaned = selectors.orphaned_note_ids(task, notes)
        for note in notes:
            note.orphaned = note.orphaned or note.pk in orphaned
        return Response(NoteSerializer(notes, many=True).data)

    @extend_schema(request=NoteCreateSerializer, responses={201: NoteSerializer})
    def post(self, request, pk):
        task = visible_task(request, pk)
        data = NoteCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            note = services.note_create(task=task, author=request.user, **data.validated_data)
        except services.TraceError as exc:
            if str(exc) == services.NOT_ALLOWED:
                raise PermissionDenied(str(exc)) from exc
            _refuse(exc)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class NoteDetail(APIView):
    """Edit or withdraw a note; every version is kept."""

    def _note(self, request, pk) -> Note:
        note = get_object_or_404(Note.objects.select_related("task__project", "author"), pk=pk)
        if not can_view_task(request.user, note.task):
            raise Http404("No such note.")
        return note

    def _update(self, request, pk, **changes):
        note = self._note(request, pk)
        try:
            note = services.note_update(note=note, user=request.user, **changes)
        except services.TraceError as exc:
            if str(exc) in (services.NOT_ALLOWED, services.NOT_AUTHOR):
                raise PermissionDenied(str(exc)) from exc
            _refuse(exc)
        return Response(NoteSerializer(note).data)

    @extend_schema(request=NoteUpdateSerializer, responses=NoteSerializer)
    def patch(self, request, pk):
        data = NoteUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._update(request, pk, **data.validated_data)

    @extend_schema(request=None, responses=NoteSerializer)
    def delete(self, request, pk):
        return self._update(request, pk, withdrawn=True)


class TaskSubmit(APIView):
    """Freeze the document as this round's final artifact."""

    @extend_schema(request=None, responses={201: SubmissionSerializer, **conflict(
        "The trace disagrees with itself: the document rebuilt from the update log, the "
        "replayed events and the final are not one text. Nothing was frozen.")})
    def post(self, request, pk):
        task = visible_task(request, pk)
        try:
            submission = services.task_submit(
                task=task, user=request.user, check_final=verifier_services.green_problem,
                on_submitted=lambda locked, final: _on_submitted(request.user, locked, final))
        except services.TraceMismatch as exc:
            return error_response(status=status.HTTP_409_CONFLICT, code="trace_mismatch",
                                  message=str(exc), detail={
                                      "disagree": [exc.first, exc.second],
                                      "position": exc.position})
        except services.TraceError as exc:
            if str(exc) == services.NOT_ALLOWED:
                raise PermissionDenied(str(exc)) from exc
            _refuse(exc)
        record_after_submit(task, submission)  # a gold task's flaws caught: never shown here
        _request_critiques(task, submission.round)
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)


def _on_submitted(user, locked, final) -> None:
    """In the submission's transaction: queue the final's test runs; store its signals
    once that transaction commits (never from a GET, nothing for a rolled-back submit)."""
    verifier_services.runs_on_submit(task=locked, user=user, final_text=final.text,
                                     events=final.events)
    # The writer's dashboard figures count the submission in its own transaction, with
    # the signals stored so far; storing this round's signals refreshes them again.
    refresh_task_writers(locked, compute_missing=False)
    store_signals_on_commit(locked)


def _request_critiques(task, round_: int) -> None:
    """Queue the model judge's critiques of the round, when the project asks for them.

    After the submission committed, in its own transaction: the judge never blocks or
    undoes a submission; a lead can re-run what failed to queue.
    """
    try:
        critiques_on_submit(task=task, round_=round_)
    except Exception:
        log.exception("task %s: could not queue the model critiques of round %s", task.pk, round_)


class TaskTrajectory(APIView):
    """Return the task's `oversight.trajectory/v1` record."""

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter("round", OpenApiTypes.INT,
                         description="Final of this round (default: last).")])
    def get(self, request, pk):
        task = visible_task(request, pk)
        raw = request.query_params.get("round", "")
        round_ = parse_count(raw)
        if raw.strip() and raw.strip() != "last" and not round_:
            raise ValidationError({"round": BAD_ROUND})
        return Response(trajectory_record(task, round_))


class TaskTextAt(APIView):
    """Return the document's text right after event `seq` (0: the draft), for seeking."""

    @extend_schema(responses=TextAtSerializer, parameters=[
        OpenApiParameter("seq", OpenApiTypes.INT, required=True)])
    def get(self, request, pk):
        task = visible_task(request, pk)
        seq = parse_count(request.query_params.get("seq"))
        last = selectors.last_seq(task)
        if seq is None or seq > last:
            raise ValidationError({"seq": f"expected an integer between 0 and {last}"})
        return Response({"seq": seq, "text": selectors.text_at(task, seq)})


def _seq_param(request, task) -> int:
    """Return the `seq` query parameter (default: the last event), or a 400 naming the range."""
    raw = request.query_params.get("seq")
    last = selectors.last_seq(task)
    if raw is None or raw == "":
        return last
    seq = parse_count(raw)
    if seq is None or seq > last:
        raise ValidationError({"seq": f"expected an integer between 0 and {last}"})
    return seq


class TaskProvenance(APIView):
    """Return where every code point of the text at `seq` came from, as runs."""

    @extend_schema(responses={
        200: ProvenanceRunSerializer(many=True),
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="seq is not within the trace."),
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such task visible to you."),
    }, parameters=[
        OpenApiParameter("seq", OpenApiTypes.INT,
                         description="After this event (0: the draft; default: the last).")])
    def get(self, request, pk):
        task = visible_task(request, pk)
        seq = _seq_param(request, task)
        # Computed from the events on every request, never stored.
        return Response(ProvenanceRunSerializer(selectors.provenance_runs(task, seq),
                                                many=True).data)


class TaskMetrics(APIView):
    """Return the task's quality signals and flags."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        task = visible_task(request, pk)
        if not is_overseer(request.user, task.project) and not task.assignees.filter(
                pk=request.user.pk).exists():
            raise PermissionDenied(TRAJECTORY_FORBIDDEN)
        # The same signals as the trajectory's `metrics`, from the store while still valid,
        # and what the task's test runs say (tests_total, tests_passing_draft, …).
        final = (Submission.objects.filter(task=task).order_by("-round")
                 .values_list("text", flat=True).first())
        return Response({**metrics_of(task),
                         **task_verifier_summary(task, final_text=final)})
