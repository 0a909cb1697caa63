"""GET /api/export/: the projects' trajectories as a JSONL stream, for leads and admins."""

from django.core.handlers.asgi import ASGIRequest
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from oversight.core.formats import FORMATS

from .export import JSONL_TYPE, export_response
from .export_request import STATUS_KEYS, ExportRequestError, export_request
from .responses import error_response

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


def _param(name, kind, description, **extra):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **extra)


EXPORT_PARAMETERS = [
    _param("project", OpenApiTypes.STR, "Project slug; repeat it or separate slugs with commas. "
           "Default: every project you lead.", many=True),
    _param("format", OpenApiTypes.STR, "Record format (default trajectory).", enum=FORMATS),
    _param("status", OpenApiTypes.STR, "Task status, a comma-separated list of them, or `any` "
           "(default approved). One of: " + ", ".join(STATUS_KEYS) + "."),
    _param("reviewed_after", OpenApiTypes.DATETIME,
           "Keep tasks whose latest review is at or after this ISO date or datetime (UTC "
           "unless it names a zone)."),
    _param("reviewed_before", OpenApiTypes.DATETIME,
           "Keep tasks whose latest review is before this ISO date or datetime."),
    _param("writer", OpenApiTypes.STR, "Username of the exported final's submitter."),
    _param("min_rubric_average", OpenApiTypes.NUMBER,
           "Keep tasks whose latest review's scores average at least this."),
    _param("exclude_flagged", OpenApiTypes.BOOL,
           "1: drop records whose quality signals raise any flag."),
    _param("max_final_share_pasted", OpenApiTypes.NUMBER,
           "Keep records whose final is at most this share (0–1) of pasted code points "
           "(metrics `final_share_pasted`)."),
    _param("max_final_share_model", OpenApiTypes.NUMBER,
           "Keep records whose final is at most this share (0–1) of accepted model "
           "suggestions (metrics `final_share_model`)."),
    _param("verified", OpenApiTypes.BOOL,
           "1: keep records whose final passed every test of the task's verifier "
           "(`meta.verifier.verified`); in `preference` the pair is a verified improvement."),
    _param("min_writer_trust", OpenApiTypes.NUMBER,
           "Keep records whose final's writer has a trust (posterior approval rate, 0-1, "
           "see docs/signals.md) of at least this; writers without verdicts count 0.5."),
    _param("round", OpenApiTypes.STR, "`last` (default: each task's latest final) or a round "
           "number: only tasks with a final of that round, exported with it."),
    _param("task", OpenApiTypes.INT, "One task's record only (the `export_url` of a "
           "`task.approved` webhook)."),
    _param("gzip", OpenApiTypes.BOOL, "1: gzip the stream (as `Accept-Encoding: gzip` does)."),
]


class TrajectoryExport(APIView):
    """Stream the matching tasks of the projects you lead as JSONL training records."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = ErrorsAsJSON

    @extend_schema(
        operation_id="export_trajectories",
        parameters=EXPORT_PARAMETERS,
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
