"""Error responses built by views, in the body every API error has."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response

NO_SUCH_ENDPOINT = "No API endpoint at {path}; the schema at /api/schema/ lists them all."


def error_response(*, status: int, code: str, message: str, detail=None) -> Response:
    """Return {"error": {"code", "message", "detail"}} with the given HTTP status."""
    return Response({"error": {"code": code, "message": message, "detail": detail or {}}},
                    status=status)


@csrf_exempt  # a 404 whatever the method, not a CSRF page: it changes nothing
def api_not_found(request) -> JsonResponse:
    """A path under /api/ that names no endpoint (or an id that is not a number)."""
    message = NO_SUCH_ENDPOINT.format(path=request.path)
    return JsonResponse({"error": {"code": "not_found", "message": message, "detail": {}}},
                        status=404)
