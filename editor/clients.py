"""Who may write under a Yjs client id in a document; checked before an update is applied.

A client id belongs to the user whose update first used it (stored, so the rule
holds across restarts and processes) and, in memory, to the connection that did
or that announced it first in its awareness (stock clients announce their own id
on connect, before they type, so another user who learns the id from that
announcement cannot claim it first): while that connection is open, no other
connection, even the same user's, writes under it. (An id announced but never
written with is still free once its connection closes: another user who reconnects
faster could take it then; its owner would be refused, not corrupted.) An
update that would leave anything pending in the room's document is refused
outright rather than held: honest clients send each client's structs in clock
order over one socket and only reference what the server relayed to them, so a
gap or an unknown reference is never a slow network, only a broken or forged
update (see docs and tests/editor/test_update_abuse.py).
"""

from oversight.traces import log as tracelog
from oversight.traces.log import UpdateRefused

from . import protocol

_UNBOUND = object()


class ClientAdmission:
    """Checks a batch's updates against the room's document and bindings (DB thread, lock held)."""

    def __init__(self, room):
        self.room = room
        self.owners: dict[int, int | None] = {}  # bound or looked up during this batch
        self.new_bindings: list[tuple[int, int, int]] = []
        self._unbound: set[int] = set()

    def check(self, item) -> set[int]:
        """Return the client ids whose new structs the update adds; raise UpdateRefused."""
        decoded = tracelog.decode(item.update, tracelog.TEXT_NAME)
        state = tracelog.decode_state_vector(self.room.doc.get_state())
        added = tracelog.check_against(decoded, state)
        for client in added:
            owner = self._owner(client)
            if owner is not _UNBOUND and owner != item.conn.user_id:
                raise UpdateRefused(f"client id {client} belongs to another user")
            holder = self.room.client_conns.get(client)
            if holder is None or holder is item.conn or holder.closing:
                continue
            if holder.user_id == item.conn.user_id:
                raise UpdateRefused(f"client id {client} is in use by another connection",
                                    code=protocol.TRY_AGAIN_LATER)
            if owner is _UNBOUND:
                raise UpdateRefused(f"client id {client} belongs to another user's connection")
        return added

    def bind(self, item, added: set[int], position: int) -> None:
        """Bind the ids an accepted update added to its sender (stored with the batch)."""
        for client in added:
            self.room.client_conns[client] = item.conn
            if self._owner(client) is _UNBOUND:
                self._unbound.discard(client)
                self.owners[client] = item.conn.user_id
                self.new_bindings.append((client, item.conn.user_id, position))

    def _owner(self, client: int):
        if client in self.owners:
            return self.owners[client]
        if client in self.room.client_owners:
            return self.room.client_owners[client]
        if client in self._unbound:
            return _UNBOUND
        # Another process may have bound it since the room loaded (bindings never change).
        found = tracelog.client_owners(self.room.task_id, [client])
        if client in found:
            self.owners[client] = found[client]
            return found[client]
        self._unbound.add(client)
        return _UNBOUND


def claim_announced(room, conn, update: bytes) -> None:
    """Hold the client id a connection announced first, unless an open connection holds it.

    Only the first entry of its first awareness update counts: a stock client sends
    its own state on connect, before anything else, and later echoes every peer's
    state it hears, which must not make it their holder.
    """
    if conn in room.announced:
        return
    room.announced.add(conn)
    try:
        count, pos = protocol.read_var_uint(update, 0)
        client, _ = protocol.read_var_uint(update, pos)
    except protocol.ProtocolError:
        return
    holder = room.client_conns.get(client)
    if count and (holder is None or holder.closing):
        room.client_conns[client] = conn
