"""Scale-out measured: 1, 2 and 4 ASGI workers on PostgreSQL + Redis, beside the reference.

Usage (from the repository root; needs PostgreSQL, Redis and Node 20+):

    OVERSIGHT_SHARED=/work/shared .venv/bin/python bench/scaleout_bench.py \
        --pg postgres://oversight:oversight@127.0.0.1:5432/h5 --redis redis://127.0.0.1:6379/5 \
        [--workers 1,2,4] [--rooms 200 --rate 5 --limit 150] [--clients 4] [--port 8150] [--cold]

`--workers 1:1,1:4` runs one worker with 1 and then 4 rooms' database threads
(EDITOR_DB_THREADS; a bare count keeps the default).

The rooms are spread over the workers as a load balancer that routes each document to
one worker would: the shared bench client runs as `--clients` processes, each with an
equal share of the rooms (one writer and one observer per room), and client i talks to
worker i mod N. The client processes are the same for every worker count (and for the
reference server, which gets all of them), so only the server side changes. Each worker
count gets fresh tasks in a fresh scratch database (a copy of one migrated once, named
after `--pg`'s database, created and dropped on its server), every worker is uvicorn
with uvloop (as bench/editor_bench.py's `uvicorn`), with REDIS_URL set so rooms
publish across processes through channels-redis. `--cold` leaves the documents
unseeded, so every room seeds its document on its first connection.

Prints each run's aggregate: ops/s summed over the clients, the median of the clients'
p50 and the worst client's p99, and whether every observer converged.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from editor_bench import (  # noqa: E402  (a script beside this one)
    ROOT,
    SHARED,
    UVICORN_VARIANTS,
    bench_client,
    prepare_db,
    wait_port,
)


def scratch_database(base_url: str, template: str = "") -> str:
    """A fresh database beside --pg's, named after it (a copy of `template`'s, if given)."""
    import psycopg

    name = f"{base_url.rsplit('/', 1)[1]}_scaleout_{uuid.uuid4().hex[:8]}"
    copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    return base_url.rsplit("/", 1)[0] + "/" + name


def migrated_template(base_url: str) -> str:
    """Migrate one scratch database, to copy for every run (a migration per run is minutes)."""
    url = scratch_database(base_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT,
                   env={**os.environ, "DATABASE_URL": url}, check=True)
    return url


def drop_database(base_url: str, url: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


LOG_TABLES = ("editor_docupdate", "traces_editevent", "traces_checkpoint", "editor_docsnapshot")


def storage(url: str) -> dict:
    """Rows and bytes (heap, indexes and TOAST) of the log's tables after a run."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # settle the visibility map and the statistics
        out = {}
        for table in LOG_TABLES:
            rows = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            size = conn.execute("SELECT pg_total_relation_size(%s)", [table]).fetchone()[0]
            out[table] = {"rows": rows, "bytes": size,
                          "bytes_per_row": round(size / rows, 1) if rows else None}
        return out


def seed_documents(env: dict) -> None:
    """Store every task's seed update first, as for writers who opened their task earlier.

    The bench client gives each room 20 s to sync; on this shared machine 400 first
    connections at once (admission, then seeding each document in a few transactions)
    took longer than that on PostgreSQL, which measures the connection storm instead
    of the steady state. The storm is named in docs/scaling.md.
    """
    script = ("from oversight.traces.log import ensure_seeded\n"
              "from oversight.workspace.models import Task\n"
              "for pk in Task.objects.values_list('pk', flat=True):\n"
              "    ensure_seeded(pk)\n")
    subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
                   cwd=ROOT, env=env, check=True)


def start_worker(port: int, env: dict) -> subprocess.Popen:
    with socket.socket() as probe:
        # wait_port would take another program's server on this port for the worker.
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is taken: pass another --port")
    venv_bin = Path(sys.executable).parent
    cmd = [str(venv_bin / "uvicorn"), "oversight.asgi:application", "--port", str(port),
           "--log-level", "warning", "--ws-max-size", "16777216",
           "--ws-per-message-deflate", "false", *UVICORN_VARIANTS["uvicorn"]]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def run_clients(client: Path, urls: list[str], room_files: list[Path], args,
                extra: list[str]) -> list[dict]:
    """Start every client process at once; return their JSON results."""
    procs = []
    for i, rooms_file in enumerate(room_files):
        cmd = ["node", "replay.mjs", urls[i % len(urls)], "--trace",
               str(SHARED / "traces" / f"{args.trace}.json.gz"), "--limit", str(args.limit),
               "--rate", str(args.rate), "--rooms-file", str(rooms_file), "--timeout", "300"]
        procs.append(subprocess.Popen(cmd + extra, cwd=client, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    results = []
    for proc in procs:
        out, err = proc.communicate()
        try:
            results.append(json.loads(out))
        except json.JSONDecodeError:
            raise RuntimeError(f"bench client failed: {out[-1500:]}\n{err[-1500:]}") from None
    return results


def aggregate(results: list[dict]) -> dict:
    # A client that measured no latency sample (the bench client then omits the key)
    # counts in the throughput only.
    lat = [r["latency_ms"] for r in results if r.get("latency_ms")]
    p50s = sorted(x["p50"] for x in lat) or [float("nan")]
    return {"ops_per_s": sum(r["ops_per_s"] for r in results),
            "p50_ms": p50s[len(p50s) // 2],
            "p99_ms": max((x["p99"] for x in lat), default=float("nan")),
            "max_ms": max((x["max"] for x in lat), default=float("nan")),
            "seconds": max(r["seconds"] for r in results),
            "final_ok": all(r.get("final_ok") for r in results),
            "errors": [r["error"] for r in results if r.get("error")]}


def split(doc_ids: list[str], parts: int, folder: Path, tag: str) -> list[Path]:
    files = []
    for i in range(parts):
        path = folder / f"rooms-{tag}-{i}.txt"
        path.write_text("\n".join(doc_ids[i::parts]) + "\n")
        files.append(path)
    return files


def run_reference(client: Path, args, folder: Path, port: int) -> dict:
    ref = subprocess.Popen(["node", "node_modules/@y/websocket-server/src/server.js"],
                           cwd=client, env={**os.environ, "HOST": "127.0.0.1", "PORT": str(port)},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        names = [f"ref-{uuid.uuid4().hex[:6]}-{i}" for i in range(args.rooms)]
        files = split(names, args.clients, folder, "ref")
        return aggregate(run_clients(client, [f"ws://127.0.0.1:{port}"], files, args, []))
    finally:
        ref.terminate()
        ref.wait()


def run_workers(client: Path, count: int, threads: str, args, folder: Path,
                template: str) -> dict:
    db_url = scratch_database(args.pg, template)
    env = {**os.environ, "DATABASE_URL": db_url, "REDIS_URL": args.redis, "DEBUG": "false",
           "EDITOR_DB_THREADS": threads,
           "SECRET_KEY": "bench-only-secret", "LOG_LEVEL": "WARNING",
           "EDITOR_RATE_LIMIT_PER_SECOND": "1000000", "EDITOR_RATE_LIMIT_BURST": "1000000",
           "EDITOR_ROOM_IDLE_SECONDS": "600",
           "EDITOR_PUBLISH_ALONE": "true" if args.publish_alone else "false"}
    workers = []
    try:
        token, doc_ids = prepare_db(env, args.rooms, migrate=False)
        if not args.cold:
            seed_documents(env)
        files = split(doc_ids, args.clients, folder, f"w{count}-{threads}")
        ports = [args.port + i for i in range(count)]
        workers = [start_worker(port, env) for port in ports]
        for port in ports:
            wait_port(port)
        urls = [f"ws://127.0.0.1:{port}/ws/docs" for port in ports]
        result = aggregate(run_clients(client, urls, files, args, ["--param", f"token={token}"]))
        result["load"] = round(os.getloadavg()[0], 1)
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        for worker in workers:
            worker.wait()
        workers = []
        result["storage"] = storage(db_url)
        return result
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        for worker in workers:
            worker.wait()
        drop_database(args.pg, db_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", required=True, help="a PostgreSQL URL whose role may create DBs")
    parser.add_argument("--redis", required=True, help="a Redis URL with its database number")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--rooms", type=int, default=200)
    parser.add_argument("--rate", type=float, default=5)
    parser.add_argument("--limit", type=int, default=150)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--trace", default="automerge-paper")
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--publish-alone", action="store_true",
                        help="rooms publish every batch even when no other worker holds them "
                             "(EDITOR_PUBLISH_ALONE, the behaviour before peers were tracked)")
    parser.add_argument("--cold", action="store_true",
                        help="leave the documents unseeded: every room seeds itself on its "
                             "first connection (the storm of a first start)")
    args = parser.parse_args()

    client = bench_client()
    folder = Path(tempfile.mkdtemp(prefix="oversight-scaleout-"))
    results = {}
    if not args.skip_reference:
        results["reference"] = run_reference(client, args, folder, args.port + 9)
    template = migrated_template(args.pg)
    try:
        for spec in args.workers.split(","):
            count, _, threads = spec.partition(":")
            name = f"{count} worker{'s' if int(count) > 1 else ''}" + (
                f", {threads} db threads" if threads else "")
            results[name] = run_workers(client, int(count), threads or "0", args, folder,
                                        template)
    finally:
        drop_database(args.pg, template)
    base = next((r for name, r in results.items() if name.startswith("1 worker")), None)
    print(f"rooms={args.rooms} rate={args.rate} limit={args.limit} clients={args.clients} "
          f"load={os.getloadavg()[0]:.1f}")
    for name, r in results.items():
        vs = f"  x{r['ops_per_s'] / base['ops_per_s']:.2f} of 1 worker" if base else ""
        print(f"{name:>24}: {r['ops_per_s']:>7} ops/s  p50 {r['p50_ms']:.1f} ms  "
              f"p99 {r['p99_ms']:.1f} ms  max {r['max_ms']:.0f} ms  final_ok={r['final_ok']}"
              f"  load {r.get('load', '-')}{vs}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
