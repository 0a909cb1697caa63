"""Cost per update of the durable path: append to the log + record the event, per batch size.

Usage: .venv/bin/python bench/update_cost_bench.py [--updates 20000] [--trace PATH]

Feeds real single-keystroke updates (generated from an editing trace) through the
room's commit (one database transaction per batch: log rows, event rows, counters)
on a temporary SQLite file, for batch sizes 1, 10 and 100. The baseline in the
same run is pycrdt alone applying and observing the same updates in memory.
"""

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_TRACE = ROOT / "tests" / "data" / "sveltecomponent-sample.json"


def load_trace(path: Path) -> dict:
    raw = path.read_bytes()
    return json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)


def make_updates(trace: dict, limit: int) -> list[bytes]:
    from pycrdt import Doc, Text

    doc = Doc()
    text = doc.get("codemirror", type=Text)
    text += trace.get("startContent", "")
    updates, mirror = [], trace.get("startContent", "")
    for txn in trace["txns"][:limit]:
        before = doc.get_state()
        for pos, delete, insert in txn["patches"]:
            start = len(mirror[:pos].encode())
            if delete:
                end = len(mirror[:pos + delete].encode())
                del text[start:end]
            if insert:
                text.insert(start, insert)
            mirror = mirror[:pos] + insert + mirror[pos + delete:]
        updates.append(doc.get_update(before))
    return updates


class FakeConn:
    user_id = None
    speaks_oversight = False


def durable_cost(updates: list[bytes], batch: int, start: str) -> float:
    import asyncio

    from editor import store
    from editor.batch import Incoming, commit_batch
    from editor.room import Room
    from oversight.workspace.models import Draft, Project, Task

    project, _ = Project.objects.get_or_create(slug="cost", defaults={"name": "Cost"})
    task = Task.objects.create(project=project, external_id=f"c{batch}-{time.time()}", prompt="p")
    Draft.objects.create(task=task, text=start)
    store.ensure_seeded(task.pk)
    room = Room(task.pk, str(task.doc_id))

    async def load():
        await room.load()
        await room.close()
    asyncio.run(load())
    conn = FakeConn()
    items = [Incoming(conn, u, "input.type", 0) for u in updates]
    started = time.perf_counter()
    for i in range(0, len(items), batch):
        commit_batch(room, items[i:i + batch])
    return (time.perf_counter() - started) / len(items) * 1e6


def memory_cost(updates: list[bytes], start: str) -> float:
    from pycrdt import Doc, Text

    doc = Doc()
    text = doc.get("codemirror", type=Text)
    seed = Doc()
    seed.get("codemirror", type=Text).insert(0, start)
    doc.apply_update(seed.get_update())
    deltas = []
    sub = text.observe(lambda e: deltas.append(e.delta))
    started = time.perf_counter()
    for update in updates:
        doc.apply_update(update)
    elapsed = time.perf_counter() - started
    text.unobserve(sub)
    return elapsed / len(updates) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--trace", type=Path, default=DEFAULT_TRACE)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.update({"DJANGO_SETTINGS_MODULE": "oversight.settings", "DEBUG": "false",
                       "SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/c.sqlite3",
                       "LOG_LEVEL": "WARNING"})
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    trace = load_trace(args.trace)
    start = trace.get("startContent", "")
    updates = make_updates(trace, args.updates)
    base = memory_cost(updates, start)
    print(f"{len(updates)} updates from {args.trace.name}")
    print(f"pycrdt apply+observe in memory: {base:8.1f} µs/update  (baseline)")
    for batch in (1, 10, 100):
        cost = durable_cost(updates, batch, start)
        print(f"durable commit, batch {batch:>3}:     {cost:8.1f} µs/update  "
              f"({cost / base:5.1f}x baseline)")


if __name__ == "__main__":
    main()
