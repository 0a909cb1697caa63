"""Memory soak: rooms open, are edited and unload, over and over; the server's RSS is sampled.

Usage (from the repository root):

    .venv/bin/python bench/room_soak.py [--minutes 30] [--rooms 20] [--edits 200]
        [--env MALLOC_ARENA_MAX=2]

One real daphne worker (tests/live/server.py's LiveServer, SQLite, rooms unloaded 1 s
after their last connection). Each cycle opens `--rooms` documents with a client each,
types `--edits` words into every one (about 1.6 KB of text a room), closes the clients
and waits until the server has unloaded every room. The worker's RSS (VmRSS of the
daphne process) is sampled with the rooms loaded and at rest after each cycle.

Printed: the at-rest RSS after the first cycle (the baseline: imports, caches, the
first connections), then every few minutes, and the end-of-run ratio to the baseline.
`--env NAME=VALUE` passes an environment variable to the worker, e.g. a glibc malloc
tunable, to tell allocator retention from objects that stay alive.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live.server import LiveServer  # noqa: E402
from tests.wsyclient import WsYClient  # noqa: E402


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def cycle(server: LiveServer, tasks: list[dict], token: str, edits: int) -> float:
    clients = [await WsYClient(f"{server.ws_url}/{t['doc']}?token={token}").connect()
               for t in tasks]
    for i in range(edits):
        for client in clients:
            await client.edit(lambda text, i=i: text.insert(len(text), f"word{i} "))
    # The last word is stored and relayed back once the room has committed it.
    for client in clients:
        await client.wait_text(lambda text: f"word{edits - 1} " in text, timeout=60)
    loaded = rss_mib(server.process.pid)
    for client in clients:
        await client.close()
    return loaded


def unloaded_count(server: LiveServer) -> int:
    return server.log_path.read_text(errors="replace").count("unloaded room")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the worker")
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.env)
    server = LiveServer(Path(tempfile.mkdtemp(prefix="oversight-soak-")),
                        extra_env={"EDITOR_ROOM_IDLE_SECONDS": "1", **extra})
    server.prepare()
    server.start()
    token = server.api_token("writer1")
    samples = []
    try:
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < args.minutes * 60:
            tasks = server.query(f"""
import uuid
from django.contrib.auth.models import User
from oversight.workspace.models import Draft, Project, Task
project = Project.objects.get(slug="explain")
result = []
for _ in range({args.rooms}):
    task = Task.objects.create(project=project, external_id="soak-" + uuid.uuid4().hex[:10],
                               prompt="Soak")
    Draft.objects.create(task=task, text="Draft.\\n")
    task.assignees.set(User.objects.filter(username="writer1"))
    result.append({{"doc": str(task.doc_id)}})
""")
            before = unloaded_count(server)
            loaded = asyncio.run(cycle(server, tasks, token, args.edits))
            deadline = time.monotonic() + 60
            while unloaded_count(server) < before + args.rooms:
                if time.monotonic() > deadline:
                    raise RuntimeError("the rooms did not unload")
                time.sleep(0.2)
            time.sleep(1)  # the unloaded rooms' close tasks finish
            n += 1
            rest = rss_mib(server.process.pid)
            samples.append((time.monotonic() - started, n, loaded, rest))
            print(f"{samples[-1][0] / 60:6.1f} min  cycle {n:4}  loaded {loaded:7.1f} MiB"
                  f"  at rest {rest:7.1f} MiB", flush=True)
    finally:
        server.stop()
    base = samples[0][3]
    print(f"\nworker env: {extra or 'default'}; {args.rooms} rooms x {args.edits} edits a cycle")
    print(f"baseline at rest (after cycle 1): {base:.1f} MiB")
    for minute in (5, 10, 20, 30):
        hits = [s for s in samples if s[0] >= minute * 60]
        if hits:
            print(f"at rest after {minute:2} min (cycle {hits[0][1]}): {hits[0][3]:.1f} MiB "
                  f"({hits[0][3] / base:.3f}x)")
    last = samples[-1]
    print(f"end ({last[0] / 60:.1f} min, {last[1]} cycles, {last[1] * args.rooms} rooms): "
          f"at rest {last[3]:.1f} MiB ({last[3] / base:.3f}x), peak loaded "
          f"{max(s[2] for s in samples):.1f} MiB")


if __name__ == "__main__":
    main()
