"""Read what a Yjs v1 update claims before the document sees it: whose structs, which clocks.

pycrdt applies an update without saying whether part of it stayed pending (a gap
in a client's clock, an origin or a deletion the document has not received), and
`pycrdt.get_state(update)` leaves out every client whose structs do not start at
clock 0, i.e. all of an incremental update. So the room decodes the struct and
delete-set sections itself (the layout of Yjs' UpdateDecoderV1) and checks them
against its document's state vector.

The document is one plain `Y.Text`: the only content a writer may add is text
(and the deleted / garbage-collected placeholders a resync carries). Formatting
marks, embeds, nested types and map entries are refused here, so an update
either changes text or nothing, and every recorded event has ops.
"""

from dataclasses import dataclass, field

# Item info bits (Yjs' binary encoding).
_HAS_ORIGIN = 0x80
_HAS_RIGHT_ORIGIN = 0x40
_HAS_PARENT_SUB = 0x20
_CONTENT = 0x1F
GC, DELETED, STRING, SKIP = 0, 1, 4, 10
_REFUSED_CONTENT = {2: "a JSON value", 3: "binary content", 5: "an embed",
                    6: "a formatting mark", 7: "a nested type", 8: "a map or array entry",
                    9: "a subdocument"}


class UpdateRefused(ValueError):
    """An update the room will not apply; the message says why (it is logged and sent)."""

    def __init__(self, reason: str, code: int = 4400):
        super().__init__(reason)
        self.code = code  # the close code its sender gets


@dataclass(slots=True)
class ClientRange:
    """The clocks of one client's structs in an update, and the IDs they reference."""

    start: int
    end: int
    pieces: list = field(default_factory=list)  # (clock, length) of non-skip structs


@dataclass(slots=True)
class DecodedUpdate:
    clients: dict[int, ClientRange]
    references: list[tuple[int, int]]  # (client, clock) of origins and parents
    deletions: list[tuple[int, int, int]]  # (client, clock, length)


class _Reader:
    __slots__ = ("buf", "pos")

    def __init__(self, buf: bytes):
        self.buf, self.pos = buf, 0

    def var_uint(self) -> int:
        pos = self.pos
        if pos < len(self.buf) and self.buf[pos] < 0x80:  # the common one-byte case
            self.pos = pos + 1
            return self.buf[pos]
        value = shift = 0
        while True:
            if self.pos >= len(self.buf):
                raise UpdateRefused("the update is truncated")
            byte = self.buf[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7
            if shift > 63:
                raise UpdateRefused("a number in the update is too long")

    def byte(self) -> int:
        if self.pos >= len(self.buf):
            raise UpdateRefused("the update is truncated")
        self.pos += 1
        return self.buf[self.pos - 1]

    def string(self) -> str:
        length = self.var_uint()
        end = self.pos + length
        if end > len(self.buf):
            raise UpdateRefused("the update is truncated")
        raw, self.pos = self.buf[self.pos:end], end
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UpdateRefused("a string in the update is not UTF-8") from exc


def decode(update: bytes, text_name: str) -> DecodedUpdate:
    """Decode a v1 update, refusing anything but text content of the root `text_name`."""
    reader = _Reader(update)
    clients: dict[int, ClientRange] = {}
    references: list[tuple[int, int]] = []
    for _ in range(reader.var_uint()):
        count, client, clock = reader.var_uint(), reader.var_uint(), reader.var_uint()
        if client in clients:
            raise UpdateRefused(f"client {client} appears twice in the update")
        span = clients[client] = ClientRange(start=clock, end=clock)
        for _ in range(count):
            length, skip = _read_struct(reader, text_name, references)
            if length <= 0:
                raise UpdateRefused("the update holds an empty struct")
            if not skip:  # a skip is a hole: those clocks are not in the update
                span.pieces.append((span.end, length))
            span.end += length
    deletions = []
    for _ in range(reader.var_uint()):
        client = reader.var_uint()
        for _ in range(reader.var_uint()):
            clock, length = reader.var_uint(), reader.var_uint()
            deletions.append((client, clock, length))
    if reader.pos != len(update):
        raise UpdateRefused("the update has trailing bytes")
    return DecodedUpdate(clients, references, deletions)


def _read_struct(reader: _Reader, text_name: str, references: list) -> tuple[int, bool]:
    """Read one struct; return (its clock length, whether it is a skip)."""
    info = reader.byte()
    content = info & _CONTENT
    if content in (GC, SKIP):
        return reader.var_uint(), content == SKIP
    if info & _HAS_ORIGIN:
        references.append((reader.var_uint(), reader.var_uint()))
    if info & _HAS_RIGHT_ORIGIN:
        references.append((reader.var_uint(), reader.var_uint()))
    if not info & (_HAS_ORIGIN | _HAS_RIGHT_ORIGIN):
        if reader.var_uint() == 1:
            parent = reader.string()
            if parent != text_name:
                raise UpdateRefused(f"the update writes to {parent!r}, not the document's text")
        else:
            raise UpdateRefused("the update writes inside a nested type")
        if info & _HAS_PARENT_SUB:
            raise UpdateRefused("the update sets a map entry on the text")
    return _content_length(reader, content), False


def _content_length(reader: _Reader, content: int) -> int:
    if content == DELETED:
        return reader.var_uint()
    if content == STRING:
        # Clocks count UTF-16 code units, as in Yjs.
        return len(reader.string().encode("utf-16-le", "surrogatepass")) // 2
    what = _REFUSED_CONTENT.get(content, f"unknown content {content}")
    raise UpdateRefused(f"the update adds {what}: the document is plain text")


def decode_state_vector(state: bytes) -> dict[int, int]:
    reader = _Reader(state)
    return {reader.var_uint(): reader.var_uint() for _ in range(reader.var_uint())}


def check_against(decoded: DecodedUpdate, state: dict[int, int]) -> set[int]:
    """Return the clients whose new structs the update adds to a document in `state`.

    Raise UpdateRefused if any part would stay pending there: a clock gap, an
    origin the document has not received, or a deletion of such an item.
    """
    known = dict(state)
    adding = set()
    for client, span in decoded.clients.items():
        have = reach = state.get(client, 0)
        for clock, length in span.pieces:
            if clock > reach:
                raise UpdateRefused(f"client {client} jumps from clock {reach} to {clock}; "
                                    "the update would stay pending")
            reach = max(reach, clock + length)
        if reach > have:
            adding.add(client)
        known[client] = reach
    for client, clock in decoded.references:
        if clock >= known.get(client, 0):
            raise UpdateRefused(f"the update refers to item {client}:{clock}, "
                                "which the server never received")
    for client, clock, length in decoded.deletions:
        if clock + length > known.get(client, 0):
            raise UpdateRefused(f"the update deletes items {client}:{clock}+{length}, "
                                "which the server never received")
    return adding
