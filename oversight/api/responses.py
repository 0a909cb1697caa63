"""Error responses built by views, in the body every API error has."""

from rest_framework.response import Response


def error_response(*, status: int, code: str, message: str, detail=None) -> Response:
    """Return {"error": {"code", "message", "detail"}} with the given HTTP status."""
    return Response({"error": {"code": code, "message": message, "detail": detail or {}}},
                    status=status)
