"""Edits relayed while nothing records them: the log has them, and the readers catch up.

With EDITOR_RECORDER=process and no `manage.py record` running, rooms only store
and relay. Submission right after the edits still freezes the text everyone saw,
with the events it needs; a process that died before recording loses nothing.
"""

import pytest
from asgiref.sync import sync_to_async
from django.core.management import call_command

from editor import rooms
from oversight.traces.log import forget_copies
from oversight.traces.models import DocState, EditEvent
from oversight.traces.services import task_submit
from oversight.workspace.models import Task
from tests.editor.test_consumer import DRAFT, client_for
from tests.factories import Team, api_client

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = "two one " + DRAFT + " three"


@pytest.fixture
def recorder_stopped(settings):
    settings.EDITOR = {**settings.EDITOR, "RECORDER": "process"}


async def type_and_wait_stored(team, *, close: bool = True):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    await writer.send_raw(b"\x64" + bytes([len(b'{"t":"hello"}')]) + b'{"t":"hello"}')
    await writer.edit(lambda t: t.insert(0, "one "), "input.type")
    await writer.edit(lambda t: t.insert(0, "two "), "input.paste")
    await writer.edit(lambda t: t.insert(len(str(t).encode()), " three"), "input.type")
    await writer.until(lambda f: f.type == 100 and f.data.get("t") == "stored"
                       and f.data["updates"] == 3)
    if close:
        await writer.close()
    return writer


def event_rows(team) -> list[tuple]:
    return list(EditEvent.objects.filter(task=team.task1).order_by("seq").values_list(
        "seq", "round", "author_id", "client_id", "server_ms", "kind", "inferred_kind", "ops"))


async def test_a_submit_right_after_edits_with_the_recorder_stopped_freezes_the_right_final(
        recorder_stopped):
    team = await sync_to_async(Team)(draft_text=DRAFT)
    writer = await type_and_wait_stored(team, close=False)  # the room stays live
    assert await sync_to_async(EditEvent.objects.filter(task=team.task1).count)() == 0
    response = await sync_to_async(
        lambda: api_client(team.writer1).post(f"/api/tasks/{team.task1.pk}/submit/"))()
    assert response.status_code == 201, response.content
    assert (response.json()["text"], response.json()["events"]) == (TYPED, 3)
    rows = await sync_to_async(event_rows)(team)
    assert [(seq, kind, author) for seq, _, author, _, _, kind, _, _ in rows] == [
        (1, "input.type", team.writer1.pk), (2, "input.paste", team.writer1.pk),
        (3, "input.type", team.writer1.pk)]
    await writer.close()


async def test_the_trajectory_of_a_live_task_catches_the_recorder_up(recorder_stopped):
    team = await sync_to_async(Team)(draft_text=DRAFT)
    writer = await type_and_wait_stored(team, close=False)
    response = await sync_to_async(
        lambda: api_client(team.lead).get(f"/api/tasks/{team.task1.pk}/trajectory/"))()
    assert response.status_code == 200, response.content
    assert [e["seq"] for e in response.json()["events"]] == [1, 2, 3]
    await writer.close()


async def test_a_process_that_died_before_recording_loses_nothing(recorder_stopped):
    team = await sync_to_async(Team)(draft_text=DRAFT)
    await type_and_wait_stored(team)
    await rooms.unload_all()  # the process is gone: its rooms and recorder copies too
    forget_copies()
    state = await sync_to_async(DocState.objects.get)(task=team.task1)
    assert (state.last_position, state.recorded_position, state.last_seq) == (4, 1, 0)
    # The next process (`manage.py record`, or any reader) records the log as it stood.
    await sync_to_async(call_command)("record", "--once")
    rows = await sync_to_async(event_rows)(team)
    assert [r[7] for r in rows] == [[{"insert": "one "}], [{"insert": "two "}],
                                    [{"retain": len(TYPED) - 6}, {"insert": " three"}]]
    # Recorded again from scratch, the same log gives the same events, field for field.
    await sync_to_async(lambda: (EditEvent.objects.filter(task=team.task1).delete(),
                                 DocState.objects.filter(task=team.task1).update(
                                     recorded_position=1, last_seq=0)))()
    forget_copies()
    await sync_to_async(call_command)("record", "--once")
    assert await sync_to_async(event_rows)(team) == rows
    task = await sync_to_async(Task.objects.get)(pk=team.task1.pk)
    submission = await sync_to_async(task_submit)(task=task, user=team.writer1)
    assert submission.text == TYPED
