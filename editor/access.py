"""Who may join a room, and how: resolved once, when the socket connects."""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http.request import validate_host

from oversight.workspace.access import can_edit_task, can_view_task
from oversight.workspace.models import Task
from oversight.workspace.tokens import (
    bad_key_seen,
    bad_keys_exceeded,
    token_alive,
    user_for_key,
)

UNAUTHENTICATED = (4401, "not authenticated: log in or pass ?token=")
TOO_MANY_BAD_TOKENS = (4401, "too many wrong API tokens from your address: wait a minute")
FORBIDDEN = (4403, "you may not open this document")
BAD_ORIGIN = (4403, "origin not allowed")
UNKNOWN_DOC = (4404, "no such document")
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Admission:
    task_id: int | None = None
    user_id: int | None = None
    username: str = ""
    can_write: bool = False
    refusal: tuple[int, str] | None = None
    token_digest: str = ""  # the API token it came in with, if any


def _origin_tuple(origin: str) -> tuple[str, str, int | None] | None:
    """Return (scheme, host, port) of an origin, the port made explicit, or None."""
    try:
        parts = urlparse(origin.strip())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port


def _own_origin(scope: dict, headers: dict) -> str:
    """The origin the page that opened this socket has when it is served by us."""
    secure = scope.get("scheme") in ("wss", "https")
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:  # TLS ends at a trusted proxy, which says so in a header
        name = proxy[0].removeprefix("HTTP_").lower().replace("_", "-").encode("latin-1")
        secure = secure or headers.get(name, b"").decode("latin-1") == proxy[1]
    host = headers.get(b"host", b"").decode("latin-1")
    return f"{'https' if secure else 'http'}://{host}"


def origin_allowed(scope: dict) -> bool:
    """Check a browser's Origin (scheme, host and port) against the socket's own origin and
    CSRF_TRUSTED_ORIGINS, its host against ALLOWED_HOSTS; non-browser clients send none."""
    if not settings.EDITOR["CHECK_ORIGIN"]:
        return True
    headers = dict(scope.get("headers", []))
    origin = headers.get(b"origin")
    if origin is None:
        return True
    claimed = _origin_tuple(origin.decode("latin-1"))
    if claimed is None or not validate_host(claimed[1], settings.ALLOWED_HOSTS):
        return False
    trusted = [_own_origin(scope, headers), *settings.CSRF_TRUSTED_ORIGINS]
    return claimed in {_origin_tuple(item) for item in trusted}


def user_from_token(query_string: bytes, address: str = ""):
    """Return (user, token) for a valid API token in ?token=, or (None, None).

    Wrong keys count against the address, as they do on the API.
    """
    key = parse_qs(query_string.decode("latin-1")).get("token", [""])[0]
    user, token = user_for_key(key)
    if key and user is None:
        bad_key_seen(address)
    return user, token


def admit(scope_user, query_string: bytes, doc_id: str, address: str = "") -> Admission:
    """Decide whether and how the connecting user joins the document's room."""
    user = scope_user if scope_user is not None and scope_user.is_authenticated else None
    token = None
    if user is None:
        if bad_keys_exceeded(address):
            return Admission(refusal=TOO_MANY_BAD_TOKENS)
        user, token = user_from_token(query_string, address)
    if user is None:
        return Admission(refusal=UNAUTHENTICATED)
    task = Task.objects.select_related("project").filter(doc_id=doc_id).first()
    if task is None:
        return Admission(refusal=UNKNOWN_DOC)
    if not can_view_task(user, task):
        return Admission(refusal=FORBIDDEN)
    return Admission(task_id=task.pk, user_id=user.pk, username=user.username,
                     can_write=can_edit_task(user, task),
                     token_digest=token.digest if token else "")


def may_still_write(admission: Admission) -> bool:
    """Re-check an open socket's write right: its token, the user, their membership."""
    if admission.token_digest and not token_alive(admission.token_digest):
        return False
    user = get_user_model().objects.filter(pk=admission.user_id, is_active=True).first()
    task = Task.objects.select_related("project").filter(pk=admission.task_id).first()
    return user is not None and task is not None and can_edit_task(user, task)
