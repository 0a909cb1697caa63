"""Experiments over HTTP: a project's list, start one, one experiment, stop it, its report."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.experiments import services
from oversight.experiments.models import Experiment
from oversight.experiments.report import experiment_report
from oversight.experiments.selectors import experiments_of
from oversight.workspace.access import projects_for

from .permissions import CanOverseeProject
from .responses import error_response
from .serializers_experiments import (
    ExperimentCreateSerializer,
    ExperimentSerializer,
    ReportSerializer,
)

ERRORS = {
    403: OpenApiResponse(description="A writer of the project (reading), or not one of its "
                                     "leads (starting, stopping)."),
    404: OpenApiResponse(description="No such project or experiment, or not a member of it."),
}
WRITES = {**ERRORS, 400: OpenApiResponse(description="Invalid definition; the message says "
                                                     "which field."),
          409: OpenApiResponse(description="Another experiment is running, or this one "
                                           "already stopped.")}


class _ProjectView(APIView):
    permission_classes = [*APIView.permission_classes, CanOverseeProject]

    def project(self, request, slug):
        project = get_object_or_404(projects_for(request.user), slug=slug)
        self.check_object_permissions(request, project)
        return project

    def experiment(self, request, slug, pk) -> Experiment:
        project = self.project(request, slug)
        return get_object_or_404(Experiment.objects.filter(project=project), pk=pk)


def _refused(exc: services.ExperimentError) -> Response:
    return error_response(status=exc.status, code=exc.code, message=str(exc))


class ProjectExperiments(_ProjectView):
    """The project's experiments, newest first (overseers); start one (leads and admins)."""

    @extend_schema(responses={200: ExperimentSerializer(many=True), **ERRORS})
    def get(self, request, slug):
        project = self.project(request, slug)
        return Response(ExperimentSerializer(experiments_of(project), many=True).data)

    @extend_schema(request=ExperimentCreateSerializer,
                   responses={201: ExperimentSerializer, **WRITES})
    def post(self, request, slug):
        project = self.project(request, slug)
        body = ExperimentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            experiment = services.experiment_create(project=project, user=request.user,
                                                    **body.validated_data)
        except services.ExperimentError as exc:
            return _refused(exc)
        return Response(ExperimentSerializer(experiment).data, status=status.HTTP_201_CREATED)


class ExperimentDetail(_ProjectView):
    """One experiment with its variants."""

    @extend_schema(responses={200: ExperimentSerializer, **ERRORS})
    def get(self, request, slug, pk):
        return Response(ExperimentSerializer(self.experiment(request, slug, pk)).data)


class ExperimentStop(_ProjectView):
    """Stop the experiment and freeze its report; its tasks keep their variant."""

    @extend_schema(request=None, responses={200: ExperimentSerializer, **WRITES})
    def post(self, request, slug, pk):
        experiment = self.experiment(request, slug, pk)
        try:
            experiment = services.experiment_stop(experiment=experiment, user=request.user)
        except services.ExperimentError as exc:
            return _refused(exc)
        return Response(ExperimentSerializer(experiment).data)


class ExperimentReport(_ProjectView):
    """The report's figures, as the experiment's page shows them (frozen once stopped)."""

    @extend_schema(responses={200: ReportSerializer, **ERRORS})
    def get(self, request, slug, pk):
        return Response(experiment_report(self.experiment(request, slug, pk)))
