"""Who is in a room: y-protocols awareness states, remembered per connection."""

from pycrdt import Awareness, Doc

from .protocol import ProtocolError


class RoomAwareness:
    """Keep every client's latest awareness state and which connection controls it."""

    def __init__(self, doc: Doc):
        self._awareness = Awareness(doc)
        # The server's own (empty) local state must never be announced to clients.
        self._awareness.remove_awareness_states([self._awareness.client_id], origin=None)
        self._clients_of: dict[object, set[int]] = {}
        self._awareness.observe(self._on_update)

    def _on_update(self, topic, payload) -> None:
        if topic != "update":
            return
        changes, origin = payload
        if origin is None:
            return
        clients = self._clients_of.setdefault(origin, set())
        clients.update(changes["added"], changes["updated"])
        clients.difference_update(changes["removed"])

    def apply(self, conn, update: bytes) -> None:
        """Apply a connection's awareness update, refusing malformed bytes."""
        try:
            self._awareness.apply_awareness_update(update, origin=conn)
        except (RuntimeError, IndexError, ValueError, UnicodeDecodeError) as exc:
            raise ProtocolError(f"awareness update does not decode: {exc}") from exc

    def encode_all(self) -> bytes | None:
        """Encode every known state, for a newcomer; None when nobody is present."""
        clients = list(self._awareness.states)
        return self._awareness.encode_awareness_update(clients) if clients else None

    def forget_connection(self, conn) -> bytes | None:
        """Remove a departed connection's clients; return the update announcing it."""
        clients = [c for c in self._clients_of.pop(conn, set()) if c in self._awareness.states]
        if not clients:
            return None
        self._awareness.remove_awareness_states(clients, origin=None)
        return self._awareness.encode_awareness_update(clients)

    def present(self) -> dict[int, dict]:
        return dict(self._awareness.states)
