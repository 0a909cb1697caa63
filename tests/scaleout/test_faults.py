"""Scale-out faults on real PostgreSQL, Redis and `manage.py serve` workers: nothing stays stale.

Workers `a` and `b` share a Redis server of the test's own (so it can be restarted
without disturbing anyone); worker `cut` uses another Redis database, so it is a worker
whose every publish is lost after its commit (the missed-publish case of a
worker killed between the two). Every edit must reach the other workers' clients
within the staleness bound, from the log if the channel layer did not deliver it.
"""

import asyncio
import json
import shutil
import subprocess
import time
import urllib.request

import pytest

from oversight.workspace.realtime import room_group
from tests.conftest import require_or_skip, scratch_postgres_database
from tests.live.server import LiveServer, free_port
from tests.scaleout.test_two_workers import DRAFT, PG_URL, make_task
from tests.wsyclient import WsYClient

pytestmark = pytest.mark.scaleout

STALENESS_BOUND = 2.0  # seconds, after any single fault (docs/reliability.md)


class RedisServer:
    """A redis-server of the test's own on a free port, restartable (nothing persisted)."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while self.cli("PING") != "PONG":
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def cli(self, *args: str) -> str:
        done = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True,
                              text=True, timeout=10)
        return done.stdout.strip()


@pytest.fixture(scope="module")
def redis_server():
    require_or_skip(PG_URL and shutil.which("redis-server"),
                    "fault tests need OVERSIGHT_TEST_PG_URL and redis-server")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def workers(tmp_path_factory, redis_server):
    with scratch_postgres_database(PG_URL, "oversight_faults") as database_url:
        env = {"DATABASE_URL": database_url, "EDITOR_ROOM_IDLE_SECONDS": "60"}
        shared = {**env, "REDIS_URL": redis_server.url(0)}
        a = LiveServer(tmp_path_factory.mktemp("a"), extra_env=shared)
        b = LiveServer(tmp_path_factory.mktemp("b"), extra_env=shared)
        # Another Redis database: nobody hears this worker's publishes, nor it theirs.
        cut = LiveServer(tmp_path_factory.mktemp("cut"),
                         extra_env={**env, "REDIS_URL": redis_server.url(1)})
        try:
            a.prepare()
            for worker in (a, b, cut):
                worker.start()
            yield {"a": a, "b": b, "cut": cut}
        finally:
            for worker in (a, b, cut):
                worker.stop()


async def staleness(writer: WsYClient, follower: WsYClient, word: str) -> float:
    """Seconds from `writer` sending an edit until `follower` shows it."""
    started = time.monotonic()
    await writer.edit(lambda t: t.insert(0, word))
    await follower.wait_text(lambda text: word in text, timeout=30)
    return time.monotonic() - started


def connect(server: LiveServer, task: dict, token: str) -> WsYClient:
    return WsYClient(f"{server.ws_url}/{task['doc']}?token={token}").connect()


def test_after_a_redis_restart_every_worker_follows_again_within_the_bound(workers,
                                                                            redis_server):
    a, b = workers["a"], workers["b"]
    task = make_task(a)
    token = a.api_token("writer1")
    group_key = f"asgi:group:{room_group(task['doc'])}"

    async def scenario():
        on_a, on_b = await connect(a, task, token), await connect(b, task, token)
        assert await staleness(on_a, on_b, "before ") < STALENESS_BOUND
        assert redis_server.cli("ZCARD", group_key) == "2"
        redis_server.stop()
        redis_server.start()  # an empty Redis: both rooms' memberships are gone
        assert redis_server.cli("ZCARD", group_key) == "0"
        stale = [await staleness(on_a, on_b, "after-a "), await staleness(on_b, on_a, "after-b ")]
        # The missed messages made both rooms re-join: relaying works again.
        deadline = time.monotonic() + 10
        while redis_server.cli("ZCARD", group_key) != "2":
            assert time.monotonic() < deadline, "the rooms did not re-join their group"
            await asyncio.sleep(0.05)
        stale += [await staleness(on_a, on_b, f"later{i} ") for i in range(5)]
        # A client joining after the fault gets everything.
        late = await connect(b, task, token)
        assert str(late.text) == str(on_a.text) == str(on_b.text)
        for client in (on_a, on_b, late):
            await client.close()
        return stale

    stale = asyncio.run(scenario())
    print(f"staleness after a Redis restart (s): {[round(s, 3) for s in stale]}")
    assert max(stale) < STALENESS_BOUND, stale


def test_an_expired_group_is_re_joined(workers, redis_server):
    a, b = workers["a"], workers["b"]
    task = make_task(a)
    token = a.api_token("writer1")
    group_key = f"asgi:group:{room_group(task['doc'])}"

    async def scenario():
        on_a, on_b = await connect(a, task, token), await connect(b, task, token)
        await staleness(on_a, on_b, "joined ")
        redis_server.cli("DEL", group_key)  # what channels-redis's group expiry does
        # Each room notices its loss on the first message it misses.
        stale = [await staleness(on_a, on_b, "expired-a "),
                 await staleness(on_b, on_a, "expired-b ")]
        deadline = time.monotonic() + 10
        while redis_server.cli("ZCARD", group_key) != "2":
            assert time.monotonic() < deadline, "the rooms did not re-join their group"
            await asyncio.sleep(0.05)
        await on_a.close()
        await on_b.close()
        return stale

    stale = asyncio.run(scenario())
    assert max(stale) < STALENESS_BOUND, stale


def test_a_worker_whose_publish_is_lost_leaves_no_one_behind(workers):
    cut, b = workers["cut"], workers["b"]
    task = make_task(b)
    token = b.api_token("writer1")

    async def scenario():
        on_cut, on_b = await connect(cut, task, token), await connect(b, task, token)
        assert str(on_cut.text) == str(on_b.text) == DRAFT
        stale = [await staleness(on_cut, on_b, f"cut{i} ") for i in range(3)]
        stale += [await staleness(on_b, on_cut, f"b{i} ") for i in range(3)]
        await on_cut.close()
        await on_b.close()
        return stale

    stale = asyncio.run(scenario())
    print(f"staleness of lost publishes (s): {[round(s, 3) for s in stale]}")
    assert max(stale) < STALENESS_BOUND, stale


def test_submitting_on_postgresql_succeeds(workers):
    a = workers["a"]
    task = make_task(a)
    token = a.api_token("writer1")

    async def edit():
        client = await connect(a, task, token)
        await client.edit(lambda t: t.insert(0, "Edited. "))
        await client.wait_text(lambda text: text.startswith("Edited. "))
        await asyncio.sleep(0)  # the edit is committed before the server relays anything
        await client.close()

    asyncio.run(edit())
    request = urllib.request.Request(
        f"{a.base_url}/api/tasks/{task['id']}/submit/", method="POST", data=b"{}",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert response.status in (200, 201), body
    assert a.query(f"""
from oversight.workspace.models import Task
result = Task.objects.get(pk={task['id']}).status
""") == "submitted"
