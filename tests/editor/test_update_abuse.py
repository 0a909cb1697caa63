"""Forged, gapped and non-text updates are refused: only their sender is closed, nothing is stored.

A Yjs client id belongs to the user (and, while it is open, the connection) that
first wrote with it in the document; an update that would stay pending in the
server's document (a clock gap, an origin or a deletion the server never got)
and content other than text (formatting, map entries) are refused outright.
"""


import pytest
from asgiref.sync import sync_to_async
from pycrdt import Doc, Map, Text

from editor import protocol, rooms
from oversight.traces.models import DocClient, DocUpdate, EditEvent
from tests.editor.recorded import recorded
from tests.editor.test_consumer import DRAFT, client_for
from tests.editor.yclient import YClient
from tests.factories import Team, token_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def team():
    return await sync_to_async(Team)(draft_text=DRAFT)


def stored_count(task):
    return sync_to_async(DocUpdate.objects.filter(task=task).count)()


def forged(base: YClient, client_id: int, edit) -> bytes:
    """An update made under `client_id` on top of what `base` has."""
    doc = Doc(client_id=client_id)
    text = doc.get("codemirror", type=Text)
    doc.apply_update(base.doc.get_update())
    before = doc.get_state()
    edit(text)
    return doc.get_update(before)


async def test_another_users_client_id_is_refused_and_the_owner_keeps_writing(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    await writer.edit(lambda t: t.insert(0, "mine "))
    lead = await (await client_for(team.lead, team.task1)).sync()
    await lead.until_text("mine " + DRAFT)
    # The lead writes under the writer's id, at the writer's next clock.
    await lead.send_raw(protocol.sync_update(
        forged(lead, writer.doc.client_id, lambda t: t.insert(0, "forged "))))
    code, reason = await lead.expect_close()
    assert code == 4400 and "belongs to another user" in reason
    assert await stored_count(team.task1) == 2
    # The writer's next edit, at that very clock, is stored and relayed.
    await writer.edit(lambda t: t.insert(0, "again "))
    observer = await (await client_for(team.reviewer, team.task1)).sync()
    assert str(observer.text) == "again mine " + DRAFT
    await recorded(team.task1)
    kinds = await sync_to_async(list)(EditEvent.objects.filter(task=team.task1)
                                      .values_list("author_id", flat=True))
    assert kinds == [team.writer1.pk, team.writer1.pk]
    await writer.close()
    await observer.close()


async def test_the_binding_survives_a_restart(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    await writer.edit(lambda t: t.insert(0, "mine "))
    room = rooms.loaded_room(str(team.task1.doc_id))
    await writer.close()
    await room.wait_until(lambda r: r.applied_position == 2 and not r.connections)
    await rooms.unload_all()  # memory is gone: the binding is in the database
    owners = await sync_to_async(dict)(DocClient.objects.filter(task=team.task1)
                                       .values_list("client_id", "user_id"))
    assert owners[writer.doc.client_id] == team.writer1.pk
    assert list(owners.values()).count(None) == 1  # the seed: nobody's
    lead = await (await client_for(team.lead, team.task1)).sync()
    await lead.send_raw(protocol.sync_update(
        forged(lead, writer.doc.client_id, lambda t: t.insert(0, "forged "))))
    assert (await lead.expect_close())[0] == 4400
    assert await stored_count(team.task1) == 2


async def test_the_seeds_client_id_is_nobodys(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    (seed_id,) = _clients(writer)  # the only client so far: the seed
    await writer.send_raw(protocol.sync_update(forged(writer, seed_id,
                                                      lambda t: t.insert(0, "x"))))
    assert (await writer.expect_close())[0] == 4400
    assert await stored_count(team.task1) == 1


def _clients(client: YClient) -> list[int]:
    from oversight.traces.log import decode_state_vector

    return list(decode_state_vector(client.doc.get_state()))


async def test_a_second_open_connection_may_not_write_under_a_held_id(team):
    first = await (await client_for(team.writer1, team.task1)).sync()
    await first.edit(lambda t: t.insert(0, "one "))
    second = await (await client_for(team.writer1, team.task1)).sync()
    await second.until_text("one " + DRAFT)
    await second.send_raw(protocol.sync_update(
        forged(second, first.doc.client_id, lambda t: t.insert(0, "two "))))
    code, reason = await second.expect_close()
    assert code == protocol.TRY_AGAIN_LATER and "another connection" in reason
    assert await stored_count(team.task1) == 2
    await first.close()


@pytest.mark.parametrize("attack", ["clock_gap", "unknown_origin", "unknown_deletion"])
async def test_an_update_that_would_stay_pending_is_refused(team, attack):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    observer = await (await client_for(team.lead, team.task1)).sync()
    hidden = Doc()  # edits the server never receives
    hidden_text = hidden.get("codemirror", type=Text)
    hidden.apply_update(writer.doc.get_update())
    hidden_text.insert(0, "never sent ")
    if attack == "clock_gap":
        # The writer's own second edit, without its first.
        writer.text.insert(0, "first ")
        before = writer.doc.get_state()
        writer.text.insert(0, "second ")
        update = writer.doc.get_update(before)
    elif attack == "unknown_origin":
        # A new client inserting next to an item the server never received.
        doc = Doc()
        doc.apply_update(hidden.get_update())
        before = doc.get_state()
        doc.get("codemirror", type=Text).insert(len(b"never"), "!")
        update = doc.get_update(before)
    else:
        # Deleting items the server never received (they would vanish when they arrive).
        before = hidden.get_state()
        del hidden_text[0:len(b"never")]
        update = hidden.get_update(before)
        update = _delete_set_only(update)
    await writer.send_raw(protocol.sync_update(update))
    code, reason = await writer.expect_close()
    assert code == 4400 and ("pending" in reason or "never received" in reason), reason
    assert await stored_count(team.task1) == 1
    await observer.edit(lambda t: t.insert(0, "ok "))
    later = await (await client_for(team.reviewer, team.task1)).sync()
    assert str(later.text) == "ok " + DRAFT
    await observer.close()
    await later.close()


def _delete_set_only(update: bytes) -> bytes:
    """The delete set of an update, with no structs (a bare deletion)."""
    from pycrdt import get_update

    from oversight.traces.log import decode

    huge = {client: 2**40 for client in decode(update, "codemirror").clients}
    state = protocol.write_var_uint(len(huge)) + b"".join(
        protocol.write_var_uint(c) + protocol.write_var_uint(k) for c, k in huge.items())
    return get_update(update, state)


@pytest.mark.parametrize("edit, why", [
    (lambda doc, text: text.format(0, 3, {"bold": True}), "formatting mark"),
    (lambda doc, text: doc.get("settings", type=Map).__setitem__("k", "v"), "'settings'"),
    (lambda doc, text: text.insert_embed(0, {"image": "x.png"}), "embed"),
])
async def test_changes_that_are_not_text_are_refused_not_recorded_empty(team, edit, why):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    before = writer.doc.get_state()
    edit(writer.doc, writer.text)
    await writer.send_raw(protocol.sync_update(writer.doc.get_update(before)))
    code, reason = await writer.expect_close()
    assert code == 4400 and why in reason, reason
    assert await stored_count(team.task1) == 1
    assert await sync_to_async(EditEvent.objects.filter(task=team.task1).count)() == 0


async def test_offline_edits_after_a_refused_peer_still_merge(team):
    """A refusal leaves the room's document as it was: a reconnecting writer syncs normally."""
    writer = await (await client_for(team.writer1, team.task1)).sync()
    await writer.edit(lambda t: t.insert(0, "online "))
    lead = await (await client_for(team.lead, team.task1)).sync()
    await lead.until_text("online " + DRAFT)
    await lead.send_raw(protocol.sync_update(
        forged(lead, writer.doc.client_id, lambda t: t.insert(0, "forged "))))
    assert (await lead.expect_close())[0] == 4400
    await writer.close()
    writer.text.insert(0, "offline ")
    token = await sync_to_async(token_for)(team.writer1)
    again = YClient(team.task1.doc_id, token=token)
    again.doc, again.text = writer.doc, writer.text
    await (await again.connect()).sync()
    observer = await (await client_for(team.reviewer, team.task1)).sync()
    await observer.until_text("offline online " + DRAFT)
    await again.close()
    await observer.close()


async def test_echoed_awareness_does_not_take_a_peers_client_id(team):
    """Stock clients echo every peer's awareness: only a connection's first, own id counts."""
    from tests.editor.test_consumer import _awareness_update

    writer = await (await client_for(team.writer1, team.task1)).sync()
    await writer.send_raw(b"\x01" + _awareness_update(writer.doc.client_id, 1, "{}"))
    lead = await (await client_for(team.lead, team.task1)).sync()
    await lead.send_raw(b"\x01" + _awareness_update(lead.doc.client_id, 1, "{}"))
    await writer.close()  # it never typed: its id is bound to no one yet
    # The lead's client echoes a state of the writer's it heard late, naming its id.
    await lead.send_raw(b"\x01" + _awareness_update(writer.doc.client_id, 2, "{}"))
    writer.text.insert(0, "offline ")
    token = await sync_to_async(token_for)(team.writer1)
    again = YClient(team.task1.doc_id, token=token)
    again.doc, again.text = writer.doc, writer.text
    await (await again.connect()).sync()
    await lead.until_text("offline " + DRAFT)
    assert await stored_count(team.task1) == 2
    await again.close()
    await lead.close()
