"""HTTPS receivers: the connection goes to the checked address, the certificate is checked
against the URL's name (TLS SNI), not against the address."""

import socket
import ssl
import threading

import pytest
import trustme

from oversight.webhooks import transport
from oversight.webhooks.events import TASK_IMPORTED, emit_task_event
from oversight.webhooks.models import Delivery
from oversight.webhooks.services import webhook_update
from tests.webhooks.helpers import drain
from tests.webhooks.receiver import Receiver

NAME = "hooks.example"


@pytest.fixture
def ca():
    return trustme.CA()


def tls_receiver(ca, certified_name: str):
    server = Receiver()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(certified_name).configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def resolve_name_to_loopback(monkeypatch, ca):
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host == NAME:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    monkeypatch.setattr(transport, "_tls", lambda: client)


@pytest.mark.parametrize(("certified", "delivered"), [(NAME, True), ("other.example", False)])
def test_https_is_verified_for_the_urls_name_over_the_checked_address(
        team, hook, ca, resolve_name_to_loopback, certified, delivered):
    server, thread = tls_receiver(ca, certified)
    try:
        port = server.server_address[1]
        webhook_update(webhook=hook, url=f"https://{NAME}:{port}/hook")
        server.secret = hook.secret
        emit_task_event(TASK_IMPORTED, task=team.task1)
        drain()
        attempt = Delivery.objects.get().attempts.get()
        if delivered:
            assert attempt.ok, attempt.error
            [request] = server.requests
            assert request["verified"] and request["headers"]["Host"] == f"{NAME}:{port}"
        else:
            assert not attempt.ok and "CERTIFICATE_VERIFY_FAILED" in attempt.error
            assert server.requests == []
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
