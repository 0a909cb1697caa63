"""Verifier runs over HTTP: start one on any point of a trace, list a task's, read one."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.verifiers import selectors, services
from oversight.verifiers.models import STATUSES, VerifierRun
from oversight.workspace.access import visible_tasks

from .views_traces import visible_task

ERRORS = {400: OpenApiResponse(description="No tests for this task, or a bad seq."),
          404: OpenApiResponse(description="No such task (or not yours to see)."),
          429: OpenApiResponse(description="Too many runs in the last minute.")}


class VerifyRequest(serializers.Serializer):
    seq = serializers.IntegerField(required=False, min_value=0, help_text=(
        "Trajectory position to run the tests on (0: the draft); default: the latest."))


class TestResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["passed", "failed", "error", "skipped"])
    duration_ms = serializers.IntegerField()
    message = serializers.CharField(allow_blank=True)


class VerifierRunSerializer(serializers.Serializer):
    """A run's record; the shape is `oversight.verifiers.selectors.run_record`."""

    id = serializers.IntegerField()
    task_id = serializers.IntegerField()
    seq = serializers.IntegerField(help_text="Trajectory position of the text run on.")
    sha256 = serializers.CharField(help_text="sha256 of the text run on.")
    status = serializers.ChoiceField(choices=list(STATUSES))
    total = serializers.IntegerField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField(help_text="Tests that failed or errored.")
    tests = TestResultSerializer(many=True)
    output = serializers.CharField(allow_blank=True, help_text="Captured output, capped.")
    started_by = serializers.CharField(allow_null=True, help_text="Username.")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance):
        return selectors.run_record(instance)


class TaskVerify(APIView):
    """Run the task's tests on its text at `seq` (default: the latest), in the background."""

    @extend_schema(request=VerifyRequest, responses={202: VerifierRunSerializer, **ERRORS})
    def post(self, request, pk):
        task = visible_task(request, pk)
        data = VerifyRequest(data=request.data or {})
        data.is_valid(raise_exception=True)
        try:
            run = services.run_create(task=task, user=request.user,
                                      seq=data.validated_data.get("seq"))
        except services.RateLimited as exc:
            raise Throttled(wait=exc.wait, detail=str(exc)) from exc
        except services.VerifierError as exc:
            raise ValidationError({"detail": str(exc)}, code="refused") from exc
        return Response(VerifierRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class TaskVerifierRuns(APIView):
    """List a task's verifier runs, oldest first."""

    @extend_schema(responses={200: VerifierRunSerializer(many=True), 404: ERRORS[404]})
    def get(self, request, pk):
        task = visible_task(request, pk)
        return Response(VerifierRunSerializer(selectors.runs_of(task), many=True).data)


class VerifierRunDetail(APIView):
    """One verifier run: its status, per-test results and capped output."""

    @extend_schema(responses={200: VerifierRunSerializer, 404: ERRORS[404]})
    def get(self, request, pk):
        run = get_object_or_404(VerifierRun.objects.select_related("started_by"), pk=pk,
                                task__in=visible_tasks(request.user))
        return Response(VerifierRunSerializer(run).data)
