"""The y-websocket wire protocol, plus Oversight's own message type, parsed strictly.

A frame is `varUint(type)` then a type-specific body:
- 0 sync: `varUint(step)` + `varUint8Array(payload)` (step 0: state vector, 1 and 2: update);
- 1 awareness: `varUint8Array(update)`;
- 100 Oversight: `varString(JSON)`, e.g. {"t": "meta", "userEvent": "input.paste"}.

The Oversight messages a client sends are parsed strictly (`parse_meta`, `parse_focus`):
a malformed one closes its connection with the reason.
"""

import functools
import json
from dataclasses import dataclass

from oversight.core.evidence import MARKS, MAX_FOCUS_MS
from oversight.core.jsoncheck import json_problem

MSG_SYNC = 0
MSG_AWARENESS = 1
MSG_QUERY_AWARENESS = 3
MSG_OVERSIGHT = 100

SYNC_STEP1 = 0
SYNC_STEP2 = 1
SYNC_UPDATE = 2

EMPTY_UPDATE = b"\x00\x00"

# A close code stock clients retry, for a refusal that waiting fixes (a flood, a client
# id another connection still holds). y-websocket gives up for good on 4400-4499, and
# WebSocket servers let applications close only with 1000 or 3000-4999, so not 1013
# (Try Again Later): 4503, after HTTP's 503 (try again later).
TRY_AGAIN_LATER = 4503


class ProtocolError(ValueError):
    """A frame that does not follow the protocol; the connection that sent it is closed."""


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs a setattr per field
class Frame:
    type: int
    step: int | None = None  # sync frames only
    payload: bytes = b""
    data: dict | None = None  # Oversight frames only
    # A sync update's structs and deletions (oversight.traces.log.DecodedUpdate), when
    # parse_frame was given a decoder: decoded once, reused by the room.
    update: object | None = None


def read_var_uint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(buf):
            raise ProtocolError("truncated variable-length integer")
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise ProtocolError("variable-length integer too long")


def _read_bytes(buf: bytes, pos: int) -> tuple[bytes, int]:
    length, pos = read_var_uint(buf, pos)
    end = pos + length
    if end > len(buf):
        raise ProtocolError("payload length exceeds the frame")
    return buf[pos:end], end


def write_var_uint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)
    return bytes(out)


def _with_length(payload: bytes) -> bytes:
    return write_var_uint(len(payload)) + payload


def parse_frame(buf: bytes, decode=None) -> Frame:
    """Decode one binary frame, raising ProtocolError for anything malformed or unknown.

    `decode` (the server passes decode_update) decodes a sync update's payload;
    without it (clients reading the server's frames) the payload is left as bytes.
    """
    if len(buf) > 3 and buf[0] == MSG_SYNC and buf[1] == SYNC_UPDATE and buf[2] < 0x80:
        # The frame of nearly every keystroke (a small update): read inline.
        end = 3 + buf[2]
        if end > len(buf):
            raise ProtocolError("payload length exceeds the frame")
        payload = buf[3:end]
        decoded = None
        if decode is not None and payload != EMPTY_UPDATE:
            decoded = decode(payload)
        return Frame(MSG_SYNC, SYNC_UPDATE, payload, update=decoded)
    msg_type, pos = read_var_uint(buf, 0)
    if msg_type == MSG_SYNC:
        step, pos = read_var_uint(buf, pos)
        if step not in (SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE):
            raise ProtocolError(f"unknown sync step {step}")
        payload, pos = _read_bytes(buf, pos)
        decoded = None
        if decode is not None and step != SYNC_STEP1 and payload != EMPTY_UPDATE:
            decoded = decode(payload)
        return Frame(MSG_SYNC, step, payload, update=decoded)
    if msg_type == MSG_AWARENESS:
        payload, pos = _read_bytes(buf, pos)
        return Frame(MSG_AWARENESS, payload=payload)
    if msg_type == MSG_QUERY_AWARENESS:
        return Frame(MSG_QUERY_AWARENESS)
    if msg_type == MSG_OVERSIGHT:
        raw, pos = _read_bytes(buf, pos)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ProtocolError(f"Oversight message is not JSON: {exc}") from exc
        problem = json_problem(data)  # e.g. a lone surrogate, which no column can store
        if problem:
            raise ProtocolError(f"Oversight message contains {problem}")
        if not isinstance(data, dict) or not isinstance(data.get("t"), str):
            raise ProtocolError("Oversight message must be an object with a string 't'")
        return Frame(MSG_OVERSIGHT, data=data)
    raise ProtocolError(f"unknown message type {msg_type}")


MAX_USER_EVENT = 40  # the column's size; CodeMirror's userEvents are far shorter
MAX_OVERSIGHT_KEYS = 16
MAX_JS_INT = 2 ** 53 - 1  # what a browser's number holds exactly


@dataclass(frozen=True, slots=True)
class Meta:
    """What the client says about the next update it sends (editor/js/src/meta.js)."""

    user_event: str  # CodeMirror's userEvent, "" when the client did not know
    marks: dict  # the true evidence marks (core.evidence.MARKS)


@dataclass(frozen=True, slots=True)
class FocusReport:
    """An interval the client's window had lost focus, on the client's clock (ms)."""

    lost_ms: int
    back_ms: int
    sent_ms: int  # the client's clock when it sent the report (back_ms if not given)
    client: int  # the Yjs client id of the tab, 0 if not given


def _bounded(data: dict) -> None:
    if len(data) > MAX_OVERSIGHT_KEYS:
        raise ProtocolError(f"{data['t']} message has more than {MAX_OVERSIGHT_KEYS} keys")


def _int_field(data: dict, key: str, *, required: bool = True) -> int | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_JS_INT:
        raise ProtocolError(f"{data['t']} message: '{key}' must be an integer in "
                            f"[0, 2^53), got {value!r}"[:200])
    return value


def parse_meta(data: dict) -> Meta:
    """Check a meta message: a userEvent string (or null) and evidence marks (booleans)."""
    _bounded(data)
    user_event = data.get("userEvent")
    if user_event is not None and not isinstance(user_event, str):
        raise ProtocolError(f"meta message: 'userEvent' must be a string or null, "
                            f"got {type(user_event).__name__}")
    if user_event and len(user_event) > MAX_USER_EVENT:
        raise ProtocolError(f"meta message: 'userEvent' longer than {MAX_USER_EVENT} characters")
    marks = {}
    for key in MARKS:
        value = data.get(key)
        if value is not None and not isinstance(value, bool):
            raise ProtocolError(f"meta message: '{key}' must be true or false, got {value!r}"[:200])
        if value:
            marks[key] = True
    return Meta(user_event or "", marks)


def parse_focus(data: dict) -> FocusReport:
    """Check a focus message: {"t": "focus", "lost_ms", "back_ms"[, "sent_ms", "client"]}."""
    _bounded(data)
    lost, back = _int_field(data, "lost_ms"), _int_field(data, "back_ms")
    if back < lost:
        raise ProtocolError("focus message: 'back_ms' is before 'lost_ms'")
    if back - lost > MAX_FOCUS_MS:
        raise ProtocolError(f"focus message: an interval longer than {MAX_FOCUS_MS} ms")
    sent = _int_field(data, "sent_ms", required=False)
    if sent is not None and sent < back:
        raise ProtocolError("focus message: 'sent_ms' is before 'back_ms'")
    return FocusReport(lost, back, back if sent is None else sent,
                       _int_field(data, "client", required=False) or 0)


def decode_update(update: bytes):
    """Decode a Yjs v1 update of the document's text, raising ProtocolError otherwise.

    The one decoding of an update on the server besides pycrdt's own apply: the room
    checks client ids and clocks against the result and pairs edit metadata by it.
    """
    tracelog = _tracelog()
    try:
        return tracelog.decode(update, tracelog.TEXT_NAME)
    except tracelog.UpdateRefused as exc:
        raise ProtocolError(f"update does not decode as text: {exc}") from exc


@functools.cache
def _tracelog():
    # The log's API imports Django models: imported on first use (not per frame), so
    # that clients of the wire format (test clients, benches) need no Django set-up.
    from oversight.traces import log as tracelog

    return tracelog


def sync_step1(state_vector: bytes) -> bytes:
    return bytes([MSG_SYNC, SYNC_STEP1]) + _with_length(state_vector)


def sync_step2(update: bytes) -> bytes:
    return bytes([MSG_SYNC, SYNC_STEP2]) + _with_length(update)


def sync_update(update: bytes) -> bytes:
    return bytes([MSG_SYNC, SYNC_UPDATE]) + _with_length(update)


def awareness(update: bytes) -> bytes:
    return bytes([MSG_AWARENESS]) + _with_length(update)


def oversight(data: dict) -> bytes:
    return write_var_uint(MSG_OVERSIGHT) + _with_length(json.dumps(data).encode("utf-8"))
