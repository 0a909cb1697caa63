"""Property: 2–3 clients edit at once through the real room; events replay to the final, exactly.

Random inserts, deletions, pastes and undos of unicode text (CJK, emoji with ZWJ
and skin tones, combining marks) from concurrent clients whose updates reach the
server in random interleavings; then the task is submitted. Applying every
stored event's delta in seq order to the draft must give the frozen final text,
which must equal every client's text.
"""

import asyncio
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import UndoManager

from editor import dbthread, protocol, rooms
from oversight.core.delta import apply_ops
from oversight.core.simulate import DEFAULT_SNIPPETS, SimulatedClient, _random_edit
from oversight.traces.models import EditEvent
from oversight.traces.services import task_submit
from tests.editor.yclient import YClient
from tests.factories import Team, token_for

REMOTE = "remote"


class LiveClient(YClient):
    """A YClient whose relayed updates carry an origin its undo manager ignores."""

    async def receive_available(self):
        while not await self.comm.receive_nothing(timeout=0.005, interval=0.001):
            message = await self.comm.receive_output(1)
            frame = protocol.parse_frame(message["bytes"])
            if frame.type == protocol.MSG_SYNC and frame.step != protocol.SYNC_STEP1:
                with self.doc.transaction(origin=REMOTE):
                    self.doc.apply_update(frame.payload)


async def session(team: Team, writers: list, seed: int, steps: int) -> str:
    rng = random.Random(seed)
    clients = []
    for user in writers:
        client = LiveClient(team.task1.doc_id, token=await asyncio.to_thread(token_for, user))
        await client.connect()
        await client.sync()
        undo = UndoManager(scopes=[client.text], capture_timeout_millis=0)
        clients.append((client, SimulatedClient(index=len(clients), doc=client.doc,
                                                text=client.text, undo=undo)))
    for _ in range(steps):
        client, sim = rng.choice(clients)
        if rng.random() < 0.3:
            await client.receive_available()
            continue
        before = client.doc.get_state()
        kind = _random_edit(sim, rng, DEFAULT_SNIPPETS)
        if kind:
            update = client.doc.get_update(before)
            await client.send_raw(protocol.oversight({"t": "meta", "userEvent": kind}))
            await client.send_raw(protocol.sync_update(update))
    server_text = await settle([client for client, _ in clients], team.task1.doc_id)
    texts = {str(client.text) for client, _ in clients}
    for client, _ in clients:
        await client.close()
    await rooms.unload_all()
    await dbthread.close_connection()
    assert texts == {server_text}, (texts, server_text)
    return server_text


def state_vector(encoded: bytes) -> dict[int, int]:
    """Decode a Yjs state vector (varUint count, then client/clock pairs) to a dict."""
    values, value, shift = [], 0, 0
    for byte in encoded:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            values.append(value)
            value = shift = 0
    pairs = values[1:]
    return dict(zip(pairs[::2], pairs[1::2], strict=True))


def server_state(doc_id) -> tuple[dict[int, int], str]:
    """The room's state vector and text, read between its batches (the DB thread writes it)."""
    room = rooms.loaded_room(str(doc_id))
    with room.doc.new_transaction(timeout=10):
        return state_vector(room.doc.get_state()), str(room.text)


async def settle(clients: list, doc_id, timeout: float = 30) -> str:
    """Wait until every client's state vector equals the server's; return the server's text.

    Equal state vectors (and texts, since deletions move no clock) mean the server
    holds every client's edits and every client holds the server's document:
    convergence, however long a busy machine takes. The server's text is what the
    caller compares the clients with, so a server at fault would show.
    """
    async def converged():
        while True:
            server, text = await asyncio.to_thread(server_state, doc_id)
            # Deletions move no clock: the texts must agree too.
            if all(state_vector(client.doc.get_state()) == server and str(client.text) == text
                   for client in clients):
                return text
            for client in clients:
                await client.receive_available()
    try:
        return await asyncio.wait_for(converged(), timeout)
    except TimeoutError:
        states = [state_vector(client.doc.get_state()) for client in clients]
        server, _ = await asyncio.to_thread(server_state, doc_id)
        raise AssertionError(f"no convergence in {timeout}s: server {server}, "
                             f"clients {states}") from None


PIECES = ["a", "b", " ", "\n", "数字", "é", "👍🏽", "e\u0301", "👩\u200d👩\u200d👧"]
unicode_drafts = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(draft=unicode_drafts, seed=st.integers(0, 10_000), clients=st.integers(2, 3))
def test_concurrent_clients_events_replay_to_the_submitted_final(transactional_db, draft, seed,
                                                                  clients):
    team = Team(draft_text=draft)
    writers = [team.writer1, team.lead, team.writer2][:clients]
    team.task1.assignees.add(team.writer2)
    text = asyncio.run(session(team, writers, seed, steps=40))
    submission = task_submit(task=team.task1, user=team.writer1)
    assert submission.text == text
    replayed = draft
    events = EditEvent.objects.filter(task=team.task1).order_by("seq")
    assert list(events.values_list("seq", flat=True)) == list(range(1, events.count() + 1))
    for ops in events.values_list("ops", flat=True):
        replayed = apply_ops(replayed, ops)
    assert replayed == submission.text
