"""A room publishes to its channel-layer group only while another process holds it (fanout.py).

Two RoomLinks with different process ids on the in-memory channel layer stand for two
workers; REDIS_URL is set so they behave as they do across processes.
"""

import asyncio
import time

import pytest
from channels.layers import get_channel_layer

from editor.fanout import RoomLink

DOC = "0123456789abcdef0123456789abcdef"


class FakeRoom:
    doc_id = DOC

    def __init__(self):
        self.remote = []

    def receive_remote(self, first, updates):
        self.remote.append((first, updates))

    async def relay_remote_awareness(self, update):
        self.remote.append(("awareness", update))


async def until(predicate, timeout=3.0):
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


async def link(origin: str) -> RoomLink:
    room_link = RoomLink(FakeRoom())
    room_link.origin = origin
    await room_link.start()
    return room_link


@pytest.fixture
def published(settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # cross_process(); the layer stays in memory
    layer = get_channel_layer()
    sent = []
    original = layer.group_send

    async def group_send(group, message):
        sent.append((message["origin"], message["type"]))
        await original(group, message)

    monkeypatch.setattr(layer, "group_send", group_send)
    return sent


async def test_a_lone_room_publishes_nothing_and_starts_when_another_process_joins(published):
    a = await link("A")
    b = None
    try:
        await a.publish_updates(2, [b"one"])
        await a.publish_awareness(b"cursor")
        assert published == [("A", "doc.hello")]  # its hello, heard by nobody

        b = await link("B")
        await until(lambda: a.has_peers() and b.has_peers())  # B's hello, A's answer
        await a.publish_updates(3, [b"two"])
        await until(lambda: b.room.remote == [(3, [b"two"])])

        await b.stop()
        await until(lambda: not a.has_peers())  # B said goodbye
        await a.publish_updates(4, [b"three"])
        assert ("A", "doc.updates") in published
        assert published.count(("A", "doc.updates")) == 1
    finally:
        await a.stop()
        if b is not None and b._listener and not b._listener.cancelled():
            await b.stop()


async def test_a_peer_not_heard_from_for_peer_seconds_is_forgotten(published, settings):
    a = await link("A")
    try:
        a.peers["C"] = time.monotonic() - settings.EDITOR["PEER_SECONDS"] - 1
        assert not a.has_peers()
        a.peers["C"] = time.monotonic()
        assert a.has_peers()
    finally:
        await a.stop()
