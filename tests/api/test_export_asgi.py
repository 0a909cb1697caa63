"""Under ASGI (daphne) the export streams as it is built, on one thread and one connection.

Django drains a sync iterator into a list before sending it over ASGI; these tests drive
the project's ASGI application directly and watch the order of builds and sends.
"""

import asyncio
import threading
from contextlib import contextmanager

import pytest
from asgiref.sync import async_to_sync
from django.db import connections

from oversight.api import export as export_module
from oversight.asgi import application
from tests.api.export_factories import make_trajectory, read_jsonl
from tests.factories import token_for

pytestmark = pytest.mark.django_db(transaction=True)


def scope(query: str, token: str) -> dict:
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
            "scheme": "http", "path": "/api/export/", "raw_path": b"/api/export/",
            "query_string": query.encode(), "root_path": "",
            "headers": [(b"host", b"testserver"), (b"authorization", f"Token {token}".encode())],
            "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}


async def asgi_get(query: str, token: str, log: list, disconnect_after: int | None = None):
    """Run one GET through the ASGI app; hang up after `disconnect_after` body messages."""
    sent, finished, asked = [], asyncio.Event(), False

    async def receive():
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        if message["type"] == "http.response.body":
            log.append(("sent", len(message.get("body", b""))))
            bodies = sum(m["type"] == "http.response.body" for m in sent)
            if not message.get("more_body") or bodies == disconnect_after:
                finished.set()

    await application(scope(query, token), receive, send)
    return sent


@pytest.fixture
def watched(monkeypatch):
    """Log each record build and the snapshot transaction: thread, connection, atomic."""
    log = []
    build = export_module.trajectory_record
    reads = export_module.snapshot_reads

    def watched_build(task, round_=None):
        conn = connections["default"]
        log.append(("build", threading.get_ident(), id(conn.connection), conn.in_atomic_block))
        return build(task, round_)

    @contextmanager
    def watched_reads(*args, **kwargs):
        log.append(("begin", threading.get_ident()))
        try:
            with reads(*args, **kwargs):
                yield
        finally:
            log.append(("end", threading.get_ident()))

    monkeypatch.setattr(export_module, "trajectory_record", watched_build)
    monkeypatch.setattr(export_module, "snapshot_reads", watched_reads)
    monkeypatch.setattr(export_module, "CHUNK_BYTES", 1)  # one chunk per record
    return log


def test_records_are_sent_while_the_export_is_still_building(team, watched):
    tasks = [make_trajectory(team.project, team.writer1, team.reviewer) for _ in range(4)]
    messages = async_to_sync(asgi_get)("format=trajectory", token_for(team.lead), watched)
    assert messages[0]["status"] == 200
    body = b"".join(m.get("body", b"") for m in messages[1:])
    assert [r["task_id"] for r in read_jsonl(body)] == [t.pk for t in tasks]
    kinds = [entry[0] for entry in watched]
    last_build = max(i for i, kind in enumerate(kinds) if kind == "build")
    assert kinds.index("sent") < last_build, "nothing was sent before the export was built"
    builds = [entry for entry in watched if entry[0] == "build"]
    threads = {b[1] for b in builds} | {e[1] for e in watched if e[0] in ("begin", "end")}
    assert len(threads) == 1, "the export changed threads"
    assert len({b[2] for b in builds}) == 1, "the export changed connections"
    assert all(b[3] for b in builds), "a record was read outside the snapshot transaction"


def test_a_client_that_hangs_up_ends_the_transaction_on_its_thread(team, watched):
    for _ in range(4):
        make_trajectory(team.project, team.writer1, team.reviewer)
    async_to_sync(asgi_get)("format=trajectory", token_for(team.lead), watched,
                            disconnect_after=1)
    begin = [e for e in watched if e[0] == "begin"]
    end = [e for e in watched if e[0] == "end"]
    assert len(begin) == len(end) == 1 and begin[0][1] == end[0][1]
    assert sum(e[0] == "build" for e in watched) < 4  # it stopped early
