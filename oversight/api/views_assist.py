"""Model help over HTTP: ask (answered as a server-sent event stream), then decide."""

import json

from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.assist import services
from oversight.assist.models import AssistRequest
from oversight.workspace.providers import provider_from_settings

from .export import AsyncChunks
from .responses import error_response
from .serializers_assist import AssistCreateSerializer, AssistDecideSerializer, AssistSerializer
from .views_export import ErrorsAsJSON
from .views_traces import visible_task

STREAM_TYPE = "text/event-stream"
STREAM_DESCRIPTION = (
    "Server-sent events: `request` {id, model} first, then `delta` {text} as the model "
    "answers, then `done` {id, response, latency_ms} or `error` {id, message}. A provider "
    "failure arrives as an `error` event (the request is stored as failed).")
ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="A parameter is invalid."),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not the task's writer, or the "
                         "project's model help does not allow this action."),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such task or request."),
    409: OpenApiResponse(OpenApiTypes.OBJECT, description="The task is not editable, the "
                         "selection changed, or the request cannot take this decision."),
    429: OpenApiResponse(OpenApiTypes.OBJECT, description="Today's budget is spent."),
}


def _refused(exc: services.AssistError) -> Response:
    return error_response(status=exc.status, code=exc.code, message=exc.message)


def _sse(events) -> bytes:
    for event in events:
        name = event.pop("event")
        yield f"event: {name}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n".encode()


def _answer(assist: AssistRequest, provider):
    yield {"event": "request", "id": assist.pk, "model": assist.model}
    yield from services.assist_stream(assist=assist, provider=provider)


class TaskAssists(APIView):
    """Ask the project's model for help on a selection; or list the task's requests."""

    content_negotiation_class = ErrorsAsJSON

    @extend_schema(responses=AssistSerializer(many=True))
    def get(self, request, pk):
        task = visible_task(request, pk)
        return Response(AssistSerializer(task.assists.select_related("user"), many=True).data)

    @extend_schema(request=AssistCreateSerializer, responses={
        (200, STREAM_TYPE): OpenApiResponse(OpenApiTypes.STR, description=STREAM_DESCRIPTION),
        **ERRORS})
    def post(self, request, pk):
        task = visible_task(request, pk)
        data = AssistCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        provider = provider_from_settings()
        try:
            assist = services.assist_start(task=task, user=request.user, provider=provider,
                                           **data.validated_data)
        except services.AssistError as exc:
            return _refused(exc)
        chunks = _sse(_answer(assist, provider))
        asgi = isinstance(request._request, ASGIRequest)
        response = StreamingHttpResponse(AsyncChunks(chunks) if asgi else chunks,
                                         content_type=STREAM_TYPE + "; charset=utf-8")
        response["Cache-Control"] = "no-store"
        response["X-Accel-Buffering"] = "no"  # a buffering proxy would hold the answer back
        return response


class AssistDecide(APIView):
    """Record the writer's decision on a suggestion: accepted (after the edit) or dismissed."""

    @extend_schema(request=AssistDecideSerializer, responses={200: AssistSerializer, **ERRORS})
    def post(self, request, pk):
        assist = get_object_or_404(AssistRequest.objects.select_related("task__project", "user"),
                                   pk=pk)
        visible_task(request, assist.task_id)  # 404 to those who may not see the task
        data = AssistDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            assist = services.assist_decide(assist=assist, user=request.user,
                                            outcome=data.validated_data["outcome"])
        except services.AssistError as exc:
            return _refused(exc)
        return Response(AssistSerializer(assist).data)
