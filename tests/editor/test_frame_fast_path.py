"""parse_frame reads a sync update with a one-byte length inline: it must agree with the
general path (reached here by the same length written in two bytes) and refuse the same."""

import pytest
from pycrdt import Doc, Text

from editor import protocol


def _update() -> bytes:
    doc = Doc()
    doc.get("codemirror", type=Text).insert(0, "hé👍")
    return doc.get_update()


def test_the_inline_path_agrees_with_the_general_one():
    update = _update()
    assert len(update) < 0x80
    fast = bytes([0, 2, len(update)]) + update
    general = bytes([0, 2, 0x80 | len(update), 0x00]) + update  # the same length, two bytes
    a = protocol.parse_frame(fast, decode=protocol.decode_update)
    b = protocol.parse_frame(general, decode=protocol.decode_update)
    assert (a.type, a.step, a.payload) == (b.type, b.step, b.payload) == (0, 2, update)
    assert a.update == b.update and a.update is not None
    assert protocol.parse_frame(fast).update is None  # no decoder: bytes only


def test_the_inline_path_refuses_what_the_general_one_does():
    update = _update()
    with pytest.raises(protocol.ProtocolError, match="exceeds"):
        protocol.parse_frame(bytes([0, 2, len(update) + 1]) + update)
    with pytest.raises(protocol.ProtocolError, match="does not decode"):
        protocol.parse_frame(bytes([0, 2, 3, 1, 2, 3]), decode=protocol.decode_update)
    empty = protocol.parse_frame(bytes([0, 2, 2, 0, 0]), decode=protocol.decode_update)
    assert empty.update is None and empty.payload == protocol.EMPTY_UPDATE
