"""The API's error responses in its OpenAPI schema, written once.

Every error of the API has one body (`errors.exception_handler`); every operation may
answer 400 (a malformed body or parameter), 401 (no or a wrong credential), 403 (a role
that may not), 404 (nothing there that the caller may see) and 429 (too many wrong
tokens). Operations that can conflict declare 409 themselves with `conflict()`; a
postprocessing hook adds the rest to every operation that does not describe them.
"""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR_COMPONENT = "Error"

GENERIC_ERRORS = {
    "400": "The request is malformed: the message says which field or parameter and why.",
    "401": "Not authenticated: log in, or send `Authorization: Token <key>`.",
    "403": "Your role in the project does not allow this.",
    "404": "No such object, or not one you may see.",
    "429": "Too many wrong API tokens from your address; retry after `Retry-After` seconds.",
}

ErrorSerializer = inline_serializer(ERROR_COMPONENT, fields={
    "error": inline_serializer("ErrorBody", fields={
        "code": serializers.CharField(help_text="Machine-readable reason."),
        "message": serializers.CharField(help_text="What went wrong and what to do."),
        "detail": serializers.JSONField(help_text="Per-field details, when there are any."),
    }),
})


def error(description: str) -> OpenApiResponse:
    """An error response of the API's one error body, for `extend_schema(responses=...)`."""
    return OpenApiResponse(ErrorSerializer, description=description)


def conflict(description: str) -> dict:
    return {409: error(description)}


def add_error_responses(result: dict, generator, request, public) -> dict:
    """Document the generic errors on every operation (postprocessing hook)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    if ERROR_COMPONENT not in components:
        components[ERROR_COMPONENT] = {
            "type": "object", "required": ["error"],
            "properties": {"error": {
                "type": "object", "required": ["code", "message", "detail"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                               "detail": {}}}}}
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in GENERIC_ERRORS.items():
                responses.setdefault(code, {"description": description,
                                            "content": {"application/json": {"schema": ref}}})
    return result
