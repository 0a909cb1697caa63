"""Full-size trajectory check: replay a shared trace through the server, then audit the trajectory.

Usage: .venv/bin/python bench/trajectory_bench.py [--trace automerge-paper] [--limit N]

1. Serves Oversight (uvicorn, temporary SQLite) and replays the trace with the shared
   bench client (stock y-websocket), which checks the observer's final text.
2. Reads the recorded trajectory back: seq must be gapless, the events replayed from the
   draft must give the trace's final text, and so must the stored CRDT log; times
   submission's three-way proof (log document == replayed events == final).
3. Times text-at-seq from checkpoints at random seqs, beside full replay from the draft.
"""

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import editor_bench as eb  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trace", default="automerge-paper")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    client = eb.bench_client()
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="oversight-traj-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'traj.sqlite3'}", "DEBUG": "false",
           "SECRET_KEY": "bench-only", "LOG_LEVEL": "WARNING",
           "EDITOR_RATE_LIMIT_PER_SECOND": "1000000", "EDITOR_RATE_LIMIT_BURST": "1000000"}
    token, doc_ids = eb.prepare_db(env, 1)
    port = eb.free_port()
    server = eb.start_server("uvicorn", port, env)
    bench_args = argparse.Namespace(trace=args.trace, limit=args.limit, rate=0)
    try:
        result = eb.replay(client, f"ws://127.0.0.1:{port}/ws/docs", bench_args,
                           ["--param", f"token={token}", "--room", doc_ids[0]])
    finally:
        server.terminate()
        server.wait()
    print(f"bench client: {eb.summary(result)}")

    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "oversight.settings"
    import django

    django.setup()
    from oversight.core.replay import replay
    from oversight.traces import integrity, selectors
    from oversight.traces.log import stored_text
    from oversight.workspace.models import Task

    trace = json.loads(gzip.decompress((eb.SHARED / "traces" / f"{args.trace}.json.gz")
                                       .read_bytes()))
    expected = trace["endContent"] if not args.limit else None
    task = Task.objects.get(doc_id=doc_ids[0])
    started = time.perf_counter()
    events = list(selectors.iter_events(task))
    load_s = time.perf_counter() - started
    assert [e.seq for e in events] == list(range(1, len(events) + 1)), "seq not gapless"
    started = time.perf_counter()
    replayed = replay(selectors.draft_text(task), events)
    replay_s = time.perf_counter() - started
    started = time.perf_counter()
    logged = stored_text(task.pk)  # newest snapshot + every later update, with pycrdt
    log_s = time.perf_counter() - started
    print(f"events: {len(events)} (loaded in {load_s:.2f} s), seq gapless")
    print(f"events replay to the observer's final text: "
          f"{replayed == (expected if expected is not None else logged)}")
    print(f"stored CRDT log gives the same text: {logged == replayed}")
    print(f"full replay from the draft: {replay_s * 1000:.0f} ms; "
          f"document rebuilt from the stored log: {log_s * 1000:.0f} ms")
    # What submission adds: the three-way proof (log rebuild, events replay, compare).
    started = time.perf_counter()
    final = integrity.final_text(task, len(events))
    final_s = time.perf_counter() - started
    started = time.perf_counter()
    integrity.prove_final(task, final)
    prove_s = time.perf_counter() - started
    print(f"submit's three-way proof: {prove_s * 1000:.0f} ms (final from the checkpoints: "
          f"{final_s * 1000:.0f} ms)")

    rng = random.Random(7)
    seqs = [rng.randint(0, len(events)) for _ in range(args.samples)]
    timings = []
    for seq in seqs:
        t0 = time.perf_counter()
        selectors.text_at(task, seq)
        timings.append((time.perf_counter() - t0) * 1000)
    print(f"text_at from checkpoints over {len(seqs)} random seqs: median "
          f"{statistics.median(timings):.2f} ms, max {max(timings):.2f} ms "
          f"(full replay / median = {replay_s * 1000 / statistics.median(timings):.0f}x)")


if __name__ == "__main__":
    main()
