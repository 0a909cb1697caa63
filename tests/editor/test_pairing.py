"""Edit metadata is paired with its update by Yjs client id and clock, not by arrival order."""

import pytest
from asgiref.sync import sync_to_async
from pycrdt import Doc, Text

from editor import protocol
from editor.pairing import MetaPairing
from oversight.traces.models import EditEvent
from tests.editor.recorded import recorded
from tests.editor.test_consumer import client_for
from tests.factories import Team


def _update(doc: Doc, fn) -> bytes:
    before = doc.get_state()
    fn(doc.get("codemirror", type=Text))
    return doc.get_update(before)


def _meta(client: int, clock: int | None, user_event: str) -> dict:
    data = {"t": "meta", "client": client, "userEvent": user_event}
    return data if clock is None else {**data, "clock": clock}


def test_metas_pair_with_the_update_starting_at_their_clock_whatever_the_order():
    doc = Doc(client_id=7)
    first = _update(doc, lambda t: t.insert(0, "ab"))  # clocks 0-1
    second = _update(doc, lambda t: t.insert(2, "c"))  # clock 2
    pairing = MetaPairing()
    pairing.note(_meta(7, 2, "input.paste"))
    pairing.note(_meta(7, 0, "input.type"))
    assert pairing.kind_for(protocol.decode_update(first)) == "input.type"
    assert pairing.kind_for(protocol.decode_update(second)) == "input.paste"
    assert pairing.kind_for(protocol.decode_update(second)) == ""  # each meta pairs once


def test_an_update_no_meta_describes_gets_no_kind_and_leaves_the_others_waiting():
    doc = Doc(client_id=7)
    undescribed = _update(doc, lambda t: t.insert(0, "x"))  # clock 0, no meta
    described = _update(doc, lambda t: t.insert(0, "y"))  # clock 1
    pairing = MetaPairing()
    pairing.note(_meta(7, 1, "input.paste"))
    assert pairing.kind_for(protocol.decode_update(undescribed)) == ""
    assert pairing.kind_for(protocol.decode_update(described)) == "input.paste"


def test_a_deletion_names_no_clock_and_pairs_with_the_latest_meta():
    doc = Doc(client_id=7)
    _update(doc, lambda t: t.insert(0, "abc"))
    deletion = _update(doc, lambda t: t.__delitem__(slice(0, 1)))
    assert not protocol.decode_update(deletion).clients
    pairing = MetaPairing()
    pairing.note(_meta(7, 3, "delete.backward"))
    assert pairing.kind_for(protocol.decode_update(deletion)) == "delete.backward"


def test_metas_without_a_clock_pair_by_order_and_junk_is_ignored():
    doc = Doc(client_id=7)
    update = _update(doc, lambda t: t.insert(0, "a"))
    pairing = MetaPairing()
    for junk in ({"t": "meta"}, {"t": "meta", "userEvent": 3},
                 {"t": "meta", "client": True, "clock": -1, "userEvent": "x" * 100}):
        pairing.note(junk)
    assert pairing.kind_for(protocol.decode_update(update)) == "x" * 40  # the column's width
    pairing.note(_meta(7, None, "input.type"))
    assert pairing.kind_for(protocol.decode_update(update)) == "input.type"


def test_waiting_metas_are_bounded():
    pairing = MetaPairing()
    for clock in range(1000):
        pairing.note(_meta(7, clock, "input.type"))
    assert len(pairing._waiting) == 64


@pytest.mark.django_db(transaction=True)
async def test_two_metas_ahead_of_their_updates_are_recorded_on_the_right_events():
    team = await sync_to_async(Team)(draft_text="Draft.")
    writer = await (await client_for(team.writer1, team.task1)).sync()
    doc, me = writer.doc, writer.doc.client_id
    typed = _update(doc, lambda t: t.insert(0, "typed "))
    pasted = _update(doc, lambda t: t.insert(0, "pasted "))
    # Both metas first, the later one first: pairing by order would swap the kinds.
    await writer.send_raw(protocol.oversight(_meta(me, 6, "input.paste")))
    await writer.send_raw(protocol.oversight(_meta(me, 0, "input.type")))
    await writer.send_raw(protocol.sync_update(typed))
    await writer.send_raw(protocol.sync_update(pasted))
    observer = await (await client_for(team.lead, team.task1)).sync()
    await observer.until_text("pasted typed Draft.")

    def kinds():
        return list(EditEvent.objects.filter(task=team.task1).order_by("seq")
                    .values_list("kind", flat=True))

    await recorded(team.task1)
    assert await sync_to_async(kinds)() == ["input.type", "input.paste"]
    await writer.close()
    await observer.close()
