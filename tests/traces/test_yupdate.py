"""The update decoder (traces/log/yupdate.py) against pycrdt's own encoding.

The decoder is one flat loop without bounds checks (a truncation surfaces as an
IndexError it turns into UpdateRefused): these tests pin that every clock it reads
matches the document's state vector, that any truncation or trailing byte is
refused with UpdateRefused (never another exception), and that non-ASCII text
counts UTF-16 code units as Yjs does.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pycrdt import Doc, Map, Text

from oversight.traces.log import (
    TEXT_NAME,
    UpdateRefused,
    check_against,
    decode,
    decode_state_vector,
)

EDITS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3),
                           st.text(alphabet="ab é数👍\n", max_size=4)), min_size=1, max_size=8)


# A fixed client id: a random one changes the updates' lengths (its var-uint), and so
# what hypothesis draws from them between runs of the same example.
CLIENT_ID = 1_234_567_890


def _updates(edits) -> tuple[Doc, list[bytes]]:
    doc = Doc(client_id=CLIENT_ID)
    text = doc.get(TEXT_NAME, type=Text)
    sent = []
    subscription = doc.observe(lambda event: sent.append(event.update))
    mirror = ""
    for pos, delete, insert in edits:
        pos = min(pos, len(mirror))
        end = min(len(mirror), pos + delete)
        start_byte = len(mirror[:pos].encode())  # pycrdt's Text indexes UTF-8 bytes
        with doc.transaction():
            if end > pos:
                del text[start_byte:len(mirror[:end].encode())]
            if insert:
                text.insert(start_byte, insert)
        mirror = mirror[:pos] + insert + mirror[end:]
    doc.unobserve(subscription)
    return doc, [u for u in sent if u != b"\x00\x00"]


@given(EDITS)
def test_clocks_match_the_document(edits):
    doc, updates = _updates(edits)
    state: dict[int, int] = {}
    for update in updates:
        decoded = decode(update, TEXT_NAME)
        added = check_against(decoded, state)  # nothing pending, in order
        for client in added:
            state[client] = decoded.clients[client].end
    assert state == {c: n for c, n in decode_state_vector(doc.get_state()).items() if n}


@given(EDITS, st.data())
def test_truncated_or_extended_updates_are_refused(edits, data):
    _, updates = _updates([(0, 0, "x"), *edits])
    update = data.draw(st.sampled_from(updates))
    cut = data.draw(st.integers(0, len(update) - 1))
    with pytest.raises(UpdateRefused):
        decode(update[:cut], TEXT_NAME)
    with pytest.raises(UpdateRefused, match="trailing"):
        decode(update + b"\x00", TEXT_NAME)


def test_utf16_code_units_and_foreign_roots():
    doc, (update,) = _updates([(0, 0, "a👍é")])
    span = decode(update, TEXT_NAME).clients[doc.client_id]
    assert span.pieces == [(0, 4)]  # a (1) + 👍 (2 UTF-16 units) + é (1)
    with pytest.raises(UpdateRefused, match="not the document's text"):
        decode(update, "other")
    other = Doc()
    other.get(TEXT_NAME, type=Map)["k"] = "v"
    with pytest.raises(UpdateRefused):
        decode(other.get_update(), TEXT_NAME)
    with pytest.raises(UpdateRefused, match="too long"):
        decode(b"\x01\x01" + b"\xff" * 11 + b"\x01", TEXT_NAME)
