"""POST one body to an untrusted receiver: checked address, timeout, capped answer, no redirects.

The host is resolved once, every address it resolves to is checked, and the connection
goes to the checked address itself (Host header and TLS SNI keep the name), so a DNS
answer that changes between the check and the connection (rebinding) cannot reach an
address that was refused.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings

EXCERPT_CHARS = 1000

REFUSED_ADDRESS = ("refused: {host} resolves to {address}, a private, loopback or link-local "
                   "address (set WEBHOOKS_ALLOW_PRIVATE=true to allow)")
UNRESOLVABLE = "could not resolve {host}: {reason}"
TIMED_OUT = "timed out after {seconds:g} s"
REDIRECT = "redirect to {location} not followed"
UNREACHABLE = "connection failed: {reason}"


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    duration_ms: int
    status_code: int | None = None
    error: str = ""
    response_excerpt: str = ""
    retryable: bool = True  # False: retrying cannot help (the address is refused)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One verifying TLS context for every attempt: building one costs ~70 ms."""
    return httpx.create_ssl_context()


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return not address.is_global or address.is_multicast


def resolve(host: str, port: int) -> tuple[str | None, str, bool]:
    """Return (address to connect to, "", _) or (None, why not, whether a retry may help)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        return None, UNRESOLVABLE.format(host=host, reason=exc), True
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not settings.WEBHOOKS["ALLOW_PRIVATE"]:
        # Refuse when any answer is refused: a mixed answer is how probes try their luck.
        for address in addresses:
            if _refused(address):
                return None, REFUSED_ADDRESS.format(host=host, address=address), False
    return str(addresses[0]), "", True


def _read_capped(response: httpx.Response, deadline: float) -> bytes:
    cap = settings.WEBHOOKS["MAX_RESPONSE_BYTES"]
    chunks, size = [], 0
    for chunk in response.iter_raw():
        chunks.append(chunk)
        size += len(chunk)
        # The per-read timeout alone lets a receiver trickle bytes forever.
        if size >= cap or time.monotonic() > deadline:
            break
    return b"".join(chunks)[:cap]


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url` once and say how it went; never raises for the receiver's faults."""
    timeout = settings.WEBHOOKS["TIMEOUT_SECONDS"]
    started = time.monotonic()
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)

    def outcome(**fields) -> Outcome:
        return Outcome(duration_ms=int((time.monotonic() - started) * 1000), **fields)

    address, why, retryable = resolve(host, port)
    if address is None:
        return outcome(ok=False, error=why, retryable=retryable)
    target = httpx.URL(url).copy_with(host=address)
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                          verify=_tls()) as client:
            request = client.build_request(
                "POST", target, content=body, extensions=extensions,
                headers={**headers, "Host": parts.netloc.rsplit("@", 1)[-1]})
            response = client.send(request, stream=True)
            try:
                raw = _read_capped(response, started + timeout)
            finally:
                response.close()
    except httpx.TimeoutException:
        return outcome(ok=False, error=TIMED_OUT.format(seconds=timeout))
    except httpx.HTTPError as exc:
        return outcome(ok=False, error=UNREACHABLE.format(reason=exc)[:300])
    excerpt = raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    error = ""
    if response.is_redirect:
        error = REDIRECT.format(location=response.headers.get("location", "?"))[:300]
    elif not response.is_success:
        error = f"HTTP {response.status_code}"
    return outcome(ok=response.is_success, status_code=response.status_code, error=error,
                   response_excerpt=excerpt)
