"""Submit freezes the document; a request for changes reopens it as round two of one trajectory."""

import pytest
from asgiref.sync import sync_to_async

from oversight.core.delta import apply_ops
from oversight.review.services import review_submit
from oversight.traces.models import EditEvent
from oversight.traces.services import task_submit
from tests.editor.test_consumer import DRAFT, client_for
from tests.factories import Team

pytestmark = pytest.mark.django_db(transaction=True)
HELLO = b"\x64" + bytes([len(b'{"t":"hello"}')]) + b'{"t":"hello"}'


@pytest.fixture
async def team():
    return await sync_to_async(Team)(draft_text=DRAFT)


def scores(team):
    return {key: 4 for key in team.project.principle_keys()}


async def test_changes_requested_reopen_the_room_as_round_two(team):
    writer = await (await client_for(team.writer1, team.task1)).sync()
    await writer.send_raw(HELLO)
    await writer.edit(lambda t: t.insert(0, "One. "), "input.type")
    observer = await (await client_for(team.lead, team.task1)).sync()
    await observer.until_text("One. " + DRAFT)

    first = await sync_to_async(task_submit)(task=team.task1, user=team.writer1)
    status = await writer.until(lambda f: f.type == 100 and f.data.get("t") == "status")
    assert status.data["readonly"] is True

    await sync_to_async(review_submit)(task=team.task1, reviewer=team.reviewer,
                                       verdict="request_changes", scores=scores(team),
                                       comment="Say why the sky is blue.")
    reopened = await writer.until(lambda f: f.type == 100 and f.data.get("t") == "status")
    assert (reopened.data["status"], reopened.data["readonly"]) == ("changes_requested", False)

    await writer.edit(lambda t: t.insert(len(str(t).encode()), " Two."), "input.type")
    await observer.until_text("One. " + DRAFT + " Two.")
    second = await sync_to_async(task_submit)(task=team.task1, user=team.writer1)

    assert (first.round, second.round) == (1, 2)
    events = await sync_to_async(list)(
        EditEvent.objects.filter(task=team.task1).order_by("seq").values_list("seq", "round",
                                                                              "ops"))
    assert [(seq, round_) for seq, round_, _ in events] == [(1, 1), (2, 2)]
    text = DRAFT
    for _, _, ops in events:
        text = apply_ops(text, ops)
    assert text == second.text == "One. " + DRAFT + " Two."
    assert first.text == "One. " + DRAFT and first.events == 1 and second.events == 2
    await writer.close()
    await observer.close()
