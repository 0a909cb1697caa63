"""Text no column can store, sent over the editor protocol, closes only the sender."""

import pytest
from asgiref.sync import sync_to_async

from tests.editor.recorded import recorded
from tests.editor.yclient import YClient
from tests.factories import Team, token_for


@pytest.mark.django_db(transaction=True)
async def test_a_lone_surrogate_in_an_oversight_message_closes_only_that_connection():
    from editor import protocol
    from oversight.traces.models import EditEvent

    team = await sync_to_async(Team)()
    token = await sync_to_async(token_for)(team.writer1)
    writer = await (await YClient(team.task1.doc_id, token=token).connect()).sync()
    lead = await (await YClient(team.task1.doc_id,
                                token=await sync_to_async(token_for)(team.lead)).connect()).sync()
    await writer.send_raw(protocol.write_var_uint(protocol.MSG_OVERSIGHT) + protocol._with_length(
        b'{"t":"meta","userEvent":"x\\ud800"}'))
    assert (await writer.expect_close())[0] == 4400
    await lead.edit(lambda t: t.insert(0, "A"))
    again = await (await YClient(team.task1.doc_id, token=token).connect()).sync()
    await again.until_text("ADraft.")
    await recorded(team.task1)
    assert await sync_to_async(EditEvent.objects.count)() == 1
    await lead.close()
    await again.close()
