"""Who may join a room, and how: resolved once, when the socket connects."""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.http.request import validate_host
from rest_framework.authtoken.models import Token

from oversight.workspace.access import can_edit_task, can_view_task
from oversight.workspace.models import Task

UNAUTHENTICATED = (4401, "not authenticated: log in or pass ?token=")
FORBIDDEN = (4403, "you may not open this document")
BAD_ORIGIN = (4403, "origin not allowed")
UNKNOWN_DOC = (4404, "no such document")


@dataclass(frozen=True)
class Admission:
    task_id: int | None = None
    user_id: int | None = None
    username: str = ""
    can_write: bool = False
    refusal: tuple[int, str] | None = None


def origin_allowed(headers: list[tuple[bytes, bytes]]) -> bool:
    """Check a browser's Origin header against ALLOWED_HOSTS; non-browser clients send none."""
    if not settings.EDITOR["CHECK_ORIGIN"]:
        return True
    origin = dict(headers).get(b"origin")
    if origin is None:
        return True
    host = urlparse(origin.decode("latin-1")).hostname or ""
    return validate_host(host, settings.ALLOWED_HOSTS)


def user_from_token(query_string: bytes):
    """Return the user whose API token is in ?token=, or None."""
    key = parse_qs(query_string.decode("latin-1")).get("token", [""])[0]
    if not key:
        return None
    token = Token.objects.select_related("user").filter(key=key).first()
    return token.user if token and token.user.is_active else None


def admit(scope_user, query_string: bytes, doc_id: str) -> Admission:
    """Decide whether and how the connecting user joins the document's room."""
    user = scope_user if scope_user is not None and scope_user.is_authenticated else None
    user = user or user_from_token(query_string)
    if user is None:
        return Admission(refusal=UNAUTHENTICATED)
    task = Task.objects.select_related("project").filter(doc_id=doc_id).first()
    if task is None:
        return Admission(refusal=UNKNOWN_DOC)
    if not can_view_task(user, task):
        return Admission(refusal=FORBIDDEN)
    return Admission(task_id=task.pk, user_id=user.pk, username=user.username,
                     can_write=can_edit_task(user, task))
