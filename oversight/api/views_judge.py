"""The model judge over HTTP: a task's critiques, re-runs, judge settings, agreement."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.judge import services
from oversight.judge.selectors import critiques_of
from oversight.review.judge_agreement import project_judge_agreement
from oversight.workspace.access import is_manager, is_overseer, projects_for

from .serializers import ProjectSerializer
from .serializers_judge import (
    JudgeAgreementSerializer,
    JudgeSettingsSerializer,
    ModelCritiqueSerializer,
)
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


class ProjectDetail(APIView):
    """Show a project you belong to, or change its settings (leads and admins)."""

    @extend_schema(responses=ProjectSerializer)
    def get(self, request, slug):
        return Response(ProjectSerializer(_project(request, slug)).data)

    @extend_schema(request=JudgeSettingsSerializer, responses=ProjectSerializer)
    def patch(self, request, slug):
        project = _project(request, slug)
        if not is_manager(request.user, project):
            raise PermissionDenied(services.NOT_MANAGER)
        data = JudgeSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        template = values.pop("judge_template", None)
        with transaction.atomic():
            for field, value in values.items():
                setattr(project, field, value)
            project.save(update_fields=[*values] or None)
            if template is not None:
                try:
                    services.template_save(project=project, user=request.user, body=template)
                except services.JudgeError as exc:
                    transaction.set_rollback(True)
                    return _refuse(exc)
        return Response(ProjectSerializer(project).data)


class ProjectJudgeAgreement(APIView):
    """How often the reviewers agreed with the model judge, per principle and over time."""

    @extend_schema(responses=JudgeAgreementSerializer)
    def get(self, request, slug):
        project = _project(request, slug)
        if not is_overseer(request.user, project):
            raise PermissionDenied(NOT_OVERSEER)
        return Response(JudgeAgreementSerializer(project_judge_agreement(project)).data)
