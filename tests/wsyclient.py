"""A Yjs protocol peer over a real WebSocket (the `websockets` library), for live servers."""

import asyncio

import websockets
from pycrdt import Doc, Text

from editor import protocol


class WsYClient:
    """Connects to a live server's room, syncs, edits and follows the shared text."""

    def __init__(self, url: str):
        self.url = url
        self.doc = Doc()
        self.text = self.doc.get("codemirror", type=Text)
        self.ws = None
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Event()
        self.synced = asyncio.Event()
        self.closed: tuple | None = None

    async def connect(self):
        self.ws = await websockets.connect(self.url, max_size=None)
        self._reader = asyncio.create_task(self._read())
        await self.ws.send(protocol.sync_step1(self.doc.get_state()))
        await asyncio.wait_for(self.synced.wait(), 10)
        return self

    async def _read(self):
        try:
            async for message in self.ws:
                frame = protocol.parse_frame(message)
                if frame.type == protocol.MSG_SYNC and frame.step == protocol.SYNC_STEP1:
                    await self.ws.send(protocol.sync_step2(self.doc.get_update(frame.payload)))
                elif frame.type == protocol.MSG_SYNC:
                    self.doc.apply_update(frame.payload)
                    if frame.step == protocol.SYNC_STEP2:
                        self.synced.set()
                    self._changed.set()
        except websockets.ConnectionClosed as exc:
            self.closed = (exc.code, exc.reason)

    async def edit(self, fn):
        """Apply fn(text) locally and send the update, as an editor would."""
        before = self.doc.get_state()
        fn(self.text)
        await self.ws.send(protocol.sync_update(self.doc.get_update(before)))

    async def wait_text(self, predicate, timeout: float = 15):
        async def loop():
            while not predicate(str(self.text)):
                self._changed.clear()
                await self._changed.wait()
        await asyncio.wait_for(loop(), timeout)

    async def close(self):
        await self.ws.close()
        if self._reader:
            await asyncio.gather(self._reader, return_exceptions=True)
