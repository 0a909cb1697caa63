"""A minimal Yjs protocol peer over channels' WebsocketCommunicator, for consumer tests."""

import asyncio

from channels.testing import WebsocketCommunicator
from pycrdt import Doc, Text

from editor import protocol
from oversight.asgi import application
from oversight.traces import log as tracelog


class YClient:
    """Speaks y-websocket like a browser would: sync, updates, awareness, Oversight meta."""

    def __init__(self, doc_id, token: str | None = None, headers=None):
        path = f"/ws/docs/{doc_id}" + (f"?token={token}" if token else "")
        self.comm = WebsocketCommunicator(application, path, headers=headers or [])
        self.doc = Doc()
        self.text = self.doc.get("codemirror", type=Text)
        self.received: list[protocol.Frame] = []

    async def connect(self):
        connected, _ = await self.comm.connect()
        assert connected
        return self

    async def sync(self):
        """Do the handshake: answer the server's step 1, ask for its state, wait for it."""
        await self.send_step1()
        await self.until(lambda f: f.type == protocol.MSG_SYNC and f.step == protocol.SYNC_STEP2)
        return self

    async def send_step1(self):
        await self.comm.send_to(bytes_data=protocol.sync_step1(self.doc.get_state()))

    async def receive_frame(self, timeout=3):
        message = await self.comm.receive_output(timeout)
        if message["type"] == "websocket.close":
            raise ConnectionClosed(message.get("code"), message.get("reason"))
        frame = protocol.parse_frame(message["bytes"])
        self.received.append(frame)
        if frame.type == protocol.MSG_SYNC and frame.step != protocol.SYNC_STEP1:
            self.doc.apply_update(frame.payload)
        elif frame.type == protocol.MSG_SYNC and frame.step == protocol.SYNC_STEP1:
            await self.comm.send_to(bytes_data=protocol.sync_step2(
                self.doc.get_update(frame.payload)))
        return frame

    async def until(self, predicate, timeout=5):
        async def loop():
            while True:
                frame = await self.receive_frame(timeout)
                if predicate(frame):
                    return frame
        return await asyncio.wait_for(loop(), timeout)

    async def until_text(self, expected: str, timeout=5):
        async def loop():
            while str(self.text) != expected:
                await self.receive_frame(timeout)
        await asyncio.wait_for(loop(), timeout)

    async def edit(self, fn, user_event: str | None = None):
        """Run fn(text) in a local transaction and send the resulting update."""
        before = self.doc.get_state()
        fn(self.text)
        update = self.doc.get_update(before)
        if user_event:
            # As the page does (meta.js): the client id and its clock before the transaction.
            clock = tracelog.decode_state_vector(before).get(self.doc.client_id, 0)
            await self.comm.send_to(bytes_data=protocol.oversight(
                {"t": "meta", "client": self.doc.client_id, "clock": clock,
                 "userEvent": user_event}))
        await self.comm.send_to(bytes_data=protocol.sync_update(update))
        return update

    async def send_raw(self, data: bytes | None = None, text: str | None = None):
        await self.comm.send_to(bytes_data=data, text_data=text)

    async def expect_close(self, timeout=3):
        """Read frames until the server closes; return (code, reason)."""
        try:
            while True:
                await self.receive_frame(timeout)
        except ConnectionClosed as closed:
            return closed.code, closed.reason

    async def close(self):
        await self.comm.disconnect()


class ConnectionClosed(Exception):
    def __init__(self, code, reason):
        super().__init__(f"closed {code}: {reason}")
        self.code, self.reason = code, reason
