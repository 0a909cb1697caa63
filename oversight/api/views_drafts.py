"""Generate a task's draft with the configured provider."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.workspace.access import is_manager, visible_tasks
from oversight.workspace.drafting import DocumentStarted, draft_generate, provider_for
from oversight.workspace.providers import ProviderError
from oversight.workspace.services import DraftExists

from .responses import error_response
from .schema import conflict, error
from .serializers import TaskSerializer

NOT_A_MANAGER = "Only the project's leads and admins may generate drafts."


@extend_schema(request=None, responses={
    201: TaskSerializer, **conflict("The task has a draft already, or its document was opened."),
    502: error("The draft provider failed or could not be reached.")})
class TaskGenerateDraft(APIView):
    """Ask the draft provider for a task's draft; 409 if it has one, 502 if the provider fails."""

    def post(self, request, pk: int):
        task = get_object_or_404(visible_tasks(request.user).select_related("project"), pk=pk)
        if not is_manager(request.user, task.project):
            raise PermissionDenied(NOT_A_MANAGER)
        try:
            draft_generate(task=task, provider=provider_for(task))
        except DraftExists as exc:
            return error_response(status=409, code="draft_exists", message=str(exc))
        except DocumentStarted as exc:
            return error_response(status=409, code="document_started", message=str(exc))
        except ProviderError as exc:
            return error_response(status=502, code="provider_error", message=str(exc))
        task = visible_tasks(request.user).select_related("project", "draft").get(pk=pk)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)
