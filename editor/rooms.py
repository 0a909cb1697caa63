"""The process's rooms: one per open document, loaded once, unloaded when idle."""

import asyncio
import logging

from .catchup import CatchUp
from .fanout import cross_process
from .room import Room

log = logging.getLogger("oversight.editor")

_rooms: dict[str, Room] = {}
_loading: dict[str, asyncio.Future] = {}
_catch_up = CatchUp(lambda: list(_rooms.values()))


async def get_room(task_id: int, doc_id: str) -> Room:
    """Return the loaded room of a document, loading it once even under concurrent joins."""
    room = _rooms.get(doc_id)
    if room is not None and not room.broken:
        return room
    pending = _loading.get(doc_id)
    if pending is not None:
        return await asyncio.shield(pending)
    future = asyncio.get_running_loop().create_future()
    _loading[doc_id] = future
    try:
        room = Room(task_id, doc_id, on_idle=_unload)
        await room.load()
        _rooms[doc_id] = room
        if cross_process():
            _catch_up.ensure_running()
        future.set_result(room)
        return room
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # mark retrieved: the caller below re-raises it
        raise
    finally:
        _loading.pop(doc_id, None)


def loaded_room(doc_id: str) -> Room | None:
    """Return the room if this process has it loaded."""
    return _rooms.get(doc_id)


def _unload(room: Room, now: bool = False) -> None:
    if room.connections and not now:
        return
    if _rooms.get(room.doc_id) is room:
        del _rooms[room.doc_id]
        log.info("unloaded room %s", room.doc_id)
    asyncio.get_running_loop().create_task(room.close())


async def unload_all() -> None:
    """Close every room (tests and shutdown)."""
    await _catch_up.stop()
    for room in list(_rooms.values()):
        _rooms.pop(room.doc_id, None)
        await room.close()
