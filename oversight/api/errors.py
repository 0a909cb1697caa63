"""One error body for the whole API: {"error": {"code", "message", "detail"}}."""

from rest_framework.views import exception_handler as drf_exception_handler


def _first_message(detail) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        inner = _first_message(value)
        return inner if key in ("detail", "non_field_errors") else f"{key}: {inner}"
    return str(detail)


def exception_handler(exc, context):
    """Wrap DRF's error responses in a consistent body that keeps DRF's detail."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    code = getattr(exc, "default_code", "error")
    if hasattr(exc, "get_codes"):
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
        elif isinstance(codes, dict) and "detail" in codes:
            # ValidationError({"detail": msg}, code=...) carries its code one level down.
            inner = codes["detail"]
            code = inner[0] if isinstance(inner, list) and inner else inner
    response.data = {"error": {"code": code, "message": _first_message(detail),
                               "detail": detail}}
    return response
