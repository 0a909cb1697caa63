"""Scale-out: two ASGI worker processes over PostgreSQL and Redis serve one room."""

import asyncio
import os
import uuid

import pytest

from oversight.core.delta import apply_ops
from tests.conftest import require_or_skip, scratch_postgres_database
from tests.live.server import LiveServer
from tests.wsyclient import WsYClient

pytestmark = pytest.mark.scaleout

PG_URL = os.environ.get("OVERSIGHT_TEST_PG_URL", "")
REDIS_URL = os.environ.get("OVERSIGHT_TEST_REDIS_URL", "")
DRAFT = "Shared draft: 数 👍🏽.\n"


@pytest.fixture(scope="module")
def database_url():
    require_or_skip(PG_URL and REDIS_URL,
                    "scale-out tests need OVERSIGHT_TEST_PG_URL and OVERSIGHT_TEST_REDIS_URL")
    with scratch_postgres_database(PG_URL, "oversight_scaleout") as url:
        yield url


@pytest.fixture(scope="module")
def workers(tmp_path_factory, database_url):
    env = {"DATABASE_URL": database_url, "REDIS_URL": REDIS_URL,
           "EDITOR_ROOM_IDLE_SECONDS": "30"}
    first = LiveServer(tmp_path_factory.mktemp("worker-a"), extra_env=env)
    second = LiveServer(tmp_path_factory.mktemp("worker-b"), extra_env=env)
    first.prepare(activity=False)  # the scale-out tests make their own tasks
    first.start()
    second.start()
    yield first, second
    first.stop()
    second.stop()


def make_task(server: LiveServer) -> dict:
    return server.query(f"""
from django.contrib.auth.models import User
from oversight.workspace.models import Task, Draft, Project
project = Project.objects.get(slug="explain")
task = Task.objects.create(project=project, external_id="scale-{uuid.uuid4().hex[:6]}",
                           prompt="Scale out")
Draft.objects.create(task=task, text={DRAFT!r})
task.assignees.set(User.objects.filter(username__in=["writer1", "writer2"]))
result = {{"id": task.pk, "doc": str(task.doc_id)}}
""")


def trajectory_text(server: LiveServer, task_id: int) -> dict:
    return server.query(f"""
from oversight.traces.log import record
from oversight.traces.models import EditEvent
from oversight.traces.models import DocUpdate
record({task_id})  # as every reader does: the workers' recorders may still be at it
events = list(EditEvent.objects.filter(task_id={task_id}).order_by("seq").values_list("seq", "ops"))
positions = list(DocUpdate.objects.filter(task_id={task_id}).order_by("position")
                 .values_list("position", flat=True))
result = {{"seqs": [s for s, _ in events], "ops": [o for _, o in events], "positions": positions}}
""")


async def edit_concurrently(a: WsYClient, b: WsYClient, rounds: int) -> None:
    async def typer(client, word):
        for i in range(rounds):
            await client.edit(lambda t, i=i: t.insert(0, f"{word}{i} "))
            await asyncio.sleep(0.005)
    await asyncio.gather(typer(a, "a"), typer(b, "b"))


def test_two_workers_converge_and_record_one_gapless_trajectory(workers):
    first, second = workers
    task = make_task(first)
    token_a, token_b = first.api_token("writer1"), first.api_token("writer2")

    async def scenario():
        a = await WsYClient(f"{first.ws_url}/{task['doc']}?token={token_a}").connect()
        b = await WsYClient(f"{second.ws_url}/{task['doc']}?token={token_b}").connect()
        assert str(a.text) == str(b.text) == DRAFT
        await edit_concurrently(a, b, rounds=40)

        def complete(text):
            return all(f"a{i} " in text and f"b{i} " in text for i in range(40))
        try:
            await a.wait_text(complete)
            await b.wait_text(complete)
        except TimeoutError:
            raise AssertionError(
                f"no convergence:\nA: {str(a.text)!r}\nB: {str(b.text)!r}") from None
        assert str(a.text) == str(b.text)
        text = str(a.text)
        await a.close()
        await b.close()
        return text

    final = asyncio.run(scenario())
    stored = trajectory_text(first, task["id"])
    assert stored["positions"] == list(range(1, len(stored["positions"]) + 1))
    assert stored["seqs"] == list(range(1, 81))
    replayed = DRAFT
    for ops in stored["ops"]:
        replayed = apply_ops(replayed, ops)
    assert replayed == final


def test_a_client_joining_the_other_worker_later_gets_everything(workers):
    first, second = workers
    task = make_task(first)
    token = first.api_token("writer1")

    async def scenario():
        a = await WsYClient(f"{first.ws_url}/{task['doc']}?token={token}").connect()
        for word in ("one ", "two ", "three "):
            await a.edit(lambda t, w=word: t.insert(0, w))
        await asyncio.sleep(0.2)
        late = await WsYClient(f"{second.ws_url}/{task['doc']}?token={token}").connect()
        await late.wait_text(lambda text: text == "three two one " + DRAFT)
        await a.close()
        await late.close()

    asyncio.run(scenario())
