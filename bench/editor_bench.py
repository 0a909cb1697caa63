"""Replay real editing traces through this server and the stock y-websocket server, in one run.

Usage (from the repository root, after `make install`):

    .venv/bin/python bench/editor_bench.py [--trace automerge-paper] [--limit N]
        [--server uvicorn,daphne,...] [--rooms 200 --rate 5] [--skip-reference]
        [--baseline DIR] [--profile FILE]

Needs Node 20+ and the shared bench client (../shared/bench, copied to a temporary
folder because shared/ is read-only). Prints the bench client's JSON for the
reference server and for Oversight, then the throughput ratio.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("OVERSIGHT_SHARED", ROOT.parent / "shared"))
CACHE = Path(tempfile.gettempdir()) / "oversight-bench-client"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def bench_client() -> Path:
    """Copy the shared bench client to a writable folder and install it once."""
    if not (CACHE / "node_modules").exists():
        shutil.copytree(SHARED / "bench", CACHE, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("node_modules", "results"))
        # The shared bench ships no lockfile (its .gitignore lists it): npm install.
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund"], cwd=CACHE,
                       check=True)
    return CACHE


def prepare_db(env: dict, rooms: int, migrate: bool = True,
               root: Path = ROOT) -> tuple[str, list[str]]:
    """Migrate a fresh database and create a lead, empty-draft tasks and a token."""
    py = sys.executable
    if migrate:
        subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    script = f"""
import uuid
from django.contrib.auth.models import User
from oversight.workspace.tokens import token_create
from oversight.workspace.models import Project, Membership, Task, Draft
tag = uuid.uuid4().hex[:8]
u = User.objects.create_user('bench-' + tag, password='bench')
p = Project.objects.create(name='Bench ' + tag, slug='bench-' + tag)
Membership.objects.create(user=u, project=p, role='lead')
ids = []
for i in range({rooms}):
    t = Task.objects.create(project=p, external_id=f'b{{i}}', prompt='bench')
    Draft.objects.create(task=t, text='')
    ids.append(str(t.doc_id))
print(token_create(user=u)[1])
print(' '.join(ids))
"""
    out = subprocess.run([py, "manage.py", "shell", "--no-imports", "-c", script], cwd=root,
                         env=env, check=True, capture_output=True,
                         text=True).stdout.strip().split("\n")
    return out[-2].strip(), out[-1].split()


# The ASGI servers to compare: uvicorn as `manage.py serve --server uvicorn` runs it
# (uvloop, httptools, websockets' sans-I/O protocol), with the stock asyncio loop or
# websockets' legacy protocol, and daphne as `manage.py serve` runs it by default.
UVICORN_VARIANTS = {
    "uvicorn": ["--loop", "uvloop", "--ws", "websockets-sansio"],
    "uvicorn-asyncio": ["--loop", "asyncio", "--ws", "websockets-sansio"],
    "uvicorn-websockets": ["--loop", "uvloop", "--ws", "websockets"],
}
# `uvicorn-record`: uvicorn as above with EDITOR_RECORDER=process and a `manage.py record`
# process beside it (what `manage.py serve` starts then), instead of the rooms recording;
# `uvicorn-norecord`: the relay path alone (nothing records during the replay; `manage.py
# record --once` records everything after it, timed).
RECORDER_PROCESS = ("uvicorn-record", "uvicorn-norecord")
SERVERS = [*UVICORN_VARIANTS, *RECORDER_PROCESS, "daphne"]


def start_recorder(kind: str, env: dict) -> subprocess.Popen | None:
    if kind != "uvicorn-record":
        return None
    return subprocess.Popen([sys.executable, "manage.py", "record"], cwd=ROOT, env=env)


def recorder_lag(env: dict, doc_ids: list[str], started: float, kind: str) -> str:
    """Wait until every stored update is recorded; say how long after the replay ended."""
    if kind == "uvicorn-norecord":
        subprocess.run([sys.executable, "manage.py", "record", "--once"], cwd=ROOT, env=env,
                       check=True)
    script = f"""
from django.db.models import F, Sum
from oversight.traces.models import DocState, EditEvent
import time
states = DocState.objects.filter(task__doc_id__in={doc_ids!r})
while states.filter(last_position__gt=F("recorded_position")).exists():
    time.sleep(0.05)
print(EditEvent.objects.filter(task__doc_id__in={doc_ids!r}).count(),
      states.aggregate(n=Sum("last_position"))["n"])
"""
    out = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
                         cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    events, positions = out.stdout.split()
    return (f"all {positions} stored updates recorded ({events} events in the database) "
            f"{time.time() - started:.1f} s after the replay ended")


def start_server(kind: str, port: int, env: dict, profile: str = "",
                 root: Path = ROOT) -> subprocess.Popen:
    venv_bin = Path(sys.executable).parent
    if kind in UVICORN_VARIANTS or kind in RECORDER_PROCESS:
        cmd = [str(venv_bin / "uvicorn"), "oversight.asgi:application", "--port", str(port),
               "--log-level", "warning", "--ws-max-size", "16777216",
               # As the reference server (ws's default): no per-message compression.
               "--ws-per-message-deflate", "false",
               *UVICORN_VARIANTS.get(kind, UVICORN_VARIANTS["uvicorn"])]
    else:
        cmd = [sys.executable, "manage.py", "serve", "-v0", "-p", str(port)]
    if profile:  # py-spy's collapsed stacks ("raw"), e.g. for flamegraph.pl or a top-N count
        cmd = [os.environ.get("PY_SPY", "py-spy"), "record", "--format", "raw", "-o", profile,
               "--rate", "250", "--"] + cmd
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.DEVNULL)
    wait_port(port)
    return proc


def replay(client: Path, url: str, args, extra: list[str]) -> dict:
    cmd = ["node", "replay.mjs", url, "--trace", str(SHARED / "traces" / f"{args.trace}.json.gz")]
    if args.limit:
        cmd += ["--limit", str(args.limit)]
    if args.rate:
        cmd += ["--rate", str(args.rate)]
    out = subprocess.run(cmd + extra, cwd=client, capture_output=True, text=True)
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        message = f"bench client failed: {out.stdout[-2000:]}\n{out.stderr[-2000:]}"
        raise RuntimeError(message) from None


def summary(result: dict) -> str:
    lat = result.get("latency_ms", {})
    return (f"{result['ops_per_s']:>8} ops/s  p50 {lat.get('p50')} ms  p99 {lat.get('p99')} ms"
            f"  final_ok={result['final_ok']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trace", default="automerge-paper")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0)
    parser.add_argument("--rooms", type=int, default=1)
    parser.add_argument("--server", default="uvicorn",
                        help=f"comma-separated, run in this order: {', '.join(SERVERS)}")
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--profile", default="", help="record the server with py-spy to FILE")
    parser.add_argument("--baseline", default="", metavar="DIR",
                        help="also run the first server from another checkout (e.g. `git "
                             "archive main | tar -x -C DIR`), after this one, on a database "
                             "of its own migrated by its own code")
    args = parser.parse_args()

    client = bench_client()
    tmp = Path(tempfile.mkdtemp(prefix="oversight-bench-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}", "DEBUG": "false",
           "SECRET_KEY": "bench-only-secret", 
           "LOG_LEVEL": "WARNING", "EDITOR_RATE_LIMIT_PER_SECOND": "1000000",
           "EDITOR_RATE_LIMIT_BURST": "1000000", "EDITOR_ROOM_IDLE_SECONDS": "600"}
    token, doc_ids = prepare_db(env, args.rooms)
    rooms_file = tmp / "rooms.txt"
    rooms_file.write_text("\n".join(doc_ids) + "\n")
    results, lags = {}, {}
    if not args.skip_reference:
        port = free_port()
        # Run the server's script directly: terminating `npx` would orphan it.
        ref = subprocess.Popen(["node", "node_modules/@y/websocket-server/src/server.js"],
                               cwd=client,
                               env={**os.environ, "HOST": "127.0.0.1", "PORT": str(port)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(port)
            extra = ["--rooms-file", str(rooms_file)] if args.rooms > 1 else []
            results["reference"] = replay(client, f"ws://127.0.0.1:{port}", args, extra)
        finally:
            ref.terminate()
    runs = [(kind, kind, ROOT) for kind in args.server.split(",")]
    if args.baseline:
        baseline = Path(args.baseline).resolve()
        runs.append((runs[0][0], f"{runs[0][0]}@baseline", baseline))
    for number, (kind, name, root) in enumerate(runs):
        if kind not in SERVERS:
            parser.error(f"unknown server {kind}")
        # Each server gets fresh tasks: the documents start from the same empty draft.
        run_env = env
        if root != ROOT:
            # Another checkout may have another schema: its own database, its own migrations.
            run_env = {**env, "DATABASE_URL": f"sqlite:///{tmp / f'baseline-{number}.sqlite3'}"}
            token, doc_ids = prepare_db(run_env, args.rooms, root=root)
            rooms_file.write_text("\n".join(doc_ids) + "\n")
        elif number:
            token, doc_ids = prepare_db(env, args.rooms, migrate=False)
            rooms_file.write_text("\n".join(doc_ids) + "\n")
        port = free_port()
        server_env = ({**run_env, "EDITOR_RECORDER": "process"} if kind in RECORDER_PROCESS
                      else run_env)
        server = start_server(kind, port, server_env, args.profile if not number else "", root)
        recorder = start_recorder(kind, server_env)
        try:
            extra = ["--param", f"token={token}"]
            extra += (["--rooms-file", str(rooms_file)] if args.rooms > 1
                      else ["--room", doc_ids[0]])
            results[name] = replay(client, f"ws://127.0.0.1:{port}/ws/docs", args, extra)
            print(f"{name:>18}: {summary(results[name])}", file=sys.stderr, flush=True)
            if root == ROOT:
                lags[name] = recorder_lag(env, doc_ids, time.time(), kind)
        finally:
            server.send_signal(signal.SIGINT)  # py-spy writes its profile on SIGINT
            server.wait()
            if recorder is not None:
                recorder.terminate()
                recorder.wait()
    for name, result in results.items():
        print(f"{name:>18}: {summary(result)}")
        print(json.dumps(result))
        if name in lags:
            print(f"{'':>18}  recorder: {lags[name]}")
    if "reference" in results:
        for name, result in results.items():
            if name != "reference":
                ratio = result["ops_per_s"] / max(1, results["reference"]["ops_per_s"])
                print(f"ratio {name}/reference: {ratio:.3f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
