"""The model judge over HTTP: a task's critiques, re-runs, judge settings, agreement."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.judge import services
from oversight.judge.selectors import critiques_of
from oversight.review.judge_agreement import project_judge_agreement
from oversight.workspace.access import is_overseer, projects_for

from .serializers_judge import JudgeAgreementSerializer, ModelCritiqueSerializer
from .views_traces import visible_task

NOT_OVERSEER = "Only the project's reviewers, leads and admins see the model's critiques."


def _refuse(exc: services.JudgeError):
    if isinstance(exc, services.JudgeForbidden):
        raise PermissionDenied(str(exc)) from exc
    raise ValidationError({"detail": str(exc)}, code="refused") from exc


def _overseen_task(request, pk):
    task = visible_task(request, pk)
    if not is_overseer(request.user, task.project):
        raise PermissionDenied(NOT_OVERSEER)
    return task


class TaskCritiques(APIView):
    """List the model's critiques of the task's finals and of its draft (overseers)."""

    @extend_schema(responses=ModelCritiqueSerializer(many=True))
    def get(self, request, pk):
        task = _overseen_task(request, pk)
        return Response(ModelCritiqueSerializer(critiques_of(task), many=True).data)


class TaskCritiquesRerun(APIView):
    """Start the latest round's critiques afresh (leads and admins)."""

    @extend_schema(request=None, responses={202: ModelCritiqueSerializer(many=True)})
    def post(self, request, pk):
        task = visible_task(request, pk)
        try:
            queued = services.critiques_rerun(task=task, user=request.user)
        except services.JudgeError as exc:
            return _refuse(exc)
        return Response(ModelCritiqueSerializer(queued, many=True).data,
                        status=status.HTTP_202_ACCEPTED)


def _project(request, slug):
    return get_object_or_404(projects_for(request.user), slug=slug)


class ProjectJudgeAgreement(APIView):
    """How often the reviewers agreed with the model judge, per principle and over time."""

    @extend_schema(responses=JudgeAgreementSerializer)
    def get(self, request, slug):
        project = _project(request, slug)
        if not is_overseer(request.user, project):
            raise PermissionDenied(NOT_OVERSEER)
        return Response(JudgeAgreementSerializer(project_judge_agreement(project)).data)
