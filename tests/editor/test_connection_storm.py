"""Many sockets connecting at once are admitted concurrently and all sync (editor/dbthread.py).

Admission used to run in asgiref's one synchronous thread: a worker restart (every
client reconnecting at once) queued a few hundred admissions behind each other, and
on PostgreSQL under load they did not all sync within the clients' 20 s.
"""

import asyncio
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.test import Client

from editor import access, consumer, dbthread
from tests.editor.yclient import YClient
from tests.factories import Team, make_task, token_for

pytestmark = pytest.mark.django_db(transaction=True)

ROOMS = 30  # 60 sockets: a writer and an observer per room
ADMISSION_SECONDS = 0.05  # each admission made slow enough that overlaps show


class Watched:
    """Wraps a function to record the threads it runs in and how many ran at once."""

    def __init__(self, fn):
        self.fn, self.threads, self.running, self.most = fn, set(), 0, 0
        self.lock = threading.Lock()

    def __call__(self, *args, **kwargs):
        with self.lock:
            self.threads.add(threading.current_thread().name)
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(ADMISSION_SECONDS)
            return self.fn(*args, **kwargs)
        finally:
            with self.lock:
                self.running -= 1


def _many_tasks(team: Team) -> list:
    return [make_task(team.project, draft_text=f"Draft {i}.", assignees=[team.writer1])
            for i in range(ROOMS)]


async def test_sockets_connecting_at_once_are_admitted_concurrently_and_all_sync(monkeypatch):
    team = await sync_to_async(Team)()
    tasks = await sync_to_async(_many_tasks)(team)
    writer, lead = (await sync_to_async(token_for)(team.writer1),
                    await sync_to_async(token_for)(team.lead))
    admit = Watched(access.admit)
    monkeypatch.setattr(consumer, "admit", admit)

    async def open_room(task, token):
        client = await YClient(task.doc_id, token=token).connect()
        await client.sync()
        return client

    started = time.monotonic()
    clients = await asyncio.wait_for(asyncio.gather(
        *(open_room(task, token) for task in tasks for token in (writer, lead))), timeout=60)
    elapsed = time.monotonic() - started
    try:
        texts = sorted(str(client.text) for client in clients)
        assert texts == sorted(f"Draft {i}." for i in range(ROOMS) for _ in range(2))
        # Every admission ran on the pool, several at once; serially 60 would take 3 s.
        assert admit.threads <= {f"oversight-admission_{i}"
                                 for i in range(dbthread.admission_threads())}, admit.threads
        assert admit.most >= 2, admit.most
        assert elapsed < 2 * ROOMS * ADMISSION_SECONDS, elapsed
    finally:
        await asyncio.gather(*(client.close() for client in clients))


def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"\
        .encode()


async def test_a_browser_session_is_resolved_on_the_admission_pool(monkeypatch):
    team = await sync_to_async(Team)()
    cookie = await sync_to_async(_session_cookie)(team.writer1)
    seen = []
    original = dbthread.run_admission

    async def recording(fn, *args, **kwargs):
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(fn, *args, **kwargs)

    monkeypatch.setattr("editor.routing.run_admission", recording)
    client = await YClient(team.task1.doc_id, headers=[(b"cookie", cookie)]).connect()
    try:
        await client.sync()
        assert str(client.text) == "Draft."
        assert seen == ["get_user"]  # the session's user, then admit (its own reference)
    finally:
        await client.close()
    stranger = await YClient(team.task1.doc_id).connect()
    assert (await stranger.expect_close())[0] == 4401
