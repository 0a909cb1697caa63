"""Projects and tasks: what a user may see, filtered."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from oversight.workspace.access import projects_for, visible_tasks

from .permissions import CanViewTask
from .serializers import ProjectSerializer, TaskSerializer


class ProjectList(generics.ListAPIView):
    """List the projects you belong to."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        return projects_for(self.request.user).order_by("id")


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
            tasks = tasks.filter(project__slug=params["project"])
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
