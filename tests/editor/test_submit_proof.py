"""Submission proves the final three ways: the log's document == the replayed events == the final.

Each trace is typed through the real editor (WebSocket, room, recorder, batch commit),
then one inconsistency is planted in the database, as a recorder bug would leave it.
Submission must be refused (409, a message naming the two accounts that disagree and
where), an error logged, and nothing frozen.
"""

import logging

import pytest
from asgiref.sync import sync_to_async
from pycrdt import Doc, Text

from editor import rooms
from oversight.traces.log import TEXT_NAME, stored_text
from oversight.traces.models import DocState, DocUpdate, EditEvent, Submission
from oversight.traces.services import TraceMismatch, task_submit
from oversight.workspace import status as task_status
from oversight.workspace.models import Task
from tests.editor.test_consumer import DRAFT, client_for
from tests.factories import Team, api_client

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = "two one " + DRAFT + " three"
LOG_VS_EVENTS = ["the document's update log", "the recorded events"]


@pytest.fixture
async def typed():
    """A task whose writer typed four edits in the editor, all stored; rooms unloaded."""
    team = await sync_to_async(Team)(draft_text=DRAFT)
    writer = await (await client_for(team.writer1, team.task1)).sync()
    await writer.send_raw(b"\x64" + bytes([len(b'{"t":"hello"}')]) + b'{"t":"hello"}')
    await writer.edit(lambda t: t.insert(0, "one "), "input.type")
    await writer.edit(lambda t: t.insert(0, "two "), "input.type")
    await writer.edit(lambda t: t.insert(len(str(t).encode()), " three"), "input.type")
    await writer.edit(lambda t: t.insert(len(str(t).encode()), "!"), "input.type")
    await writer.edit(lambda t: t.__delitem__(slice(len(str(t).encode()) - 1, None)),
                      "delete.backward")
    await writer.until(lambda f: f.type == 100 and f.data.get("t") == "stored"
                       and f.data["updates"] == 5)
    assert str(writer.text) == TYPED
    await writer.close()
    await rooms.unload_all()
    return team


def submit_over_api(team):
    return api_client(team.writer1).post(f"/api/tasks/{team.task1.pk}/submit/")


def nothing_frozen(team) -> bool:
    task = Task.objects.get(pk=team.task1.pk)
    return (not Submission.objects.filter(task=task).exists()
            and task.status == task_status.IN_PROGRESS)


def assert_refused(team, caplog, disagree: list[str], position: int | None):
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="oversight.traces"):
        response = submit_over_api(team)
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "trace_mismatch"
    assert error["detail"] == {"disagree": disagree, "position": position}
    assert error["message"].startswith("Submission refused: ")
    assert "Nothing was frozen" in error["message"]
    if position is not None:
        assert f"{disagree[0]} and {disagree[1]} disagree at code point {position}" \
            in error["message"]
    [record] = [r for r in caplog.records if r.name == "oversight.traces"]
    assert record.levelno == logging.ERROR
    assert (record.task_id, list(record.disagree), record.position) == (
        team.task1.pk, disagree, position)
    assert f"task {team.task1.pk}: submission refused" in record.getMessage()
    assert nothing_frozen(team)
    # The service itself refuses with the typed error, and freezes nothing either.
    with pytest.raises(TraceMismatch) as raised:
        task_submit(task=Task.objects.get(pk=team.task1.pk), user=team.writer1)
    assert [raised.value.first, raised.value.second] == disagree
    assert nothing_frozen(team)
    return error["message"]


def events(team) -> list[EditEvent]:
    return list(EditEvent.objects.filter(task=team.task1).order_by("seq"))


async def test_an_honest_trace_is_submitted_and_all_three_texts_agree(typed):
    assert await sync_to_async(stored_text)(typed.task1.pk) == TYPED
    response = await sync_to_async(submit_over_api)(typed)
    assert response.status_code == 201, response.content
    assert response.json()["text"] == TYPED
    assert response.json()["events"] == 5


@sync_to_async
def plant_and_refuse(team, caplog, plant, disagree, position):
    plant(team)
    return assert_refused(team, caplog, disagree, position)


async def test_a_missing_event_is_refused(typed, caplog):
    def drop_the_first_event(team):
        # A recorder that lost an event still numbers the rest gaplessly.
        first, *rest = events(team)
        first.delete()
        for event in rest:
            EditEvent.objects.filter(pk=event.pk).update(seq=event.seq - 1)
        DocState.objects.filter(task=team.task1).update(last_seq=len(rest))

    # The later events were made on a longer text: they no longer fit.
    message = await plant_and_refuse(typed, caplog, drop_the_first_event,
                                     ["the recorded events", "the final text"], None)
    assert message.startswith("Submission refused: the recorded events do not replay (event "
                              "seq 2 does not apply: retain of 25")


async def test_a_missing_last_event_is_refused(typed, caplog):
    def drop_the_last_event(team):
        events(team)[-1].delete()  # the deletion of "!": the events end with it

    await plant_and_refuse(typed, caplog, drop_the_last_event, LOG_VS_EVENTS, len(TYPED))


async def test_a_misordered_event_is_refused(typed, caplog):
    def swap_the_first_two(team):
        first, second = events(team)[:2]
        EditEvent.objects.filter(pk=first.pk).update(ops=second.ops)
        EditEvent.objects.filter(pk=second.pk).update(ops=first.ops)

    # Replayed in the stored order the events give "one two …".
    await plant_and_refuse(typed, caplog, swap_the_first_two, LOG_VS_EVENTS, 0)


async def test_a_tampered_insert_is_refused(typed, caplog):
    def change_the_inserted_text(team):
        third = events(team)[2]
        ops = [{**op, "insert": " thr33"} if "insert" in op else op for op in third.ops]
        EditEvent.objects.filter(pk=third.pk).update(ops=ops)

    message = await plant_and_refuse(typed, caplog, change_the_inserted_text, LOG_VS_EVENTS,
                                     len("two one " + DRAFT + " thr"))
    assert "(the log: 'ee'; the events: '33')" in message


async def test_a_log_update_without_events_is_refused(typed, caplog):
    def store_an_unrecorded_update(team):
        # Another client's edit that reached the log (and so every screen) but no event,
        # past a recorder that counts it as recorded (a recorder that skipped it).
        doc = Doc()
        text = doc.get(TEXT_NAME, type=Text)
        for row in DocUpdate.objects.filter(task=team.task1).order_by("position"):
            doc.apply_update(bytes(row.data))
        before = doc.get_state()
        text.insert(0, "ghost ")
        state = DocState.objects.get(task=team.task1)
        DocUpdate.objects.create(task=team.task1, position=state.last_position + 1,
                                 author=team.writer1, client_id=doc.client_id, server_ms=0,
                                 data=doc.get_update(before))
        DocState.objects.filter(task=team.task1).update(
            last_position=state.last_position + 1, recorded_position=state.last_position + 1)

    await plant_and_refuse(typed, caplog, store_an_unrecorded_update, LOG_VS_EVENTS, 0)


async def test_a_final_the_events_do_not_give_is_refused(typed, caplog):
    def a_wrong_checkpoint(team):
        from oversight.traces.models import Checkpoint

        Checkpoint.objects.create(task=team.task1, seq=5, text=TYPED + "?")

    await plant_and_refuse(typed, caplog, a_wrong_checkpoint,
                           ["the recorded events", "the final text"], len(TYPED))


async def test_a_stored_update_that_does_not_decode_is_refused(typed, caplog):
    def corrupt_an_update(team):
        DocUpdate.objects.filter(task=team.task1, position=3).update(data=b"\x01\x02")

    message = await plant_and_refuse(typed, caplog, corrupt_an_update,
                                     ["the document's update log", "the recorded events"], None)
    assert message.startswith("Submission refused: the document's update log does not load "
                              "(update 3 does not apply: Cannot decode update")


def test_events_with_no_log_at_all_are_refused(caplog):
    # Events written by some other path than the editor's batch commit: the document
    # nobody opened is the draft, which the events do not leave as it was.
    team = Team(draft_text="Draft.")
    EditEvent.objects.create(task=team.task1, seq=1, author=team.writer1, server_ms=1,
                             inferred_kind="typing", ops=[{"retain": 6}, {"insert": "!"}])
    Task.objects.filter(pk=team.task1.pk).update(status=task_status.IN_PROGRESS)
    assert stored_text(team.task1.pk) is None
    message = assert_refused(team, caplog, LOG_VS_EVENTS, 6)
    assert "(the log: ''; the events: '!')" in message


def test_a_task_never_edited_is_submitted_as_its_draft():
    team = Team(draft_text="Draft.")
    Task.objects.filter(pk=team.task1.pk).update(status=task_status.IN_PROGRESS)
    assert task_submit(task=team.task1, user=team.writer1).text == "Draft."
