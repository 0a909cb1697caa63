"""A room left behind by the channel layer catches up from the stored log (editor/catchup.py).

"Another process" is a second Room for the same document, outside this process's
registry: what it stores is never published here (no REDIS_URL), exactly what a
worker killed between its commit and its publish, or a Redis restart, leaves behind.
"""


import pytest
from asgiref.sync import sync_to_async
from pycrdt import Doc, Text

from editor import rooms
from editor.catchup import CatchUp
from editor.room import Room
from tests.editor.yclient import YClient
from tests.factories import Team, token_for

pytestmark = pytest.mark.django_db(transaction=True)


class OtherProcessConnection:
    def __init__(self, user_id):
        self.user_id = user_id
        self.speaks_oversight = False


async def test_a_room_behind_the_log_catches_up_after_one_interval():
    team = await sync_to_async(Team)(draft_text="Draft.")
    token = await sync_to_async(token_for)(team.writer1)
    client = await (await YClient(team.task1.doc_id, token=token).connect()).sync()
    here = rooms.loaded_room(str(team.task1.doc_id))
    other = Room(team.task1.pk, str(team.task1.doc_id))
    await other.load()
    try:
        doc = Doc()
        doc.apply_update(client.doc.get_update())
        before = doc.get_state()
        doc.get("codemirror", type=Text).insert(0, "Far. ")
        other.receive_update(OtherProcessConnection(team.writer1.pk), doc.get_update(before),
                             "input.type", 0)
        await other.wait_until(lambda r: r.applied_position == 2, timeout=10)
        assert here.applied_position == 1  # never published to this process

        watch = CatchUp(lambda: [here])
        await watch.check([here])  # the first sight of position 2: its message may be coming
        assert here.applied_position == 1
        await watch.check([here])  # an interval later, still behind: catch up from the log
        await client.until_text("Far. Draft.")
        assert str(here.text) == "Far. Draft." and here.applied_position == 2
    finally:
        await other.close()
        await client.close()
