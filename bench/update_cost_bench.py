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


def make_updates(trace: dict, limit: int, as_sent: bool = False) -> list[bytes]:
    """One update per trace transaction: `doc.get_update(before)`, which carries the
    document's whole delete set, or with `as_sent` the transaction's own update (what
    y-websocket sends: only that transaction's deletions)."""
    from pycrdt import Doc, Text

    doc = Doc()
    text = doc.get("codemirror", type=Text)
    text += trace.get("startContent", "")
    updates, mirror = [], trace.get("startContent", "")
    sent = []
    subscription = doc.observe(lambda event: sent.append(event.update))
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
    doc.unobserve(subscription)
    return [u for u in sent if u != b"\x00\x00"] if as_sent else updates


class FakeConn:
    user_id = None
    speaks_oversight = False
    closing = False


def durable_cost(updates: list[bytes], batch: int, start: str) -> tuple[float, float]:
    """µs per update of the relay path's commit, and of recording it afterwards."""
    import asyncio

    from editor.clients import ClientAdmission
    from editor.room import Room
    from oversight.traces.log import Incoming, commit_batch, record, store
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
        commit_batch(room, items[i:i + batch], ClientAdmission(room))
    committed = time.perf_counter()
    record(task.pk)  # the recorder, off the relay path: events and checkpoints
    recorded = time.perf_counter()
    return ((committed - started) / len(items) * 1e6,
            (recorded - committed) / len(items) * 1e6)


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


def check_cost(updates: list[bytes], start: str) -> float:
    """The room's checks alone (oversight/traces/log/yupdate.py): decode each update,
    compare it with the document's state vector; applied in memory, untimed, to move
    the state on."""
    from pycrdt import Doc, Text

    from oversight.traces.log import store, yupdate

    doc = Doc()
    seed = Doc()
    seed.get(store.TEXT_NAME, type=Text).insert(0, start)
    doc.apply_update(seed.get_update())
    elapsed = 0.0
    for update in updates:
        started = time.perf_counter()
        decoded = yupdate.decode(update, store.TEXT_NAME)
        yupdate.check_against(decoded, yupdate.decode_state_vector(doc.get_state()))
        elapsed += time.perf_counter() - started
        doc.apply_update(update)
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
    check = check_cost(updates, start)
    print(f"update checks (decode + state):  {check:8.1f} µs/update  "
          f"({check / base:5.1f}x baseline)")
    as_sent = make_updates(trace, args.updates, as_sent=True)
    check = check_cost(as_sent, start)
    print(f"  the same, updates as clients send them ({len(as_sent)}, "
          f"{sum(map(len, as_sent)) / len(as_sent):.0f} B avg vs "
          f"{sum(map(len, updates)) / len(updates):.0f} B): {check:.1f} µs/update "
          f"({check / base:.1f}x baseline)")
    for batch in (1, 10, 100):
        cost, recording = durable_cost(updates, batch, start)
        print(f"durable commit, batch {batch:>3}:     {cost:8.1f} µs/update  "
              f"({cost / base:5.1f}x baseline); recording it afterwards "
              f"{recording:.1f} µs/update ({recording / base:.1f}x)")


if __name__ == "__main__":
    main()
