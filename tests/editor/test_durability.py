"""The log is the truth: seeding once, snapshots that lose no history, idle rooms unloaded."""

import threading

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from editor import rooms
from oversight.traces.log import store
from oversight.traces.models import DocSnapshot, DocState, DocUpdate, EditEvent
from tests.editor.recorded import recorded
from tests.editor.test_consumer import DRAFT, client_for
from tests.factories import Team

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def team():
    return await sync_to_async(Team)(draft_text=DRAFT)


def test_concurrent_seeding_from_two_threads_stores_the_draft_once():
    # Two processes opening a fresh task in the same instant both call ensure_seeded.
    task = Team(draft_text=DRAFT).task1
    barrier = threading.Barrier(2)
    errors = []

    def seed():
        try:
            barrier.wait()
            store.ensure_seeded(task.pk)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=seed) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert DocUpdate.objects.filter(task=task).count() == 1
    assert DocState.objects.get(task=task).last_position == 1


async def test_snapshots_compact_the_log_without_losing_history(team, settings):
    settings.EDITOR = {**settings.EDITOR, "SNAPSHOT_EVERY_UPDATES": 5}
    writer = await (await client_for(team.writer1, team.task1)).sync()
    for i in range(12):
        await writer.edit(lambda t, i=i: t.insert(0, f"{i}."))
    expected = "".join(f"{i}." for i in reversed(range(12))) + DRAFT
    observer = await (await client_for(team.lead, team.task1)).sync()
    await observer.until_text(expected)
    snapshot = await sync_to_async(DocSnapshot.objects.filter(task=team.task1).last)()
    assert snapshot is not None and snapshot.position >= 6
    # History is kept: every update and every event, not just the snapshot.
    assert await sync_to_async(DocUpdate.objects.filter(task=team.task1).count)() == 13
    await recorded(team.task1)
    assert await sync_to_async(EditEvent.objects.filter(task=team.task1).count)() == 12
    await writer.close()
    await observer.close()
    await rooms.unload_all()
    loaded = await sync_to_async(store.load_log)(team.task1.pk)
    assert loaded.snapshot is not None and len(loaded.updates) < 13
    again = await (await client_for(team.lead, team.task1)).sync()
    assert str(again.text) == expected
    await again.close()


async def test_an_idle_room_is_unloaded_and_reloads_intact(team, settings):
    settings.EDITOR = {**settings.EDITOR, "ROOM_IDLE_SECONDS": 0.05}
    writer = await (await client_for(team.writer1, team.task1)).sync()
    follower = await (await client_for(team.lead, team.task1)).sync()
    await writer.edit(lambda t: t.insert(0, "kept "))
    await follower.until_text("kept " + DRAFT)
    room = rooms.loaded_room(str(team.task1.doc_id))
    await writer.close()
    await follower.close()
    await room.wait_until(lambda r: r.closed)  # unloaded after the idle time
    assert rooms.loaded_room(str(team.task1.doc_id)) is None
    again = await (await client_for(team.lead, team.task1)).sync()
    assert str(again.text) == "kept " + DRAFT
    await again.close()


async def test_an_acknowledged_edit_is_in_the_log(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    observer = await (await client_for(team.lead, team.task1)).sync()
    update = await writer.edit(lambda t: t.insert(0, "ack "))
    await observer.until_text("ack " + DRAFT)  # relayed means acknowledged
    stored = await sync_to_async(list)(
        DocUpdate.objects.filter(task=team.task1, position=2).values_list("data", flat=True))
    assert [bytes(d) for d in stored] == [update]
    await writer.close()
    await observer.close()
