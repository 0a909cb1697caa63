"""An open socket loses its write right within EDITOR_RIGHTS_CHECK_SECONDS of a revocation."""

import pytest
from asgiref.sync import sync_to_async

from oversight.traces.models import DocUpdate
from oversight.workspace.models import Membership
from oversight.workspace.tokens import tokens_revoke
from tests.editor.yclient import YClient
from tests.factories import Team, token_for

pytestmark = pytest.mark.django_db(transaction=True)

HELLO = b"\x64" + bytes([len(b'{"t":"hello"}')]) + b'{"t":"hello"}'


@pytest.fixture
def check_every_update(settings):
    # 0 s: every update re-checks, so the test needs no clock; the default is 5 s.
    settings.EDITOR = {**settings.EDITOR, "RIGHTS_CHECK_SECONDS": 0}


async def writer_socket(team):
    token = await sync_to_async(token_for)(team.writer1)
    writer = await (await YClient(team.task1.doc_id, token=token).connect()).sync()
    await writer.send_raw(HELLO)
    return writer


async def updates(team) -> int:
    return await sync_to_async(DocUpdate.objects.filter(task=team.task1).count)()


@pytest.mark.usefixtures("check_every_update")
@pytest.mark.parametrize("revoke", ["membership", "token", "assignment"])
async def test_a_revoked_writer_cannot_write_on_an_open_socket(revoke):
    team = await sync_to_async(Team)()
    writer = await writer_socket(team)

    def do_revoke():
        if revoke == "membership":
            Membership.objects.filter(user=team.writer1, project=team.project).delete()
        elif revoke == "token":
            tokens_revoke(user=team.writer1)
        else:
            team.task1.assignees.remove(team.writer1)

    lead = await (await YClient(team.task1.doc_id,
                                token=await sync_to_async(token_for)(team.lead)).connect()).sync()
    await writer.edit(lambda t: t.insert(0, "A"))
    await lead.until_text("A" + str(writer.text)[1:])  # stored, then relayed
    stored = await updates(team)
    await sync_to_async(do_revoke)()
    await writer.edit(lambda t: t.insert(0, "B"))
    await writer.until(lambda f: f.type == 100 and f.data.get("code") == "read_only")
    assert await updates(team) == stored
    await writer.close()
    await lead.close()


async def test_by_default_the_right_is_rechecked_after_a_few_seconds(settings):
    assert settings.EDITOR["RIGHTS_CHECK_SECONDS"] == 5


async def test_wrong_tokens_on_the_socket_are_throttled_per_address(settings):
    from django.core.cache import cache

    settings.API_BAD_TOKEN_LIMIT = 2
    await sync_to_async(cache.clear)()
    team = await sync_to_async(Team)()
    for _ in range(2):
        wrong = await YClient(team.task1.doc_id, token="0" * 64).connect()
        assert await wrong.expect_close() == (4401, "not authenticated: log in or pass ?token=")
    right = await YClient(team.task1.doc_id,
                          token=await sync_to_async(token_for)(team.writer1)).connect()
    code, reason = await right.expect_close()
    assert code == 4401 and "too many wrong API tokens" in reason
    await sync_to_async(cache.clear)()
