"""Bounded staleness across processes: each loaded room checks the stored log position.

Relay messages on the channel layer are fast but not guaranteed: Redis may restart
(group membership lives only there), a group may expire (channels-redis drops it
after a day), a worker may be killed between its commit and its publish. So, with
several processes, one task per process reads the stored last position of every
loaded document on a short interval. A room still behind a position that was
already stored at the previous check (so its relay message had a whole interval to
arrive) catches up from the log and re-joins its group, in case the membership is
what was lost. The staleness after any lost message is thus at most about two
intervals. Links also re-join their groups on a longer period, ahead of expiry.
"""

import asyncio
import logging
import time

from django.conf import settings

from oversight.traces import log as tracelog

from .dbthread import run_admission

log = logging.getLogger("oversight.editor")


class CatchUp:
    """The process's watch over its loaded rooms (only when several processes relay)."""

    def __init__(self, loaded_rooms):
        self._loaded_rooms = loaded_rooms  # () -> list of Room
        self._seen: dict[str, int] = {}  # doc_id -> stored position at the previous check
        self._task: asyncio.Task | None = None
        self._last_rejoin = time.monotonic()

    def ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="catch-up")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        self._seen.clear()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(settings.EDITOR["CATCH_UP_SECONDS"])
            rooms = [room for room in self._loaded_rooms() if not room.broken]
            if not rooms:
                self._seen.clear()
                continue
            try:
                await self.check(rooms)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away: try again next interval
                log.warning("catch-up check failed: %s", exc)

    async def check(self, rooms) -> None:
        """One check: catch up the rooms behind a position stored an interval ago."""
        # One indexed read for every loaded room, on the admission pool: it only reads, and
        # on a room's database thread it would hold that thread's commits back.
        stored = await run_admission(tracelog.stored_positions, [room.task_id for room in rooms])
        rejoin_all = self._rejoin_due()
        for room in rooms:
            position = stored.get(room.task_id, 0)
            seen_before = self._seen.get(room.doc_id, 0)
            if seen_before > room.applied_position:
                log.warning("room %s missed updates %s..%s on the channel layer; "
                            "catching up from the log", room.doc_id,
                            room.applied_position + 1, position)
                room.receive_remote(position + 1, [])  # fills the gap from the log
                await room.link.rejoin()
            elif rejoin_all:
                await room.link.rejoin()
            self._seen[room.doc_id] = position
        loaded = {room.doc_id for room in rooms}
        for doc_id in [d for d in self._seen if d not in loaded]:
            del self._seen[doc_id]

    def _rejoin_due(self) -> bool:
        if time.monotonic() - self._last_rejoin < settings.EDITOR["GROUP_REJOIN_SECONDS"]:
            return False
        self._last_rejoin = time.monotonic()
        return True
