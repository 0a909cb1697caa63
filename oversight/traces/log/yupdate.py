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


# The last long integer read and its encoding: an update names its writer's client id
# (a 32- to 53-bit number, 5-8 bytes) up to three times (the struct's client, its left
# and right origins), and every update of a writer names the same one. A varint ends at
# its first byte < 0x80, so where the buffer starts with that encoding, it is that value.
_last_long: tuple[bytes, int] = (b"\x80\x00", 0)
_LONG = 4


def _uint(buf: bytes, pos: int) -> tuple[int, int]:
    """Read a variable-length unsigned integer at `pos`; return it and the next position.

    A truncated buffer raises IndexError (decode turns it into UpdateRefused): the hot
    loop below checks no bounds itself.
    """
    global _last_long
    byte = buf[pos]
    if byte < 0x80:  # the common one-byte case
        return byte, pos + 1
    encoded, known = _last_long
    if buf.startswith(encoded, pos):
        return known, pos + len(encoded)
    start = pos
    value, shift = byte & 0x7F, 7
    while True:
        pos += 1
        byte = buf[pos]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            pos += 1
            if pos - start >= _LONG:
                _last_long = (buf[start:pos], value)
            return value, pos
        shift += 7
        if shift > 63:
            raise UpdateRefused("a number in the update is too long")


def _string_end(buf: bytes, pos: int) -> tuple[int, int]:
    """Read a string's length prefix; return where the string starts and ends."""
    length, pos = _uint(buf, pos)
    end = pos + length
    if end > len(buf):
        raise UpdateRefused("the update is truncated")
    return pos, end


def _utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UpdateRefused("a string in the update is not UTF-8") from exc


def decode(update: bytes, text_name: str) -> DecodedUpdate:
    """Decode a v1 update, refusing anything but text content of the root `text_name`.

    Runs once per update frame on the event loop, so it is one flat loop over the
    bytes (positions in locals, no reader object); what it checks is unchanged.
    """
    try:
        return _decode(update, text_name.encode("utf-8"))
    except IndexError:
        raise UpdateRefused("the update is truncated") from None


def _decode(buf: bytes, text_name: bytes) -> DecodedUpdate:
    clients: dict[int, ClientRange] = {}
    references: list[tuple[int, int]] = []
    uint = _uint
    n_clients, pos = uint(buf, 0)
    for _ in range(n_clients):
        count, pos = uint(buf, pos)
        client, pos = uint(buf, pos)
        clock, pos = uint(buf, pos)
        if client in clients:
            raise UpdateRefused(f"client {client} appears twice in the update")
        span = clients[client] = ClientRange(start=clock, end=clock)
        pieces = span.pieces
        for _ in range(count):
            info = buf[pos]
            pos += 1
            content = info & _CONTENT
            if content == GC or content == SKIP:
                length, pos = uint(buf, pos)
                if length <= 0:
                    raise UpdateRefused("the update holds an empty struct")
                if content == GC:  # a skip is a hole: those clocks are not in the update
                    pieces.append((clock, length))
                clock += length
                continue
            if info & _HAS_ORIGIN:
                ref_client, pos = uint(buf, pos)
                ref_clock, pos = uint(buf, pos)
                references.append((ref_client, ref_clock))
            if info & _HAS_RIGHT_ORIGIN:
                ref_client, pos = uint(buf, pos)
                ref_clock, pos = uint(buf, pos)
                references.append((ref_client, ref_clock))
            if not info & (_HAS_ORIGIN | _HAS_RIGHT_ORIGIN):
                pos = _check_parent(buf, pos, info, text_name)
            if content == STRING:
                start, pos = _string_end(buf, pos)
                raw = buf[start:pos]
                # Clocks count UTF-16 code units, as in Yjs (ASCII: one per byte).
                length = len(raw) if raw.isascii() else len(
                    _utf8(raw).encode("utf-16-le", "surrogatepass")) // 2
            elif content == DELETED:
                length, pos = uint(buf, pos)
            else:
                what = _REFUSED_CONTENT.get(content, f"unknown content {content}")
                raise UpdateRefused(f"the update adds {what}: the document is plain text")
            if length <= 0:
                raise UpdateRefused("the update holds an empty struct")
            pieces.append((clock, length))
            clock += length
        span.end = clock
    deletions = []
    n_deleting, pos = uint(buf, pos)
    for _ in range(n_deleting):
        client, pos = uint(buf, pos)
        n_ranges, pos = uint(buf, pos)
        for _ in range(n_ranges):
            clock, pos = uint(buf, pos)
            length, pos = uint(buf, pos)
            deletions.append((client, clock, length))
    if pos != len(buf):
        raise UpdateRefused("the update has trailing bytes")
    return DecodedUpdate(clients, references, deletions)


def _check_parent(buf: bytes, pos: int, info: int, text_name: bytes) -> int:
    """Check the parent of a struct without origins: the root text, nothing else."""
    kind, pos = _uint(buf, pos)
    if kind != 1:
        raise UpdateRefused("the update writes inside a nested type")
    start, pos = _string_end(buf, pos)
    if buf[start:pos] != text_name:
        parent = _utf8(buf[start:pos])
        raise UpdateRefused(f"the update writes to {parent!r}, not the document's text")
    if info & _HAS_PARENT_SUB:
        raise UpdateRefused("the update sets a map entry on the text")
    return pos


def decode_state_vector(state: bytes) -> dict[int, int]:
    try:
        count, pos = _uint(state, 0)
        vector = {}
        for _ in range(count):
            client, pos = _uint(state, pos)
            vector[client], pos = _uint(state, pos)
        return vector
    except IndexError:
        raise UpdateRefused("the state vector is truncated") from None


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
