"""Pair the editor's "meta" messages with the updates they describe, by Yjs client id and clock.

The page sends `{"t": "meta", "client": id, "clock": c, "userEvent": ...}` just before
the update of the transaction it describes, where `clock` is the client's clock
before that transaction (editor/js/src/meta.js). An update that adds structs starts
at that clock, so the pair is found by identity, whatever the order or the gaps (a
transaction with no meta, a meta whose update never came). A transaction that only
deletes does not advance the clock and names no struct: it takes the latest meta
(order: the page sends each meta right before its update), and metas without a
clock (older pages, test clients) pair by order too.
"""

from collections import OrderedDict

from oversight.traces.log import DecodedUpdate

MAX_WAITING = 64  # metas never matched are forgotten, oldest first
KIND_CHARS = 40  # the log's column
NO_META = ("", None)


class MetaPairing:
    """The metas one connection sent whose updates have not arrived yet."""

    __slots__ = ("_waiting", "_serial")

    def __init__(self):
        # key -> (user event, evidence marks or None), in arrival order
        self._waiting: OrderedDict = OrderedDict()
        self._serial = 0

    def note(self, data: dict, evidence: dict | None = None) -> None:
        """Remember a meta message and its evidence marks (checked by protocol.parse_meta)."""
        user_event = data.get("userEvent")
        if not isinstance(user_event, str):
            user_event = ""
        if not user_event and not evidence:
            return
        client, clock = data.get("client"), data.get("clock")
        if _is_count(client) and _is_count(clock):
            key = (client, clock)
        else:
            self._serial += 1
            key = ("order", self._serial)
        self._waiting.pop(key, None)
        self._waiting[key] = (user_event[:KIND_CHARS], evidence)
        while len(self._waiting) > MAX_WAITING:
            self._waiting.popitem(last=False)

    def kind_for(self, decoded: DecodedUpdate | None) -> str:
        """Return (and forget) the user event of the meta describing this update, or ""."""
        return self.meta_for(decoded)[0]

    def meta_for(self, decoded: DecodedUpdate | None) -> tuple[str, dict | None]:
        """Return (and forget) the user event and evidence marks of the meta describing
        this update; ("", None) when no meta describes it."""
        if not self._waiting:
            return NO_META
        if decoded is not None:
            for client, span in decoded.clients.items():
                if span.pieces and span.pieces[0][0] == span.start:
                    meta = self._take((client, span.start))
                    if meta is not None:
                        return meta
            if any(span.pieces for span in decoded.clients.values()):
                # New structs no meta names: a transaction the page did not describe
                # (or a client that sends no clocks); keep the keyed metas for theirs.
                return self._take_unkeyed()
        _, meta = self._waiting.popitem(last=True)
        return meta

    def _take(self, key) -> tuple[str, dict | None] | None:
        meta = self._waiting.pop(key, None)
        if meta is not None:
            # Metas sent before this one whose updates never came are stale now.
            for older in [k for k in self._waiting if k[0] != "order"]:
                if older[0] == key[0] and older[1] < key[1]:
                    del self._waiting[older]
        return meta

    def _take_unkeyed(self) -> tuple[str, dict | None]:
        for key in reversed(self._waiting):
            if key[0] == "order":
                return self._waiting.pop(key)
        return NO_META


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
