"""A room's link to its channel-layer group: announcements always, updates across processes.

In one process (the embedded default) updates are relayed in memory and never
touch the channel layer. With REDIS_URL set, several processes may each hold a
room for the same document: each publishes what it stored, with log positions,
so the others apply it in stored order. The channel layer is not trusted to
deliver: a publish that fails is logged and left to the other processes' catch-up
from the log (catchup.py), and rooms re-join their groups after a receive error,
after a missed message and periodically.

Publishing only pays when another process holds the room: with documents routed to
one worker each, nobody hears a batch. So each room tracks its peers (the other
processes holding the document): joining the group it says hello, those present
answer, leaving it says goodbye, and any message from a process renews it (a peer
not heard from for PEER_SECONDS is forgotten). Updates and awareness are published
only while the room has a peer. A hello that is lost (or a race between a newcomer's
load and its hello) costs only staleness: the catch-up sees the room behind the log,
catches up and re-joins, which says hello again.
"""

import asyncio
import logging
import os
import time
import uuid

from channels.layers import get_channel_layer
from django.conf import settings

from oversight.workspace.realtime import room_group

log = logging.getLogger("oversight.editor")

PROCESS_ID = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


def cross_process() -> bool:
    return bool(settings.REDIS_URL)


class RoomLink:
    def __init__(self, room):
        self.room = room
        self.group = room_group(room.doc_id)
        self.layer = get_channel_layer()
        self.channel = None
        self._listener: asyncio.Task | None = None
        self.origin = PROCESS_ID
        self.peers: dict[str, float] = {}  # other processes' ids -> when last heard (monotonic)

    async def start(self) -> None:
        if self.layer is None:
            return
        self.channel = await self.layer.new_channel()
        await self.rejoin()
        self._listener = asyncio.create_task(self._listen(), name=f"link-{self.group}")

    async def rejoin(self) -> bool:
        """(Re-)add the room's channel to its group: idempotent, and it renews the expiry.

        Redis keeps group membership only in memory and expires it after a day; a
        room that cannot join now stays usable (catch-up from the log covers it)
        and joins again at the next attempt.
        """
        if self.layer is None or self.channel is None:
            return False
        try:
            await self.layer.group_add(self.group, self.channel)
        except Exception as exc:
            log.warning("could not join group %s: %s", self.group, exc)
            return False
        if cross_process():
            await self._send({"type": "doc.hello", "origin": self.origin})
        return True

    def has_peers(self) -> bool:
        """Whether another process holds this room (as far as its messages tell)."""
        if settings.EDITOR["PUBLISH_ALONE"]:
            return True
        if not self.peers:
            return False
        horizon = time.monotonic() - _peer_seconds()
        self.peers = {peer: heard for peer, heard in self.peers.items() if heard > horizon}
        return bool(self.peers)

    async def stop(self) -> None:
        if self._listener:
            self._listener.cancel()
        if self.channel:
            if self.peers:
                await self._send({"type": "doc.bye", "origin": self.origin})
            try:
                await self.layer.group_discard(self.group, self.channel)
            except Exception:
                log.warning("could not leave group %s", self.group)

    async def publish_updates(self, first_position: int, updates: list[bytes]) -> None:
        # The updates are stored before this: a failed publish delays the other
        # processes (they catch up from the log) but loses nothing.
        if cross_process() and self.has_peers():
            await self._send({"type": "doc.updates", "origin": self.origin,
                              "first": first_position, "updates": updates})

    async def publish_awareness(self, update: bytes) -> None:
        if cross_process() and self.has_peers():
            await self._send({"type": "doc.awareness", "origin": self.origin, "update": update})

    async def _send(self, message: dict) -> None:
        try:
            await self.layer.group_send(self.group, message)
        except Exception as exc:
            log.warning("could not publish to group %s: %s", self.group, exc)

    async def _listen(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # The layer lost its connection (Redis restarted?): the group may be
                # gone with it. Re-join; what was missed meanwhile comes from the log
                # (catchup.py).
                log.warning("channel layer receive failed for %s: %s", self.group, exc)
                await asyncio.sleep(1)
                await self.rejoin()
                continue
            origin = message.get("origin")
            if origin == self.origin:
                continue
            kind = message.get("type")
            if origin is not None:
                await self._heard(origin, kind)
            if kind == "doc.updates":
                self.room.receive_remote(message["first"], message["updates"])
            elif kind == "doc.awareness":
                await self.room.relay_remote_awareness(message["update"])
            elif kind == "doc.announce":
                await self.room.announce(message["data"])

    async def _heard(self, origin: str, kind: str | None) -> None:
        """Keep track of the other processes holding this room."""
        if kind == "doc.bye":
            self.peers.pop(origin, None)
            return
        self.peers[origin] = time.monotonic()
        if kind == "doc.hello":
            await self._send({"type": "doc.here", "origin": self.origin})


def _peer_seconds() -> float:
    # Rooms say hello again on every periodic re-join (catchup.py), so a live peer is
    # heard at least that often.
    return settings.EDITOR["PEER_SECONDS"]
