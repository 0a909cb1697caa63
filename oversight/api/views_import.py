"""Bulk imports for leads and admins, all or nothing: tasks and recorded trajectories."""

import json

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.review.writer_summary import refresh_imported
from oversight.traces.importing import trajectories_import
from oversight.workspace.access import is_manager, role_in
from oversight.workspace.importer import (
    ImportErrors,
    import_tasks,
    parse_lines,
    parse_records,
    split_jsonl,
)
from oversight.workspace.models import Project

from .parsers import JSONLinesParser, NDJSONParser, PlainTextParser, StrictJSONParser
from .responses import error_response

PROJECT_REQUIRED = "Name the project: ?project=<slug>, or \"project\" in a JSON body."
PROJECT_CONFLICT = "The query names project '{query}' but the body names '{body}'."
NO_SUCH_PROJECT = "No project '{slug}'."
NOT_A_MANAGER = "Only the project's leads and admins may import tasks."
NO_TRAJECTORIES = ("Send trajectory records (oversight.trajectory/v1) as JSONL "
                   "(application/x-ndjson or text/plain), or as JSON "
                   "{\"trajectories\": [...]}.")
NO_TASKS = ("Send tasks as JSONL (application/x-ndjson or text/plain), or as JSON "
            "{\"project\": \"<slug>\", \"tasks\": [...]}.")
INVALID_IMPORT = "The import has {count} error(s); nothing was imported."


class _BadRequest(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class BulkImportRequest(serializers.Serializer):
    project = serializers.SlugField(required=False, help_text="Project slug (or ?project=).")
    tasks = serializers.ListField(child=serializers.DictField(), help_text=(
        "Tasks: {external_id, prompt, draft?: {text, model?, params?}, metadata?, assignees?, "
        "verifier?: {kind, module?, files, timeout_s?}, gold?: {flaws: [{start, end, description, "
        "test?}]}, overlap?: 1-20 (siblings, one writer each; a gold line takes none: refused "
        "when its own or the project's overlap is above 1)}."))


class BulkImportResult(serializers.Serializer):
    created = serializers.IntegerField(help_text="Tasks created.")
    skipped = serializers.ListField(child=serializers.CharField(),
                                    help_text="External ids already in the project; unchanged.")


def _project_slug(request) -> str:
    query = request.query_params.get("project", "")
    body = request.data.get("project", "") if isinstance(request.data, dict) else ""
    if query and body and query != body:
        raise _BadRequest("project_conflict", PROJECT_CONFLICT.format(query=query, body=body))
    if not (query or body):
        raise _BadRequest("project_required", PROJECT_REQUIRED)
    return query or body


def _managed_project(request, slug: str) -> Project:
    project = Project.objects.filter(slug=slug).first()
    # Outsiders learn nothing, not even that the project exists.
    if project is None or role_in(request.user, project) is None:
        raise NotFound(NO_SUCH_PROJECT.format(slug=slug))
    if not is_manager(request.user, project):
        raise PermissionDenied(NOT_A_MANAGER)
    return project


def _rows(data, project):
    """Return (rows, label) from a JSONL string or a {"tasks": [...]} body."""
    if isinstance(data, str):
        return parse_lines(split_jsonl(data), project=project), "line"
    tasks = data.get("tasks") if isinstance(data, dict) else None
    if not isinstance(tasks, list):
        raise _BadRequest("invalid_import", NO_TASKS)
    return parse_records(enumerate(tasks, start=1), label="task", project=project), "task"


@extend_schema(
    parameters=[OpenApiParameter("project", OpenApiTypes.STR, description="Project slug.")],
    request={"application/json": BulkImportRequest, "application/x-ndjson": OpenApiTypes.STR,
             "application/jsonl": OpenApiTypes.STR, "text/plain": OpenApiTypes.STR},
    responses={201: BulkImportResult, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
)
class TaskBulkImport(APIView):
    """Import tasks into a project at once; ids the project already has are skipped."""

    parser_classes = [StrictJSONParser, NDJSONParser, JSONLinesParser, PlainTextParser]

    def post(self, request):
        try:
            project = _managed_project(request, _project_slug(request))
            rows, label = _rows(request.data, project)
            result = import_tasks(project=project, rows=rows, label=label)
        except _BadRequest as exc:
            return error_response(status=400, code=exc.code, message=exc.message)
        except ImportErrors as exc:
            return error_response(status=400, code="invalid_import",
                                  message=INVALID_IMPORT.format(count=len(exc.errors)),
                                  detail={"errors": exc.errors})
        body = BulkImportResult({"created": result.created, "skipped": result.skipped}).data
        return Response(body, status=status.HTTP_201_CREATED)


class TrajectoryBulkImportResult(serializers.Serializer):
    created = serializers.IntegerField(help_text="Tasks created, one per record.")
    task_ids = serializers.ListField(child=serializers.IntegerField(),
                                     help_text="The new tasks' ids, in record order.")


def _trajectory_lines(data) -> list[str]:
    """JSONL text as lines; a JSON body's records re-encoded one per line (numbered from 1)."""
    if isinstance(data, str):
        return split_jsonl(data)
    records = data.get("trajectories") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise _BadRequest("invalid_import", NO_TRAJECTORIES)
    return [json.dumps(r) for r in records]


@extend_schema(
    parameters=[OpenApiParameter("project", OpenApiTypes.STR, required=True,
                                 description="Slug of the receiving project.")],
    request={"application/x-ndjson": OpenApiTypes.STR, "application/jsonl": OpenApiTypes.STR,
             "text/plain": OpenApiTypes.STR, "application/json": OpenApiTypes.OBJECT},
    responses={201: TrajectoryBulkImportResult, 400: OpenApiTypes.OBJECT,
               403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
class TrajectoryBulkImport(APIView):
    """Import recorded trajectories into a project, all or nothing; metrics are recomputed.

    Each error names its line (or record number) and field; nothing is imported then.
    """

    parser_classes = [StrictJSONParser, NDJSONParser, JSONLinesParser, PlainTextParser]

    def post(self, request):
        slug = request.query_params.get("project", "")
        try:
            if not slug:
                raise _BadRequest("project_required", PROJECT_REQUIRED)
            project = _managed_project(request, slug)
            with transaction.atomic():
                tasks = trajectories_import(project=project,
                                            lines=_trajectory_lines(request.data))
                refresh_imported(project, tasks)  # the writers' dashboard figures
        except _BadRequest as exc:
            return error_response(status=400, code=exc.code, message=exc.message)
        except ImportErrors as exc:
            return error_response(status=400, code="invalid_import",
                                  message=INVALID_IMPORT.format(count=len(exc.errors)),
                                  detail={"errors": exc.errors})
        body = TrajectoryBulkImportResult({"created": len(tasks),
                                           "task_ids": [t.pk for t in tasks]}).data
        return Response(body, status=status.HTTP_201_CREATED)
