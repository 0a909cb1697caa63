"""One document room per process: the authoritative pycrdt Doc, its connections, its worker.

Every change to the document goes through the room's worker, one item at a time,
so the document is only touched by one coroutine (and, while a batch commits,
by the database thread the worker waits on). Updates that arrive together are
committed as one batch: one database transaction appends them to the log; only
after the commit are they relayed to the other connections, as one merged update.
Their edit events are recorded from the stored log afterwards (record_runs.py).
"""

import asyncio
import logging
from collections import deque

from pycrdt import Doc, Text, merge_updates

from oversight.traces import log as tracelog
from oversight.traces.log import BadUpdate, Incoming
from oversight.workspace import status as task_status

from . import protocol
from .awareness import RoomAwareness
from .clients import ClientAdmission, claim_announced
from .dbthread import run_db
from .fanout import RoomLink
from .messages import Control, Greet, Remote, Status, Step1
from .record_runs import RoomRecording
from .saved import acknowledge_stored

log = logging.getLogger("oversight.editor")

MAX_BATCH = 500
# Close code telling clients to reconnect (and resync): WebSocket servers only
# let applications use 1000 and 3000–4999.
ROOM_RESTARTED = 4500
NOT_EDITABLE = "This task is {status}: its document is read-only."


class Room:
    """The live state of one task's document in this process."""

    def __init__(self, task_id: int, doc_id: str, on_idle=None):
        self.task_id = task_id
        self.doc_id = doc_id
        self.doc = Doc(allow_multithreading=True)
        self.text = self.doc.get(tracelog.TEXT_NAME, type=Text)
        self.connections: set = set()
        self.awareness = RoomAwareness(self.doc)
        self.applied_position = 0
        self.client_owners: dict[int, int | None] = {}  # Yjs client id -> user (clients.py)
        self.client_conns: dict = {}  # Yjs client id -> the connection writing with it
        self.announced: set = set()  # connections whose own awareness id was seen
        self.recording = RoomRecording(task_id, on_recorded=self._state_changed)
        self.status = task_status.OPEN
        self.round = 1
        self.broken = False
        self._queue: deque = deque()
        self._wakeup = asyncio.Event()
        self._worker: asyncio.Task | None = None
        self._on_idle = on_idle
        self._idle_handle: asyncio.TimerHandle | None = None
        self._updates_since_snapshot = 0
        self.link = RoomLink(self)
        self.closed = False
        self._changed = asyncio.Event()

    # -- life cycle -----------------------------------------------------------------

    async def load(self) -> None:
        """Restore the document from its snapshot and log (seeding it from the draft once)."""
        await self._load_document()
        self.recording.kick()  # what a crash left unrecorded, if anything
        self._worker = asyncio.create_task(self._run(), name=f"room-{self.doc_id}")
        await self.link.start()

    async def _load_document(self) -> None:
        """(Re)build the in-memory document from the stored snapshot and log."""
        loaded = await run_db(tracelog.load_log, self.task_id, key=self.task_id)
        status, round_ = await run_db(tracelog.task_status_of, self.task_id, key=self.task_id)
        self.doc = Doc(allow_multithreading=True)
        self.text = self.doc.get(tracelog.TEXT_NAME, type=Text)
        if loaded.snapshot:
            self.doc.apply_update(loaded.snapshot)
        for stored in loaded.updates:
            self.doc.apply_update(stored.data)
        self.applied_position = loaded.last_position
        self.client_owners = loaded.client_owners
        self.status, self.round = status, round_
        self._updates_since_snapshot = len(loaded.updates)

    async def close(self) -> None:
        await self.link.stop()
        if self._worker:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
        await self.recording.flush()
        if self._idle_handle:
            self._idle_handle.cancel()
        self.closed = True
        self._state_changed()

    async def wait_until(self, predicate, timeout: float = 5.0) -> None:
        """Wait until `predicate(room)` holds, checked again whenever the room's state changes.

        The state changes when the worker has handled an item (a batch committed,
        a remote update applied, a status), a connection left, or the room closed:
        callers (tests, shutdown) await that instead of sleeping and hoping.
        """
        async with asyncio.timeout(timeout):
            while not predicate(self):
                await self._changed.wait()

    def _state_changed(self) -> None:
        # Waking every waiter once and handing later ones a fresh event: no lost wake-ups.
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    @property
    def editable(self) -> bool:
        return self.status in task_status.EDITABLE and not self.broken

    # -- connections ----------------------------------------------------------------

    def join(self, conn) -> None:
        self.connections.add(conn)
        if self._idle_handle:
            self._idle_handle.cancel()
            self._idle_handle = None
        self._submit(Greet(conn))

    async def leave(self, conn) -> None:
        self.connections.discard(conn)
        self.client_conns = {c: held for c, held in self.client_conns.items() if held is not conn}
        self.announced.discard(conn)
        removal = self.awareness.forget_connection(conn)
        self._state_changed()
        if removal:
            await self._broadcast(protocol.awareness(removal))
        if not self.connections and self._on_idle:
            self._idle_handle = asyncio.get_running_loop().call_later(
                _idle_seconds(), self._on_idle, self)

    # -- what connections send ------------------------------------------------------

    def receive_update(self, conn, update: bytes, reported_kind: str, server_ms: int,
                       decoded=None, evidence: dict | None = None) -> None:
        self._submit(Incoming(conn, update, reported_kind, server_ms, decoded, evidence))

    def receive_step1(self, conn, state_vector: bytes) -> None:
        self._submit(Step1(conn, state_vector))

    async def receive_awareness(self, conn, update: bytes) -> None:
        """Record a connection's awareness and relay it to everyone, the sender included.

        Echoing to the sender keeps a lone y-websocket client from timing out
        (it reconnects after 30 s without hearing anything).
        """
        self.awareness.apply(conn, update)
        claim_announced(self, conn, update)
        await self._broadcast(protocol.awareness(update))
        await self.link.publish_awareness(update)

    async def relay_remote_awareness(self, update: bytes) -> None:
        """Relay an awareness update that reached another process's room."""
        self.awareness.apply(None, update)
        await self._broadcast(protocol.awareness(update))

    def receive_remote(self, first_position: int, updates: list[bytes]) -> None:
        """Queue updates another process stored, to apply them in stored order."""
        self._submit(Remote(first_position, updates))

    async def announce(self, data: dict) -> None:
        """Handle a domain announcement: a status change, notes changed, …"""
        if data.get("t") == "status":
            self._submit(Status(data["status"], data.get("round", self.round)))
        else:
            await self.notify(data)

    async def notify(self, data: dict) -> None:
        """Send an Oversight message to the connections that speak it."""
        frame = protocol.oversight(data)
        for conn in list(self.connections):
            if conn.speaks_oversight:
                await conn.send_frame(frame)

    # -- the worker -----------------------------------------------------------------

    def _submit(self, item: Incoming | Control) -> None:
        self._queue.append(item)
        self._wakeup.set()

    async def _run(self) -> None:
        while True:
            if not self._queue:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            item = self._queue.popleft()
            try:
                if isinstance(item, Incoming):
                    await self._commit([item, *self._take_more_updates()])
                else:
                    await self._handle_control(item)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("room %s failed; closing its connections so they resync",
                              self.doc_id)
                await self._break()
                return
            finally:
                self._state_changed()

    def _take_more_updates(self) -> list[Incoming]:
        batch = []
        while self._queue and isinstance(self._queue[0], Incoming) and len(batch) < MAX_BATCH:
            batch.append(self._queue.popleft())
        return batch

    async def _handle_control(self, item: Control) -> None:
        match item:
            case Greet(conn):
                await conn.send_frame(protocol.sync_step1(self.doc.get_state()))
                known = self.awareness.encode_all()
                if known:
                    await conn.send_frame(protocol.awareness(known))
            case Step1(conn, state_vector):
                try:
                    update = self.doc.get_update(state_vector)
                except Exception as exc:
                    await conn.close_with(4400, f"state vector does not decode: {exc}")
                    return
                await conn.send_frame(protocol.sync_step2(update))
            case Remote(first_position, updates):
                await self._apply_remote(first_position, updates)
            case Status(status, round_):
                self.status, self.round = status, round_
                await self.notify({"t": "status", "status": self.status,
                                   "readonly": not self.editable, "round": self.round})
            case _:
                raise TypeError(f"a room cannot handle {item!r}")

    async def _commit(self, batch: list[Incoming]) -> None:
        if not self.editable:
            await self._refuse(batch, self.status)
            return
        try:
            result = await run_db(tracelog.commit_batch, self, batch, ClientAdmission(self),
                                  key=self.task_id)
        except BadUpdate as bad:
            # Nothing of the batch was stored or relayed, but the update reached the
            # document in memory: drop its sender, rebuild from the log, and retry the rest.
            log.warning("room %s: refusing an update: %s", self.doc_id, bad.reason)
            await bad.conn.close_with(4400, f"update refused: {bad.reason}"[:120])
            await self._load_document()
            rest = [item for item in batch if item.conn is not bad.conn]
            if rest:
                await self._commit(rest)
            return
        if result.refused_status:
            self.status = result.refused_status
            await self._refuse(batch, result.refused_status)
            return
        for conn, (code, reason) in result.refused.items():
            log.warning("room %s: refusing an update of user %s: %s", self.doc_id,
                        conn.user_id, reason)
            await conn.close_with(code, f"update refused: {reason}"[:120])
        if result.caught_up:
            # Their own relay message will arrive late and be skipped: send them now.
            await self._send_merged(result.caught_up, senders=set())
        await self._relay(result.accepted, result.first_position)
        await acknowledge_stored(result.accepted, result.first_position)
        if result.accepted:
            self.recording.kick()
        self._updates_since_snapshot += len(result.accepted)
        if self._updates_since_snapshot >= _snapshot_every():
            await self._snapshot()

    async def _apply_remote(self, first_position: int, updates: list[bytes]) -> None:
        """Apply updates stored by another process, filling any gap from the log."""
        last = first_position + len(updates) - 1
        if last <= self.applied_position:
            return
        if first_position > self.applied_position + 1:
            missing = await run_db(tracelog.fetch_updates, self.task_id, self.applied_position,
                                   first_position - 1, key=self.task_id)
            updates = [m.data for m in missing] + updates
            first_position = self.applied_position + 1
        fresh = updates[self.applied_position + 1 - first_position:]
        for update in fresh:
            self.doc.apply_update(update)
        self.applied_position = last
        await self._send_merged(fresh, senders=set())

    async def _relay(self, accepted: list[Incoming], first_position: int) -> None:
        if not accepted:
            return
        updates = [item.update for item in accepted]
        await self._send_merged(updates, senders={item.conn for item in accepted})
        await self.link.publish_updates(first_position, updates)

    async def _send_merged(self, updates: list[bytes], senders: set) -> None:
        merged = updates[0] if len(updates) == 1 else merge_updates(*updates)
        frame = protocol.sync_update(merged)
        for conn in list(self.connections):
            # A lone sender already has everything it sent.
            if senders != {conn}:
                await conn.send_frame(frame)

    async def _refuse(self, batch: list[Incoming], status: str) -> None:
        message = {"t": "error", "code": "read_only",
                   "message": NOT_EDITABLE.format(status=status.replace("_", " "))}
        for conn in {item.conn for item in batch}:
            if conn.speaks_oversight:
                await conn.send_frame(protocol.oversight(message))

    async def _snapshot(self) -> None:
        state, position = self.doc.get_update(), self.applied_position
        self._updates_since_snapshot = 0
        await run_db(tracelog.save_snapshot, self.task_id, position, state, key=self.task_id)

    async def _broadcast(self, frame: bytes) -> None:
        for conn in list(self.connections):
            await conn.send_frame(frame)

    async def _break(self) -> None:
        """Drop a room whose memory may no longer match the log; clients reconnect and resync."""
        self.broken = True
        try:
            for conn in list(self.connections):
                await conn.close_with(ROOM_RESTARTED, "document room restarted; reconnecting")
        finally:
            if self._on_idle:
                self._on_idle(self, now=True)


def _idle_seconds() -> float:
    from django.conf import settings

    return settings.EDITOR["ROOM_IDLE_SECONDS"]


def _snapshot_every() -> int:
    from django.conf import settings

    return settings.EDITOR["SNAPSHOT_EVERY_UPDATES"]
