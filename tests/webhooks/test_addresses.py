"""Receivers are untrusted: non-public addresses are refused, the checked address is used."""

import ipaddress
import socket

import pytest

from oversight.webhooks import transport
from oversight.webhooks.events import TASK_IMPORTED, emit_task_event
from oversight.webhooks.models import Delivery
from oversight.webhooks.services import webhook_update
from tests.webhooks.helpers import drain, waiting_jobs


@pytest.fixture
def private_refused(settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "ALLOW_PRIVATE": False}


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1",
                                     "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1",
                                     "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"])
def test_non_public_addresses_are_refused(private_refused, address):
    connect_to, why, retryable = transport.resolve(address, 80)
    assert connect_to is None and not retryable
    shown = ipaddress.ip_address(address)
    assert why == transport.REFUSED_ADDRESS.format(host=address, address=shown)


def test_a_public_address_is_accepted(private_refused):
    assert transport.resolve("93.184.216.34", 443) == ("93.184.216.34", "", True)


def test_a_name_resolving_to_any_private_address_is_refused(private_refused, monkeypatch):
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, 80))
               for ip in ("93.184.216.34", "10.0.0.5")]
    monkeypatch.setattr(transport.socket, "getaddrinfo", lambda *args, **kw: answers)
    assert transport.resolve("mixed.example", 80)[0] is None


@pytest.mark.django_db
def test_a_loopback_receiver_is_refused_at_delivery_time(team, hook, receiver,
                                                         private_refused):
    webhook_update(webhook=hook, url=receiver.url().replace("127.0.0.1", "localhost"))
    emit_task_event(TASK_IMPORTED, task=team.task1)
    drain()
    assert receiver.requests == []
    delivery = Delivery.objects.get()
    attempt = delivery.attempts.get()
    assert attempt.error.startswith("refused: localhost resolves to ")
    assert "WEBHOOKS_ALLOW_PRIVATE=true" in attempt.error
    # Retrying cannot help: it fails at once and the lead sees the webhook failing.
    assert delivery.state == Delivery.FAILED and not waiting_jobs().exists()
    hook.refresh_from_db()
    assert hook.is_failing


@pytest.mark.django_db
def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(
        team, hook, receiver, monkeypatch):
    """DNS rebinding: the name is resolved once, checked, and that address is connected to."""
    port = receiver.server_address[1]
    lookups = []
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        lookups.append(host)
        if host == "hooks.example":  # not resolvable anywhere else
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    webhook_update(webhook=hook, url=f"http://hooks.example:{port}/hook")
    emit_task_event(TASK_IMPORTED, task=team.task1)
    drain()
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"hooks.example:{port}"
    assert request["verified"]
    assert lookups.count("hooks.example") == 1
