"""Edits made while disconnected merge on reconnect, through the ordinary sync handshake."""

import pytest
from asgiref.sync import sync_to_async

from oversight.traces.models import DocUpdate, EditEvent
from tests.editor.recorded import recorded
from tests.editor.test_consumer import DRAFT, client_for
from tests.editor.yclient import YClient
from tests.factories import Team, token_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def team():
    return await sync_to_async(Team)(draft_text=DRAFT)


async def test_offline_edits_of_two_writers_merge_on_reconnect(team):
    await sync_to_async(team.task1.assignees.add)(team.writer2)
    first = await (await client_for(team.writer1, team.task1)).sync()
    second = await (await client_for(team.writer2, team.task1)).sync()
    await first.close()
    await second.close()
    # Both keep typing while offline: nothing reaches the server.
    first.text.insert(0, "offline-1 ")
    second.text.insert(len(str(second.text).encode()), " offline-2")
    reconnected = []
    for stale in (first, second):
        token = await sync_to_async(token_for)(team.writer1 if stale is first else team.writer2)
        again = YClient(team.task1.doc_id, token=token)
        again.doc, again.text = stale.doc, stale.text  # the same local document, reconnecting
        await again.connect()
        await again.sync()  # answers the server's step 1 with what it lacks
        reconnected.append(again)
    observer = await (await client_for(team.lead, team.task1)).sync()
    await observer.until_text("offline-1 " + DRAFT + " offline-2")
    assert await sync_to_async(DocUpdate.objects.filter(task=team.task1).count)() == 3
    await recorded(team.task1)
    events = await sync_to_async(list)(EditEvent.objects.filter(task=team.task1)
                                       .order_by("seq").values_list("author_id", "kind"))
    # Offline edits carry no editor report: their kind is inferred from the delta.
    assert events == [(team.writer1.pk, ""), (team.writer2.pk, "")]
    for client in (observer, *reconnected):
        await client.close()
