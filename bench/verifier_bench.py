"""Verifier runs: throughput, click-to-result latency, and the editor's latency beside them.

Usage (from the repository root):

    .venv/bin/python bench/verifier_bench.py [--runs 40] [--clicks 20] [--skip-editor]

In one invocation, on a fresh SQLite database seeded with the demo:

1. **runs/minute**: the demo's six pytest suites (draft and fixed text alternately) run
   through the sandbox directly, `VERIFIER_CONCURRENCY` (2) at a time;
2. **click-to-result**: a live server (daphne) and one `db_worker` (as `make run`);
   one "click" = `POST /api/tasks/<id>/verify/` until `GET /api/verifier-runs/<id>/`
   reports a finished run (polled every 10 ms), p50/p99 over `--clicks` sequential clicks;
3. **editor fan-out p99** without runs, then while 20 runs are queued (the shared bench
   client, 20 rooms x 5 ops/s; needs Node and ../shared/bench as editor_bench.py does).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the demo fixes live beside their test

import editor_bench  # noqa: E402  (bench/ is this script's directory)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def sandbox_throughput(runs: int, concurrency: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    import django

    django.setup()
    from verifiers.test_demo_tests import FIXES

    from oversight.verifiers.config import run_limits, sandbox_config
    from oversight.verifiers.runner import run_spec
    from oversight.workspace.demo_code import CODE_TASKS

    jobs = [(task["verifier"], task["draft"]["text"] if i % 2 == 0
             else FIXES[task["external_id"]])
            for i in range(runs) for task in [CODE_TASKS[i % len(CODE_TASKS)]]]
    config = sandbox_config()

    def one(job):
        spec, text = job
        started = time.monotonic()
        report = run_spec(spec=spec, text=text, config=config, limits=run_limits(10))
        return time.monotonic() - started, report.status

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, jobs))
    elapsed = time.monotonic() - started
    durations = [d for d, _ in results]
    statuses = sorted({s for _, s in results})
    return {"runs": runs, "concurrency": concurrency, "seconds": round(elapsed, 2),
            "runs_per_minute": round(runs / elapsed * 60, 1),
            "run_p50_s": round(pct(durations, 0.5), 3), "run_p99_s": round(pct(durations, 0.99), 3),
            "statuses": statuses}


def _api(base: str, token: str, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{base}/api{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def click_to_result(base: str, token: str, task_id: int, clicks: int) -> dict:
    """Sequential clicks after one warm-up (the worker's first job imports the runner)."""
    latencies = []
    for _ in range(clicks + 1):
        started = time.monotonic()
        run = _api(base, token, "POST", f"/tasks/{task_id}/verify/", {"seq": 0})
        while run["status"] in ("queued", "running"):
            time.sleep(0.01)
            run = _api(base, token, "GET", f"/verifier-runs/{run['id']}/")
        latencies.append(time.monotonic() - started)
    latencies = latencies[1:]
    return {"clicks": clicks, "p50_s": round(pct(latencies, 0.5), 3),
            "p99_s": round(pct(latencies, 0.99), 3), "last_status": run["status"]}


def keep_runs_queued(base: str, token: str, task_ids: list[int], depth: int,
                     done: threading.Event, finished: list[int], db_path: Path) -> None:
    """Keep `depth` runs queued or running until `done`; record how many finished.

    Runs are started through the API (as clicks are); their progress is read from the
    database file, so watching them puts no load on the server being measured.
    """
    started = 0
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        while not done.is_set():
            (unfinished,) = db.execute(
                "SELECT count(*) FROM verifiers_verifierrun "
                "WHERE status IN ('queued', 'running')").fetchone()
            finished[:] = [started - unfinished]
            for _ in range(depth - unfinished):
                _api(base, token, "POST", f"/tasks/{task_ids[started % len(task_ids)]}/verify/",
                     {"seq": 0})
                started += 1
            done.wait(0.2)


def setup(env: dict) -> tuple[str, list[int]]:
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    script = """
from rest_framework.authtoken.models import Token
from django.contrib.auth.models import User
from oversight.workspace.models import Task
lead = User.objects.get(username='lead1')
print(Token.objects.get_or_create(user=lead)[0].key)
print(' '.join(str(t.pk) for t in Task.objects.filter(project__slug='pyfuncs').order_by('pk')))
"""
    out = subprocess.run([py, "manage.py", "shell", "--no-imports", "-c", script], cwd=ROOT,
                         env=env, check=True, capture_output=True, text=True).stdout
    lines = out.strip().splitlines()
    return lines[-2].strip(), [int(x) for x in lines[-1].split()]


def editor_p99(client: Path, port: int, env: dict, args, token: str, doc_ids: list[str],
               tmp: Path) -> dict:
    rooms_file = tmp / "rooms.txt"
    rooms_file.write_text("\n".join(doc_ids) + "\n")
    bench_args = argparse.Namespace(trace="automerge-paper", limit=150, rate=5)
    return editor_bench.replay(client, f"ws://127.0.0.1:{port}/ws/docs", bench_args,
                               ["--param", f"token={token}", "--rooms-file", str(rooms_file)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--skip-editor", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="oversight-verifier-bench-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}", "DEBUG": "false",
           "SECRET_KEY": "bench-only-secret", "OVERSIGHT_VAR_DIR": str(tmp / "var"),
           "LOG_LEVEL": "WARNING", "VERIFIER_RATE_PER_MINUTE": "100000",
           "EDITOR_RATE_LIMIT_PER_SECOND": "1000000", "EDITOR_RATE_LIMIT_BURST": "1000000",
           "EDITOR_ROOM_IDLE_SECONDS": "600"}
    os.environ.update({k: env[k] for k in ("OVERSIGHT_VAR_DIR", "SECRET_KEY")})
    print("sandbox:", json.dumps(sandbox_throughput(args.runs, concurrency=2)), flush=True)

    token, task_ids = setup(env)
    port = editor_bench.free_port()
    server = editor_bench.start_server("uvicorn", port, env)
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--queue-name", "*",
                               "--interval", "0.05"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        print("click-to-result:", json.dumps(click_to_result(base, token, task_ids[0],
                                                             args.clicks)), flush=True)
        if args.skip_editor:
            return
        client = editor_bench.bench_client()
        # Fresh rooms for each replay: the client starts from an empty document.
        bench_token, doc_ids = editor_bench.prepare_db(env, 40)
        idle = editor_p99(client, port, env, args, bench_token, doc_ids[:20], tmp)
        print("editor, no runs:", editor_bench.summary(idle), flush=True)
        done = threading.Event()
        feeder = threading.Thread(target=keep_runs_queued,
                                  args=(base, token, task_ids, 20, done, ran := [0],
                                        tmp / "bench.sqlite3"))
        feeder.start()
        try:
            busy = editor_p99(client, port, env, args, bench_token, doc_ids[20:], tmp)
        finally:
            done.set()
            feeder.join()
        print("editor, 20 runs in flight:", editor_bench.summary(busy), flush=True)
        print(f"runs finished during the replay: {ran[0]}")
        ratio = busy["latency_ms"]["p99"] / max(0.001, idle["latency_ms"]["p99"])
        print(f"editor p99 with runs / without: {ratio:.2f}x")
    finally:
        for proc in (worker, server):
            proc.terminate()
            proc.wait(timeout=30)
        threading.Thread(target=lambda: subprocess.run(["rm", "-rf", str(tmp)])).start()


if __name__ == "__main__":
    main()
