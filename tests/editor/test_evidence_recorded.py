"""The editor stores the browser's evidence: marks on the edit events, focus-lost intervals."""

import time

import pytest
from asgiref.sync import sync_to_async

from editor import protocol
from tests.editor.recorded import recorded
from tests.editor.yclient import YClient
from tests.factories import Team, token_for


def meta(client, **fields):
    return protocol.oversight({"t": "meta", "client": client, **fields})


@pytest.mark.django_db(transaction=True)
async def test_marks_land_on_the_event_their_meta_describes_and_focus_is_stored():
    from oversight.traces.models import EditEvent, FocusLoss

    team = await sync_to_async(Team)()
    token = await sync_to_async(token_for)(team.writer1)
    writer = await (await YClient(team.task1.doc_id, token=token).connect()).sync()
    await writer.send_raw(meta(writer.doc.client_id, userEvent=None, silent=True,
                               untrusted=True))
    await writer.edit(lambda t: t.insert(0, "From a script. "))
    await writer.edit(lambda t: t.insert(0, "k"), user_event="input.type")
    now = int(time.time() * 1000)
    # The client's clock is an hour behind: only its differences count.
    skew = -3_600_000
    await writer.send_raw(protocol.oversight(
        {"t": "focus", "lost_ms": now + skew - 9_000, "back_ms": now + skew - 2_000,
         "sent_ms": now + skew, "client": writer.doc.client_id}))
    await writer.send_raw(meta(writer.doc.client_id, userEvent="input.paste",
                               after_refocus=True))
    await writer.edit(lambda t: t.insert(0, "Pasted. "))
    # The room relays an update only once it is stored: a follower seeing it means stored.
    follower = await (await YClient(team.task1.doc_id, token=await sync_to_async(token_for)(
        team.lead)).connect()).sync()
    await follower.until_text("Pasted. kFrom a script. Draft.")
    await recorded(team.task1)
    rows = await sync_to_async(list)(EditEvent.objects.filter(task=team.task1)
                                     .order_by("seq").values_list("kind", "evidence"))
    assert rows == [("", {"silent": True, "untrusted": True}), ("input.type", None),
                            ("input.paste", {"after_refocus": True})]
    lost, back = await sync_to_async(
        lambda: FocusLoss.objects.values_list("lost_ms", "back_ms").get())()
    assert back - lost == 7_000 and abs(back - (now - 2_000)) < 5_000
    await writer.close()
    await follower.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("data", "reason"), [
    ({"t": "meta", "userEvent": "input.type", "silent": "no"}, "'silent' must be true or false"),
    ({"t": "focus", "lost_ms": 5, "back_ms": 1}, "'back_ms' is before 'lost_ms'"),
])
async def test_malformed_evidence_closes_the_connection_with_the_reason(data, reason):
    team = await sync_to_async(Team)()
    token = await sync_to_async(token_for)(team.writer1)
    writer = await (await YClient(team.task1.doc_id, token=token).connect()).sync()
    await writer.send_raw(protocol.oversight(data))
    code, why = await writer.expect_close()
    assert code == 4400 and reason in why


@pytest.mark.django_db(transaction=True)
async def test_a_reader_s_focus_is_not_recorded():
    from oversight.traces.models import FocusLoss

    team = await sync_to_async(Team)()
    token = await sync_to_async(token_for)(team.reviewer)
    client = await (await YClient(team.task1.doc_id, token=token).connect()).sync()
    await client.send_raw(protocol.oversight({"t": "hello", "v": 1}))
    await client.send_raw(protocol.oversight({"t": "focus", "lost_ms": 1, "back_ms": 2}))
    await client.edit(lambda t: t.insert(0, "x"))
    # Its edit is refused after the focus message was handled, in order.
    await client.until(lambda f: f.type == protocol.MSG_OVERSIGHT and f.data["t"] == "error")
    await client.close()
    assert await sync_to_async(FocusLoss.objects.count)() == 0
