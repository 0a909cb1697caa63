"""Projects and tasks: what a user may see, filtered."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.judge.services import JudgeError, template_save
from oversight.workspace.access import is_manager, projects_for, visible_tasks
from oversight.workspace.models import Project

from .permissions import CanViewTask
from .serializers import ProjectSerializer, TaskSerializer
from .serializers_assist import ProjectSettingsSerializer

NOT_A_MANAGER = "Only the project's leads and admins may change its settings."


class ProjectList(generics.ListAPIView):
    """List the projects you belong to."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        return projects_for(self.request.user).order_by("id")


class ProjectDetail(APIView):
    """Show a project you belong to; its leads change its settings (model help, budget)."""

    def _project(self, request, slug):
        return get_object_or_404(projects_for(request.user), slug=slug)

    @extend_schema(responses=ProjectSerializer)
    def get(self, request, slug):
        return Response(ProjectSerializer(self._project(request, slug)).data)

    @extend_schema(request=ProjectSettingsSerializer, responses={
        200: ProjectSerializer,
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="A value is invalid."),
        403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not a lead or admin."),
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such project of yours."),
    })
    def patch(self, request, slug):
        project = self._project(request, slug)
        if not is_manager(request.user, project):
            raise PermissionDenied(NOT_A_MANAGER)
        data = ProjectSettingsSerializer(project, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        template = data.validated_data.pop("judge_template", None)
        with transaction.atomic():  # a refused template changes nothing else either
            data.save()
            if template is not None:
                try:
                    template_save(project=project, user=request.user, body=template)
                except JudgeError as exc:
                    raise ValidationError({"detail": str(exc)}, code="refused") from exc
        return Response(ProjectSerializer(project).data)


@extend_schema(parameters=[
    OpenApiParameter("project", OpenApiTypes.STR, description="Project slug."),
    OpenApiParameter("status", OpenApiTypes.STR, description="Task status."),
    OpenApiParameter("assigned", OpenApiTypes.STR, description="`me`: only tasks assigned to you."),
])
class TaskList(generics.ListAPIView):
    """List the tasks you may see; writers see only their own."""

    serializer_class = TaskSerializer

    def get_queryset(self):
        params = self.request.query_params
        tasks = visible_tasks(self.request.user).select_related("project", "draft")
        tasks = tasks.prefetch_related("assignees")
        if params.get("project"):
            # The project's id as a constant, not a join on its slug: the planner then
            # knows how many of its tasks have each status and walks the (project, status,
            # id) index in page order instead of sorting every match (140 ms at 100k).
            project_id = (Project.objects.filter(slug=params["project"])
                          .values_list("pk", flat=True).first())
            tasks = tasks.filter(project_id=project_id) if project_id else tasks.none()
        if params.get("status"):
            tasks = tasks.filter(status=params["status"])
        if params.get("assigned") == "me":
            tasks = tasks.filter(assignees=self.request.user)
        return tasks


class TaskDetail(generics.RetrieveAPIView):
    """Show one task with its draft and editor room (`doc_id`)."""

    serializer_class = TaskSerializer
    permission_classes = generics.RetrieveAPIView.permission_classes + [CanViewTask]

    def get_object(self):
        task = get_object_or_404(visible_tasks(self.request.user), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, task)
        return task
