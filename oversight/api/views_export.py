"""GET /api/export/: the projects' trajectories as a JSONL stream, for leads and admins."""

from django.core.handlers.asgi import ASGIRequest
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from .export import JSONL_TYPE, export_response
from .export_request import ExportRequestError
from .responses import error_response
from .serializers_export import ExportParamsSerializer, export_request

STREAM_DESCRIPTION = (
    "A JSONL stream, one record per line, of every matching task, read from one snapshot of "
    "the database. `trajectory` records follow docs/trajectory-format.md; `sft`, "
    "`preference`, `critique`, `edits` and `assist` records carry a `meta` object (task_id, "
    "project, "
    "writer, model, scores, signals, schema, experiment, variant). Gzip-compressed "
    "(Content-Encoding: gzip) when the request sends `Accept-Encoding: gzip` or `?gzip=1`.")


class ErrorsAsJSON(DefaultContentNegotiation):
    """Always answer errors in JSON: `?format=` names an export format here, not a renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class TrajectoryExport(APIView):
    """Stream the matching tasks of the projects you lead as JSONL training records."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = ErrorsAsJSON

    @extend_schema(
        operation_id="export_trajectories",
        parameters=[ExportParamsSerializer],
        responses={
            (200, JSONL_TYPE): OpenApiResponse(OpenApiTypes.STR, description=STREAM_DESCRIPTION),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="A parameter is invalid."),
            401: OpenApiResponse(OpenApiTypes.OBJECT, description="Not authenticated."),
            403: OpenApiResponse(OpenApiTypes.OBJECT,
                                 description="Not a lead or admin of the project."),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such project."),
        },
    )
    def get(self, request):
        try:
            export = export_request(request.user, request.query_params,
                                    request.headers.get("Accept-Encoding", ""))
        except ExportRequestError as exc:
            return error_response(status=exc.status, code=exc.code, message=exc.message,
                                  detail=exc.detail)
        return export_response(export, asgi=isinstance(request._request, ASGIRequest))
