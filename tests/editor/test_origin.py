"""The WebSocket Origin check compares the whole origin: scheme, host and port."""

import pytest
from asgiref.sync import sync_to_async

from editor.access import origin_allowed
from tests.editor.yclient import YClient
from tests.factories import Team, token_for


def scope(origin: str | None, host: str = "127.0.0.1:8000", scheme: str = "ws", **extra):
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    headers += [(k.encode(), v.encode()) for k, v in extra.items()]
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.mark.parametrize(("origin", "allowed"), [
    ("http://127.0.0.1:8000", True),
    ("HTTP://127.0.0.1:8000", True),
    ("http://127.0.0.1:9999", False),  # another port on the same host: another site
    ("https://127.0.0.1:8000", False),
    ("http://127.0.0.1", False),
    ("http://localhost:8000", False),  # an allowed host, but not this socket's origin
    ("https://evil.example", False),
    ("null", False),
    ("http://127.0.0.1:99999", False),
])
def test_the_origin_must_be_the_sockets_own(origin, allowed):
    assert origin_allowed(scope(origin)) is allowed


def test_programs_without_an_origin_are_let_through():
    assert origin_allowed(scope(None))


def test_default_ports_are_the_same_origin():
    assert origin_allowed(scope("https://127.0.0.1", host="127.0.0.1", scheme="wss"))
    assert origin_allowed(scope("https://127.0.0.1:443", host="127.0.0.1", scheme="wss"))
    assert not origin_allowed(scope("http://127.0.0.1", host="127.0.0.1", scheme="wss"))


def test_trusted_origins_behind_a_proxy(settings):
    settings.ALLOWED_HOSTS = ["oversight.example", "127.0.0.1"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://oversight.example"]
    assert origin_allowed(scope("https://oversight.example", host="127.0.0.1:8000"))
    assert not origin_allowed(scope("http://oversight.example", host="127.0.0.1:8000"))
    assert not origin_allowed(scope("https://oversight.example:8443", host="127.0.0.1:8000"))


def test_a_trusted_proxys_https_header_makes_the_socket_https(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forwarded = {"x-forwarded-proto": "https"}
    assert origin_allowed(scope("https://127.0.0.1:8000", **forwarded))
    assert not origin_allowed(scope("https://127.0.0.1:8000"))


@pytest.mark.django_db(transaction=True)
async def test_a_cross_port_origin_is_refused_on_the_socket():
    team = await sync_to_async(Team)()
    token = await sync_to_async(token_for)(team.writer1)
    foreign = await YClient(team.task1.doc_id, token=token, headers=[
        (b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:9999")]).connect()
    assert (await foreign.expect_close())[0] == 4403
    own = await YClient(team.task1.doc_id, token=token, headers=[
        (b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000")]).connect()
    await own.sync()
    await own.close()

