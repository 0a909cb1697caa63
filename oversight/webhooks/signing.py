"""The signature and headers of a delivery: HMAC-SHA256 of the raw body under the secret."""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Oversight-Signature"
EVENT_HEADER = "X-Oversight-Event"
DELIVERY_HEADER = "X-Oversight-Delivery"
USER_AGENT = "Oversight-Webhooks/1"


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex>`: what a receiver recomputes from the raw body to trust it."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def headers(*, secret: str, body: bytes, event: str, delivery_id: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "User-Agent": USER_AGENT,
            EVENT_HEADER: event, DELIVERY_HEADER: delivery_id,
            SIGNATURE_HEADER: signature(secret, body)}
