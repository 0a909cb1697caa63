"""Liveness and readiness: does the database answer, does the channel layer answer."""

import asyncio
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # any failure means "not ready"; report it
        return False, f"{type(exc).__name__}: {exc}"


async def _channel_layer_ok() -> tuple[bool, str]:
    layer = get_channel_layer()
    if layer is None:
        return False, "no channel layer configured"
    try:
        channel = await layer.new_channel()
        token = uuid.uuid4().hex
        await asyncio.wait_for(layer.send(channel, {"type": "health.ping", "token": token}), 2)
        message = await asyncio.wait_for(layer.receive(channel), 2)
        ok = message.get("token") == token
        return ok, type(layer).__name__
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"


async def healthz(request):
    """Report database and channel-layer status: 200 when both answer, 503 otherwise."""
    db_ok, db_detail = await sync_to_async(_database_ok)()
    layer_ok, layer_detail = await _channel_layer_ok()
    body = {
        "status": "ok" if db_ok and layer_ok else "unavailable",
        "database": {"ok": db_ok, "detail": db_detail},
        "channel_layer": {"ok": layer_ok, "detail": layer_detail},
    }
    return JsonResponse(body, status=200 if db_ok and layer_ok else 503)
