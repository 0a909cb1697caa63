"""Await a live room's recorder: its events follow the log off the relay path."""

from editor import rooms


async def recorded(task, timeout: float = 10) -> None:
    """Wait until the task's loaded room has recorded everything it applied.

    A room records after each relay (and on load); an unloaded room recorded its log
    before it closed. Tests read events only after this, as a reader of a live room's
    events would catch the recorder up first.
    """
    room = rooms.loaded_room(str(task.doc_id))
    if room is not None:
        await room.wait_until(lambda r: r.recording.position >= r.applied_position, timeout)
