"""A room's edit events, recorded after its updates are relayed (off the relay path).

The batch commit stores updates only; the trace's recorder derives their events
from the stored log (oversight/traces/log/recording.py). With EDITOR_RECORDER=room
(the default) each room kicks it after every relay, in the process's recorder
thread, so a live room's events follow its edits within a batch or two; with
`process` a `manage.py record` process follows every log instead and rooms do not
record. Either way nothing is lost if recording lags or fails: the log has the
update, and every reader that needs the events complete (submission first of all)
catches the recorder up itself.
"""

import asyncio
import functools
import logging

from oversight.traces import log as tracelog

from .dbthread import _call, recorder_executor

log = logging.getLogger("oversight.editor")


def in_rooms() -> bool:
    from django.conf import settings

    return settings.EDITOR.get("RECORDER", "room") == "room"


class RoomRecording:
    """Runs the recorder for one room after each relay; one run at a time, none lost."""

    def __init__(self, task_id: int, on_recorded=None):
        self.task_id = task_id
        self.enabled = in_rooms()
        self.position = 0  # the log is recorded up to here (as of this room's last run)
        self._on_recorded = on_recorded
        self._running: asyncio.Task | None = None
        self._again = False

    def kick(self) -> None:
        """Record what is stored (now, or right after the run in progress)."""
        if not self.enabled:
            return
        if self._running is not None and not self._running.done():
            self._again = True
            return
        self._running = asyncio.get_running_loop().create_task(
            self._run(), name=f"record-{self.task_id}")

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._again = False
            try:
                # One thread with its own connection: a room's commits never wait behind it.
                self.position = await loop.run_in_executor(
                    recorder_executor(), functools.partial(_call, tracelog.record, self.task_id))
            except Exception:  # the log keeps the updates: a later run or reader catches up
                log.exception("recording task %s failed; its readers catch up later",
                              self.task_id)
                return
            if self._on_recorded:
                self._on_recorded()
            if not self._again:
                return

    async def flush(self) -> None:
        """Wait until what was stored before this call is recorded (or failed to be)."""
        while self._running is not None and not self._running.done():
            await asyncio.shield(self._running)
