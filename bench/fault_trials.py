"""Fault trials of the scale-out set-up: two daphne workers over PostgreSQL and Redis.

Usage (from the repository root; needs redis-server and PostgreSQL 15's binaries):

    .venv/bin/python bench/fault_trials.py [--trials 5] [--faults kill,redis,postgres]
        [--catch-up-seconds 0.5]

`--catch-up-seconds 3600` in effect switches the rooms' catch-up from the log off
(editor/catchup.py), to see what it defends against.

Everything runs on services of its own: a temporary PostgreSQL cluster (initdb, on a
free port; the machine's shared server is never touched), a redis-server on a free
port, and two workers `a` and `b` (tests/live/server.py's LiveServer). Each trial
opens a fresh task with two typing clients, A on worker a and B on worker b, which
insert unique words as fast as a brisk typist (every 20 ms) and reconnect like
y-websocket does (A to worker b while a is down), then injects one fault:

- kill: SIGKILL of worker a mid-typing (its commits may be stored but unpublished),
  then a restart as a supervisor would;
- redis: Redis killed and started again, empty (every group membership is gone);
- postgres: `pg_ctl restart -m fast` of the database.

Printed per fault: edits typed, edits relayed (seen by the other client), relayed-then-
lost (seen by the other client but absent from the stored log once the trial settles:
must be 0), typed-then-lost, and stale seconds: the longest an edit stayed unseen by
the other client counted from the end of the fault (the fault's own outage is not
staleness: nothing can be committed while the database is down). The baseline row is
the same trial with no fault, in the same run.
"""

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import websockets
from pycrdt import Doc, Text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")

from editor import protocol  # noqa: E402
from tests.live.server import LiveServer, free_port  # noqa: E402

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
TYPE_EVERY = 0.02
BEFORE, AFTER = 1.5, 3.0  # seconds of typing before and after the fault
SETTLE_TIMEOUT = 60.0
WORD = re.compile(r"\b([AB]\d+) ")


# -- services of our own ------------------------------------------------------------------

class Postgres:
    """A throwaway PostgreSQL cluster (as the postgres user when run as root)."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "pgdata"
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self.as_user, *cmd], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self.dir.mkdir(parents=True)
        if self.as_user:
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.dir.parent, "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.dir), "-U", "oversight",
                  "--auth=trust", "-E", "UTF8")
        self._ctl("start")

    def _ctl(self, action: str, *extra: str) -> None:
        self._run(str(PG_BIN / "pg_ctl"), action, "-D", str(self.dir), "-w", "-l",
                  str(self.dir / "server.log"), "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on",
                  *extra)

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "stop", "-D", str(self.dir), "-m", "immediate")

    def url(self, name: str) -> str:
        return f"postgres://oversight@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


class Redis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL)
        while subprocess.run(["redis-cli", "-p", str(self.port), "PING"], capture_output=True,
                             text=True).stdout.strip() != "PONG":
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait()


# -- a typing client that reconnects ------------------------------------------------------

class Typist:
    """Types unique words, follows the other's, reconnects and resyncs like y-websocket."""

    def __init__(self, name: str, urls: list[str]):
        self.name, self.urls = name, urls
        self.doc = Doc()
        self.text = self.doc.get("codemirror", type=Text)
        self.typed: dict[str, float] = {}
        self.seen: dict[str, float] = {}  # the other client's words, first seen
        self.ws = None
        self.connected = asyncio.Event()
        self.running = True
        self._counter = 0

    async def run_connection(self) -> None:
        while self.running:
            for url in self.urls:
                try:
                    self.ws = await websockets.connect(url, max_size=None, open_timeout=3)
                    break
                except (OSError, websockets.InvalidHandshake, TimeoutError):
                    self.ws = None
            if self.ws is None:
                await asyncio.sleep(0.1)
                continue
            try:
                await self.ws.send(protocol.sync_step1(self.doc.get_state()))
                self.connected.set()
                async for message in self.ws:
                    self._receive(protocol.parse_frame(message))
            except websockets.ConnectionClosed:
                pass
            finally:
                self.connected.clear()
                self.ws = None
            await asyncio.sleep(0.05)

    def _receive(self, frame) -> None:
        if frame.type != protocol.MSG_SYNC:
            return
        if frame.step == protocol.SYNC_STEP1:
            # The server's state: send what it lacks (edits made while disconnected).
            asyncio.ensure_future(self._send(protocol.sync_step2(
                self.doc.get_update(frame.payload))))
            return
        self.doc.apply_update(frame.payload)
        now = time.monotonic()
        for word in WORD.findall(str(self.text)):
            if not word.startswith(self.name) and word not in self.seen:
                self.seen[word] = now

    async def _send(self, data: bytes) -> None:
        ws = self.ws
        if ws is None:
            return
        try:
            await ws.send(data)
        except websockets.ConnectionClosed:
            pass  # kept in the document: sent with the next sync

    async def type_until(self, stop_at: float) -> None:
        while time.monotonic() < stop_at:
            await self.connected.wait()
            word = f"{self.name}{self._counter}"
            self._counter += 1
            before = self.doc.get_state()
            self.text.insert(0, word + " ")
            self.typed[word] = time.monotonic()
            await self._send(protocol.sync_update(self.doc.get_update(before)))
            await asyncio.sleep(TYPE_EVERY)

    def words(self) -> set[str]:
        return set(WORD.findall(str(self.text)))


# -- trials -------------------------------------------------------------------------------

class Rig:
    def __init__(self, workdir: Path, catch_up_seconds: float):
        self.workdir = workdir
        self.catch_up_seconds = catch_up_seconds
        self.pg = Postgres(workdir)
        self.redis = Redis()
        self.workers: dict[str, LiveServer] = {}
        self.restarting: asyncio.Future | None = None

    def start(self) -> None:
        self.pg.start()
        self.pg.create_database("oversight")
        self.redis.start()
        env = {"DATABASE_URL": self.pg.url("oversight"),
               "REDIS_URL": f"redis://127.0.0.1:{self.redis.port}/0",
               "EDITOR_ROOM_IDLE_SECONDS": "600", "LOG_LEVEL": "WARNING",
               "EDITOR_CATCH_UP_SECONDS": str(self.catch_up_seconds)}
        for name in ("a", "b"):
            self.workers[name] = LiveServer(self.workdir / name, extra_env=env)
        self.workers["a"].prepare()
        for worker in self.workers.values():
            worker.start()
        self.token = self.workers["a"].api_token("writer1")

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.stop()
        self.redis.stop()
        self.pg.stop()

    def make_tasks(self, count: int) -> list[dict]:
        return self.workers["a"].query(f"""
import uuid
from django.contrib.auth.models import User
from oversight.workspace.models import Draft, Project, Task
project = Project.objects.get(slug="explain")
result = []
for _ in range({count}):
    task = Task.objects.create(project=project, external_id="fault-" + uuid.uuid4().hex[:10],
                               prompt="Fault trial")
    Draft.objects.create(task=task, text="Draft.\\n")
    task.assignees.set(User.objects.filter(username="writer1"))
    result.append({{"id": task.pk, "doc": str(task.doc_id)}})
""")

    def stored_texts(self, task_ids: list[int]) -> dict:
        """Each task's text rebuilt from its stored snapshot and update log."""
        return self.workers["b"].query(f"""
from pycrdt import Doc, Text
from oversight.traces.log import store
result = {{}}
for task_id in {task_ids!r}:
    loaded = store.load_log(task_id)
    doc = Doc()
    text = doc.get(store.TEXT_NAME, type=Text)
    if loaded.snapshot:
        doc.apply_update(loaded.snapshot)
    for update in loaded.updates:
        doc.apply_update(update.data)
    result[str(task_id)] = str(text)
""")

    def url(self, worker: str, task: dict) -> str:
        return f"{self.workers[worker].ws_url}/{task['doc']}?token={self.token}"

    async def inject(self, fault: str) -> None:
        """Inject the fault; return once the faulted part is back (the fault's end)."""
        if fault == "kill":
            self.workers["a"].stop(crash=True)
            # The supervisor restarts it; clients meanwhile use worker b.
            self.restarting = asyncio.get_running_loop().run_in_executor(
                None, self.workers["a"].start)
        elif fault == "redis":
            self.redis.stop()
            self.redis.start()
        elif fault == "postgres":
            await asyncio.to_thread(self.pg.restart)

    async def trial(self, task: dict, fault: str | None) -> dict:
        a = Typist("A", [self.url("a", task), self.url("b", task)])
        b = Typist("B", [self.url("b", task)])
        links = [asyncio.create_task(t.run_connection()) for t in (a, b)]
        await asyncio.wait_for(asyncio.gather(a.connected.wait(), b.connected.wait()), 30)
        start = time.monotonic()
        typing = [asyncio.create_task(t.type_until(start + BEFORE + AFTER)) for t in (a, b)]
        await asyncio.sleep(BEFORE)
        if fault:
            await self.inject(fault)
        fault_end = time.monotonic()
        await asyncio.wait_for(asyncio.gather(*typing), BEFORE + AFTER + SETTLE_TIMEOUT)
        everything = set(a.typed) | set(b.typed)
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while not (a.words() == b.words() == everything) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        converged = a.words() == b.words() == everything
        for typist in (a, b):
            typist.running = False
            if typist.ws is not None:
                await typist.ws.close()
        for link in links:
            link.cancel()
        await asyncio.gather(*links, return_exceptions=True)
        stale = 0.0
        for writer, reader in ((a, b), (b, a)):
            for word, typed_at in writer.typed.items():
                seen_at = reader.seen.get(word)
                if seen_at is None:
                    continue
                stale = max(stale, seen_at - max(typed_at, fault_end))
        relayed = {w for w in a.typed if w in b.seen} | {w for w in b.typed if w in a.seen}
        return {"typed": everything, "relayed": relayed, "stale": stale,
                "converged": converged}


async def run(rig: Rig, faults: list[str], trials: int) -> list[tuple]:
    plan = [(fault, i) for fault in [None, *faults] for i in range(trials)]
    tasks = rig.make_tasks(len(plan))
    outcomes = []
    for (fault, _), task in zip(plan, tasks, strict=True):
        if rig.restarting is not None:
            await rig.restarting  # the killed worker is back before the next trial
            rig.restarting = None
        outcomes.append((fault, task, await rig.trial(task, fault)))
        print(f"  {fault or 'none':9} trial done: stale {outcomes[-1][2]['stale']:.2f} s",
              flush=True)
    if rig.restarting is not None:
        await rig.restarting
    stored = rig.stored_texts([task["id"] for _, task, _ in outcomes])
    rows = []
    for fault in [None, *faults]:
        mine = [(task, out) for f, task, out in outcomes if f == fault]
        typed = relayed = relayed_lost = typed_lost = unconverged = 0
        stale = []
        for task, out in mine:
            words = set(WORD.findall(stored[str(task["id"])]))
            typed += len(out["typed"])
            relayed += len(out["relayed"])
            relayed_lost += len(out["relayed"] - words)
            typed_lost += len(out["typed"] - words)
            unconverged += not out["converged"]
            stale.append(out["stale"])
        rows.append((fault or "none (baseline)", len(mine), typed, relayed, relayed_lost,
                     typed_lost, unconverged, statistics.median(stale), max(stale)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=5, help="trials per fault")
    parser.add_argument("--faults", default="kill,redis,postgres")
    parser.add_argument("--catch-up-seconds", type=float, default=0.5,
                        help="the workers' EDITOR_CATCH_UP_SECONDS")
    args = parser.parse_args()
    faults = [f for f in args.faults.split(",") if f]
    unknown = set(faults) - {"kill", "redis", "postgres"}
    if unknown:
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
    workdir = Path(tempfile.mkdtemp(prefix="oversight-faults-"))
    rig = Rig(workdir, args.catch_up_seconds)
    try:
        rig.start()
        rows = asyncio.run(run(rig, faults, args.trials))
    finally:
        rig.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nEDITOR_CATCH_UP_SECONDS={args.catch_up_seconds}")
    print(f"{'fault':16} {'trials':>6} {'typed':>6} {'relayed':>7} {'relayed-lost':>12} "
          f"{'typed-lost':>10} {'unconverged':>11} {'stale median s':>14} {'stale max s':>11}")
    for row in rows:
        name, n, typed, relayed, rlost, tlost, unconv, med, worst = row
        print(f"{name:16} {n:6} {typed:6} {relayed:7} {rlost:12} {tlost:10} {unconv:11} "
              f"{med:14.2f} {worst:11.2f}")


if __name__ == "__main__":
    main()
