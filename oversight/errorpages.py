"""Styled error pages (400, 403, 404, 500) for people, whatever DEBUG says.

Django shows its debug pages (URL list, traceback, settings) for 400, 404 and 500 when
DEBUG is on. Those pages are for the developer, not for a writer who mistyped a task
URL, so `ErrorPagesMiddleware` renders the app's own page instead for everyone but a
superuser while DEBUG is on. With DEBUG off, `handler400/403/404/500` (oversight.urls)
render the same templates. API paths answer with the API's JSON error body instead.

`OneLineRefusals` is a logging filter: an expected refusal (a 4xx) is logged as one
line; only server errors keep their traceback.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader

log = logging.getLogger("oversight.errors")

# status -> (template, title, what a person reads)
PAGES = {
    400: ("400.html", "Bad request", "The request could not be understood."),
    403: ("403.html", "Not allowed", "You may not open this page."),
    404: ("404.html", "Not found", "There is no such page, or it is not shared with you."),
    500: ("500.html", "Something went wrong",
          "The server failed to answer. The error was logged; try again in a moment."),
}
API_CODES = {400: "bad_request", 403: "permission_denied", 404: "not_found", 500: "server_error"}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _message(status: int, exception) -> str:
    # Only refusals say why (their messages are written for users); a 500 never shows
    # its exception, nor does a 404 (its message may name internals such as a model).
    if status in (400, 403) and exception is not None and str(exception):
        return str(exception)
    return PAGES[status][2]


def error_response(request, status: int, exception=None):
    """The page (or, under /api/, the JSON body) for `status`."""
    message = _message(status, exception)
    if _is_api(request):
        return JsonResponse({"error": {"code": API_CODES[status], "message": message,
                                       "detail": message}}, status=status)
    template, title, _ = PAGES[status]
    context = {"title": title, "message": message, "status": status}
    try:
        body = loader.render_to_string(template, context, request=request)
    except Exception:  # the page itself failed (e.g. the database is down): plain text
        log.exception("rendering the %s page failed", status)
        return JsonResponse({"error": {"code": API_CODES[status], "message": message}},
                            status=status)
    return HttpResponse(body, status=status)


def _status_of(exception) -> int:
    if isinstance(exception, Http404):
        return 404
    if isinstance(exception, PermissionDenied):
        return 403
    if isinstance(exception, (BadRequest, SuspiciousOperation)):
        return 400
    return 500


def _debug_for(request) -> bool:
    """Django's debug pages only for a superuser while DEBUG is on."""
    user = getattr(request, "user", None)
    return settings.DEBUG and bool(user is not None and user.is_superuser)


class ErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # An unknown URL never reaches a view: no resolver match means Django's own 404.
        if (response.status_code == 404 and settings.DEBUG
                and getattr(request, "resolver_match", None) is None
                and not _debug_for(request)):
            return error_response(request, 404)
        return response

    def process_exception(self, request, exception):
        if _debug_for(request):
            return None
        status = _status_of(exception)
        if status == 500:  # refusals are logged by django.request, as one line
            log.error("server error on %s %s", request.method, request.path,
                      exc_info=(type(exception), exception, exception.__traceback__))
        return error_response(request, status, exception)


# Handlers for DEBUG off (Django calls them with `exception` for 400/403/404).
def bad_request(request, exception=None):
    return error_response(request, 400, exception)


def permission_denied(request, exception=None):
    return error_response(request, 403, exception)


def page_not_found(request, exception=None):
    return error_response(request, 404, exception)


def server_error(request):
    return error_response(request, 500)


class OneLineRefusals(logging.Filter):
    """Drop the traceback of an expected refusal (a 4xx) logged by django.request."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
