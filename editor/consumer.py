"""The WebSocket endpoint of a document room: admits, checks and forwards frames. Thin."""

import logging
import time

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from oversight.traces.focus import record_focus_loss

from . import protocol
from .access import BAD_ORIGIN, admit, may_still_write, origin_allowed
from .dbthread import run_admission
from .pairing import MetaPairing
from .ratelimit import TokenBucket
from .rooms import get_room

log = logging.getLogger("oversight.editor")

TEXT_FRAME = (4400, "text frames are not part of the protocol")
TOO_BIG = (4413, "message larger than {limit} bytes")
# Stock y-websocket gives up for good on 4400-4499: a flood is transient, so it gets
# a code stock clients retry (4429 is no longer sent).
FLOOD = (protocol.TRY_AGAIN_LATER, "too many messages: slow down and reconnect")
READ_ONLY = "You can follow this document but not edit it."
MAX_FOCUS_REPORTS = 2_000  # per connection


class DocConsumer(AsyncWebsocketConsumer):
    """One client's connection to one document room."""

    # Connections never use the channel layer: their room does, once for all of them.
    channel_layer_alias = None
    room = None
    user_id = None
    speaks_oversight = False
    closing = False

    async def connect(self):
        await self.accept()
        doc_id = self.scope["url_route"]["kwargs"]["room"]
        if not origin_allowed(self.scope):
            return await self.close_with(*BAD_ORIGIN)
        # On the admission pool, not asgiref's one thread: sockets connecting at once
        # are admitted concurrently (dbthread.py).
        admission = await run_admission(
            admit, self.scope.get("user"), self.scope.get("query_string", b""), doc_id,
            (self.scope.get("client") or ("",))[0])
        if admission.refusal:
            return await self.close_with(*admission.refusal)
        self.user_id, self.username = admission.user_id, admission.username
        self.can_write, self.admission = admission.can_write, admission
        self.rights_checked = time.monotonic()
        self.limits = settings.EDITOR
        self.rights_every = self.limits["RIGHTS_CHECK_SECONDS"]
        self.bucket = TokenBucket(self.limits["RATE_LIMIT_PER_SECOND"],
                                  self.limits["RATE_LIMIT_BURST"])
        self.metas = MetaPairing()
        self.focus_reports = 0
        self.room = await get_room(admission.task_id, doc_id)
        self.room.join(self)

    async def __call__(self, scope, receive, send):
        # Channels' loop races the client against a channel-layer channel, creating
        # tasks for every message; this consumer has no channel, so read directly.
        self.scope, self.base_send = scope, send
        self.channel_layer = None
        try:
            while True:
                message = await receive()
                if message["type"] == "websocket.receive":
                    # Every frame: straight to receive, without the handler lookup and
                    # the coroutine of channels' websocket_receive.
                    text = message.get("text")
                    if text is not None:
                        await self.receive(text_data=text)
                    else:
                        await self.receive(bytes_data=message.get("bytes"))
                else:
                    await self.dispatch(message)
        except StopConsumer:
            pass

    async def dispatch(self, message):
        # Channels' dispatch closes stale database connections before every message,
        # a thread hop per keystroke. This consumer touches the database only while
        # connecting and in its rights re-checks (on the admission pool, editor/dbthread.py).
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code):
        self.closing = True
        if self.room is not None:
            await self.room.leave(self)
            self.room = None

    async def receive(self, text_data=None, bytes_data=None):
        if self.room is None or self.closing:
            # Frames still arriving after a close are dropped: applying them would
            # skip the refused one (and refill the flood limit's bucket).
            return
        if bytes_data is None:
            return await self.close_with(*TEXT_FRAME)
        if len(bytes_data) > self.limits["MAX_MESSAGE_BYTES"]:
            code, reason = TOO_BIG
            limit = self.limits["MAX_MESSAGE_BYTES"]
            return await self.close_with(code, reason.format(limit=limit))
        if not self.bucket.take():
            return await self.close_with(*FLOOD)
        try:
            await self._dispatch(protocol.parse_frame(bytes_data, decode=protocol.decode_update))
        except protocol.ProtocolError as exc:
            await self.close_with(4400, f"malformed message: {exc}")

    async def _dispatch(self, frame: protocol.Frame):
        if frame.type == protocol.MSG_SYNC:
            if frame.step == protocol.SYNC_STEP1:
                self.room.receive_step1(self, frame.payload)
            elif frame.update is None:
                pass  # an empty update
            elif self.can_write and time.monotonic() - self.rights_checked <= self.rights_every:
                self._submit_update(frame)  # the common case: nothing to await
            else:
                await self._receive_update(frame)
        elif frame.type == protocol.MSG_AWARENESS:
            await self.room.receive_awareness(self, frame.payload)
        elif frame.type == protocol.MSG_QUERY_AWARENESS:
            pass  # states are sent on join and relayed as they change
        elif frame.type == protocol.MSG_OVERSIGHT:
            await self._receive_oversight(frame.data)

    async def _receive_update(self, frame: protocol.Frame):
        if self.can_write and time.monotonic() - self.rights_checked > self.rights_every:
            # A revoked membership or token stops this socket's writes within seconds.
            self.can_write = await run_admission(may_still_write, self.admission)
            self.rights_checked = time.monotonic()
        if not self.can_write:
            self.metas.meta_for(frame.update)  # the meta of a refused update is spent
            if self.speaks_oversight:
                await self.send_frame(protocol.oversight(
                    {"t": "error", "code": "read_only", "message": READ_ONLY}))
            return
        self._submit_update(frame)

    def _submit_update(self, frame: protocol.Frame) -> None:
        kind, evidence = self.metas.meta_for(frame.update)
        self.room.receive_update(self, frame.payload, kind, int(time.time() * 1000),
                                 frame.update, evidence)

    async def _receive_oversight(self, data: dict):
        if data["t"] == "hello":
            self.speaks_oversight = True
        elif data["t"] == "meta":
            meta = protocol.parse_meta(data)
            self.metas.note(data, meta.marks or None)
        elif data["t"] == "focus":
            report = protocol.parse_focus(data)
            # Only a writer's attention is evidence about their edits; a flood is cut short.
            if self.can_write and self.focus_reports < MAX_FOCUS_REPORTS:
                self.focus_reports += 1
                await database_sync_to_async(record_focus_loss)(
                    task_id=self.admission.task_id, author_id=self.user_id,
                    client_id=report.client, lost_ms=report.lost_ms, back_ms=report.back_ms,
                    sent_ms=report.sent_ms, server_ms=int(time.time() * 1000))

    # -- used by the room -----------------------------------------------------------

    async def send_frame(self, data: bytes):
        """Send a frame; a connection that is going away just misses it."""
        if self.closing:
            return
        try:
            await self.send(bytes_data=data)
        except Exception as exc:  # the server refuses sends on a closing socket
            self.closing = True
            log.info("dropped a frame to a closing websocket %s: %s", self.scope.get("path"), exc)

    async def close_with(self, code: int, reason: str):
        if self.closing:
            return
        self.closing = True
        log.warning("closing websocket %s for user %s: %s %s", self.scope.get("path"),
                    getattr(self, "username", "?"), code, reason)
        try:
            await self.close(code=code, reason=reason)
        except Exception as exc:
            log.info("websocket %s already gone: %s", self.scope.get("path"), exc)
