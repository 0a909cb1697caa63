"""'Saved' means stored: after a batch is committed, tell each sender what is stored.

Oversight message (type 100) `{"t": "stored", "updates": n, "position": p}` goes to
every connection that sent updates in the batch and said hello (stock y-websocket
clients never receive it). `updates` counts the update frames of that connection,
since it connected, that are now in the database; `position` is the log position of
its latest one. The page compares `updates` with the update frames it has sent on
that socket to show "All changes saved" / "Saving…" / "Offline — N changes waiting"
(editor/js/src/saved.js).
"""

from __future__ import annotations

from . import protocol


async def acknowledge_stored(accepted: list, first_position: int) -> None:
    """Send `stored` to each connection with updates in `accepted` (in stored order)."""
    latest: dict = {}  # conn -> (frames of this batch, position of its last one)
    for offset, item in enumerate(accepted):
        count, _ = latest.get(item.conn, (0, 0))
        latest[item.conn] = (count + 1, first_position + offset)
    for conn, (count, position) in latest.items():
        conn.updates_stored = getattr(conn, "updates_stored", 0) + count
        if conn.speaks_oversight:
            await conn.send_frame(protocol.oversight(
                {"t": "stored", "updates": conn.updates_stored, "position": position}))
