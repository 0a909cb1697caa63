"""The document room over the y-websocket protocol, driven by WebsocketCommunicator."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from editor import rooms
from oversight.traces.models import DocUpdate, EditEvent
from oversight.workspace import status as task_status
from tests.editor.recorded import recorded
from tests.editor.yclient import YClient
from tests.factories import Team, token_for

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT = "Hello 数 👩‍👩‍👧 e\u0301!"


@pytest.fixture
async def team():
    return await sync_to_async(Team)(draft_text=DRAFT)


async def client_for(user, task):
    token = await sync_to_async(token_for)(user)
    return await YClient(task.doc_id, token=token).connect()


async def test_sync_handshake_delivers_the_seeded_draft(team):
    client = await client_for(team.writer1, team.task1)
    await client.sync()
    assert str(client.text) == DRAFT
    await client.close()


async def test_two_clients_opening_a_fresh_task_at_once_seed_it_once(team):
    a, b = await asyncio.gather(client_for(team.writer1, team.task1),
                                client_for(team.lead, team.task1))
    await asyncio.gather(a.sync(), b.sync())
    assert str(a.text) == str(b.text) == DRAFT
    assert await sync_to_async(DocUpdate.objects.filter(task=team.task1).count)() == 1
    await a.close()
    await b.close()


async def test_an_update_is_stored_recorded_and_relayed(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    lead = await (await client_for(team.lead, team.task1)).sync()
    await writer.edit(lambda t: t.insert(len(b"Hello"), ", world"), "input.type")
    await lead.until_text("Hello, world" + DRAFT[5:])
    # Recorded off the relay path, by the live room itself, promptly.
    room = rooms.loaded_room(str(team.task1.doc_id))
    await room.wait_until(lambda r: r.recording.position == 2, timeout=2)
    event = await sync_to_async(EditEvent.objects.get)(task=team.task1)
    assert (event.seq, event.kind, event.author_id) == (1, "input.type", team.writer1.pk)
    assert event.ops == [{"retain": 5}, {"insert": ", world"}]
    await writer.close()
    await lead.close()


async def test_code_point_offsets_after_cjk_and_emoji(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    # Insert just before "!", after CJK, a ZWJ family and a combining mark.
    at = len(DRAFT[:-1].encode())
    await writer.edit(lambda t: t.insert(at, "?"))
    observer = await (await client_for(team.lead, team.task1)).sync()
    assert str(observer.text) == DRAFT[:-1] + "?!"
    await recorded(team.task1)
    event = await sync_to_async(EditEvent.objects.get)(task=team.task1)
    assert event.ops == [{"retain": len(DRAFT) - 1}, {"insert": "?"}]
    await writer.close()
    await observer.close()


async def test_first_edit_moves_an_open_task_in_progress(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    await writer.edit(lambda t: t.insert(0, "A"))
    lead = await (await client_for(team.lead, team.task1)).sync()
    assert str(lead.text) == "A" + DRAFT
    await sync_to_async(team.task1.refresh_from_db)()
    assert team.task1.status == task_status.IN_PROGRESS
    await writer.close()
    await lead.close()


async def test_a_reviewers_update_is_refused_and_the_room_carries_on(team):
    reviewer = await (await client_for(team.reviewer, team.task1)).sync()
    await reviewer.send_raw(b"\x64" + bytes([len(b'{"t":"hello"}')]) + b'{"t":"hello"}')
    await reviewer.edit(lambda t: t.insert(0, "sneaky "))
    error = await reviewer.until(lambda f: f.type == 100)
    assert error.data["code"] == "read_only"
    assert await sync_to_async(DocUpdate.objects.filter(task=team.task1).count)() == 1
    writer = await (await client_for(team.writer1, team.task1)).sync()
    assert str(writer.text) == DRAFT
    # The reviewer's connection still carries awareness.
    state = '{"user":{"name":"w"}}'
    await writer.send_raw(b"\x01" + _awareness_update(writer.doc.client_id, 1, state))
    frame = await reviewer.until(lambda f: f.type == 1)
    assert b'"name":"w"' in frame.payload
    await reviewer.close()
    await writer.close()


def _awareness_update(client_id: int, clock: int, state: str) -> bytes:
    from editor.protocol import write_var_uint

    body = write_var_uint(1) + write_var_uint(client_id) + write_var_uint(clock)
    body += write_var_uint(len(state.encode())) + state.encode()
    return write_var_uint(len(body)) + body


@pytest.mark.parametrize("who, code", [("nobody", 4401), ("outsider", 4403), ("writer2", 4403)])
async def test_refused_connections_get_a_close_code(team, who, code):
    if who == "nobody":
        client = await YClient(team.task1.doc_id).connect()
    else:
        client = await client_for(getattr(team, who), team.task1)
    closed_code, reason = await client.expect_close()
    assert closed_code == code and reason


async def test_an_unknown_document_is_refused(team):
    import uuid

    client = await client_for(team.writer1, type("T", (), {"doc_id": uuid.uuid4()})())
    assert (await client.expect_close())[0] == 4404


async def test_a_foreign_origin_is_refused(team):
    token = await sync_to_async(token_for)(team.writer1)
    client = await YClient(team.task1.doc_id, token=token,
                           headers=[(b"origin", b"https://evil.example")]).connect()
    assert (await client.expect_close())[0] == 4403


@pytest.mark.parametrize("payload, code", [
    ({"text": "hello"}, 4400),
    ({"data": b"\x07\x01\x02"}, 4400),  # unknown message type
    ({"data": b"\x00\x02\x05\x01\x02\x03\x04\x05"}, 4400),  # update that does not decode
    ({"data": b"\x00\x02\xff\xff"}, 4400),  # truncated length
    ({"data": b"\x00\x02" + b"\x00" * (1024 * 1024 + 10)}, 4413),
])
async def test_bad_input_closes_one_connection_and_changes_nothing(team, payload, code):
    bad = await (await client_for(team.writer1, team.task1)).sync()
    good = await (await client_for(team.lead, team.task1)).sync()
    await bad.send_raw(**payload)
    assert (await bad.expect_close())[0] == code
    await good.edit(lambda t: t.insert(0, "ok "))
    later = await (await client_for(team.writer1, team.task1)).sync()
    assert str(later.text) == "ok " + DRAFT
    assert await sync_to_async(DocUpdate.objects.filter(task=team.task1).count)() == 2
    await good.close()
    await later.close()


async def test_a_flood_closes_the_connection(team, settings):
    settings.EDITOR = {**settings.EDITOR, "RATE_LIMIT_PER_SECOND": 1, "RATE_LIMIT_BURST": 5}
    client = await (await client_for(team.writer1, team.task1)).sync()
    for _ in range(10):
        await client.send_raw(b"\x01" + _awareness_update(client.doc.client_id, 1, "{}"))
    # Not in 4400-4499: stock y-websocket clients reconnect after it.
    assert (await client.expect_close())[0] == 4503


async def test_the_document_survives_a_restart(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    for word in ["one ", "two ", "three "]:
        await writer.edit(lambda t, w=word: t.insert(0, w))
    room = rooms.loaded_room(str(team.task1.doc_id))
    await writer.close()
    await room.wait_until(lambda r: r.applied_position == 4 and not r.connections)
    await rooms.unload_all()  # as if the process restarted: memory is gone, the log is not
    again = await (await client_for(team.lead, team.task1)).sync()
    assert str(again.text) == "three two one " + DRAFT
    await again.close()


async def test_a_submitted_task_is_read_only(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    await writer.send_raw(b"\x64" + bytes([len(b'{"t":"hello"}')]) + b'{"t":"hello"}')
    await writer.edit(lambda t: t.insert(0, "A"))
    await writer.until(lambda f: f.type == 100 and f.data.get("t") == "stored")

    def submit():
        from oversight.workspace.models import Task

        Task.objects.filter(pk=team.task1.pk).update(status=task_status.SUBMITTED)

    await sync_to_async(submit)()
    await writer.edit(lambda t: t.insert(0, "B"))
    error = await writer.until(lambda f: f.type == 100 and f.data.get("code") == "read_only")
    assert "submitted" in error.data["message"]
    assert await sync_to_async(DocUpdate.objects.filter(task=team.task1).count)() == 2
    await writer.close()


async def _hello(client):
    await client.send_raw(b"\x64" + bytes([len(b'{"t":"hello"}')]) + b'{"t":"hello"}')


async def test_the_sender_is_told_what_is_stored_and_stock_clients_are_not(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    stock = await (await client_for(team.lead, team.task1)).sync()  # never says hello
    await _hello(writer)
    stored = lambda f: f.type == 100 and f.data["t"] == "stored"  # noqa: E731
    await writer.edit(lambda t: t.insert(0, "A"), "input.type")
    first = await writer.until(stored)
    await writer.edit(lambda t: t.insert(0, "B"), "input.type")
    second = await writer.until(stored)
    assert first.data["updates"] == 1 and second.data["updates"] == 2
    assert second.data["position"] > first.data["position"]
    # What it names is in the log: the position of the writer's latest update.
    latest = await sync_to_async(
        lambda: DocUpdate.objects.filter(task=team.task1).order_by("-position").first())()
    assert (latest.position, latest.author_id) == (second.data["position"], team.writer1.pk)
    await stock.until_text("BA" + DRAFT)
    assert not [f for f in stock.received if f.type == 100]
    await writer.close()
    await stock.close()
