"""The trajectory player on long traces, in Chromium: time to usable, TTFB, frames, heap.

Usage: .venv/bin/python bench/player_bench.py [--traces automerge-paper,sveltecomponent]
       [--ms-per-edit 100] [--seconds 6] [--speeds 1,8,64]

1. Imports each shared trace (../shared/traces) as a recorded trajectory into a temporary
   project (SQLite, checkpoints every 500 events as the recorder stores them). The
   automerge-paper trace has no timestamps: its edits get one every --ms-per-edit ms
   (100: a fast typist; 0.125: the 8,000 edits/s of a replay through the server).
2. Serves Oversight (uvicorn, DEBUG off, static files collected and compressed).
3. Times the server's first byte and bytes sent (gzip accepted) for the old one-piece
   `trajectory/` and for the player's `trajectory/overview/` and `trajectory/events/`.
4. Opens the player in Chromium: time from navigation to usable (#player ready), then
   plays at each speed for --seconds and records every animation frame's interval,
   then checks the player's text against the server's text at its seq, and reads the
   JS heap after a garbage collection.
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import editor_bench as eb  # noqa: E402

PASSWORD = "bench-player-1"
# ../shared beside the checkout, or beside the folder of worktrees (OVERSIGHT_SHARED wins).
TRACES = next((p / "traces" for p in (eb.SHARED, eb.ROOT.parent.parent / "shared")
               if (p / "traces").is_dir()), eb.SHARED / "traces")
FRAMES_JS = """(seconds) => new Promise((resolve) => {
  const times = []
  const player = window.oversightPlayer
  const startSeq = player.seq
  const start = performance.now()
  function frame (now) {
    times.push(now)
    if (now - start < seconds * 1000) requestAnimationFrame(frame)
    else resolve({times, seqs: player.seq - startSeq, seq: player.seq})
  }
  requestAnimationFrame(frame)
})"""
STATE_JS = """async (taskId) => {
  const player = window.oversightPlayer
  while (player.loading) await new Promise((r) => setTimeout(r, 20))
  const seq = player.seq
  const text = player.doc.toString()
  const answer = await fetch(`/api/tasks/${taskId}/text/?seq=${seq}`, {credentials: 'same-origin'})
  return {seq, same: text === (await answer.json()).text}
}"""


def trace_record(name: str, ms_per_edit: float) -> dict:
    """Return a v1 record of a shared trace: one event per patch, in code points."""
    trace = json.loads(gzip.decompress((TRACES / f"{name}.json.gz").read_bytes()))
    events, first = [], None
    for i, txn in enumerate(trace["txns"]):
        stamp = txn.get("time") or txn.get("timestamp")
        if stamp and ms_per_edit <= 0:
            ms = int(time.mktime(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")) * 1000)
            first = first if first is not None else ms
            t_ms = ms - first
        else:
            t_ms = int(i * ms_per_edit)
        for pos, deleted, inserted in txn["patches"]:
            ops = ([{"retain": pos}] if pos else []) + ([{"delete": deleted}] if deleted else [])
            ops += [{"insert": inserted}] if inserted else []
            events.append({"seq": len(events) + 1, "t_ms": t_ms, "author": "writer",
                           "client": 1, "round": 1, "kind": "input.type",
                           "inferred_kind": None, "ops": ops})
    return {"schema": "oversight.trajectory/v1", "task_id": name, "prompt": name,
            "draft": {"text": trace.get("startContent", "")}, "events": events, "notes": []}


def prepare(env: dict, traces: list[str], ms_per_edit: float) -> dict[str, int]:
    """Migrate, collect static files, create the reviewer and import the traces."""
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=eb.ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=eb.ROOT,
                   env=env, check=True)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "oversight.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User

    from oversight.traces.importing import trajectories_import
    from oversight.workspace.models import Membership, Project

    lead = User.objects.create_user("bench-lead", password=PASSWORD)
    project = Project.objects.create(name="Player bench", slug="player-bench")
    Membership.objects.create(user=lead, project=project, role="lead")
    ids = {}
    for name in traces:
        record = trace_record(name, ms_per_edit if name == "automerge-paper" else 0)
        started = time.perf_counter()
        (task,) = trajectories_import(project=project, lines=[json.dumps(record)])
        print(f"imported {name}: {len(record['events'])} events in "
              f"{time.perf_counter() - started:.1f} s (task {task.pk})", flush=True)
        ids[name] = (task.pk, len(record["events"]))
    return ids


def http_figures(base: str, session: requests.Session, task: int, last: int) -> list:
    """Return [(path, ttfb ms, total ms, bytes on the wire, content encoding)]."""
    figures = []
    for path in (f"/review/tasks/{task}/", "trajectory/", "trajectory/overview/",
                 f"trajectory/events/?from_seq={last // 2}&to_seq={last // 2 + 1999}",
                 f"text/?seq={last // 2 + 1}", f"/review/tasks/{task}/"):
        started = time.perf_counter()
        url = base + path if path.startswith("/") else f"{base}/api/tasks/{task}/{path}"
        response = session.get(url, stream=True,
                               headers={"Accept-Encoding": "gzip"})
        ttfb = response.elapsed.total_seconds() * 1000
        wire = sum(len(chunk) for chunk in response.raw.stream(65536, decode_content=False))
        total = (time.perf_counter() - started) * 1000
        figures.append((path, ttfb, total, wire, response.headers.get("Content-Encoding", "-")))
    return figures


def static_figures(base: str, session: requests.Session, static_root: Path) -> tuple:
    """Return (url, bytes on the wire, encoding, cache-control) of the editor bundle."""
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    url = "/static/" + manifest["paths"]["editor/editor.js"]
    response = session.get(base + url, headers={"Accept-Encoding": "gzip"}, stream=True)
    wire = sum(len(chunk) for chunk in response.raw.stream(65536, decode_content=False))
    return url, wire, response.headers.get("Content-Encoding", "-"), response.headers.get(
        "Cache-Control", "")


def browser_figures(base: str, task: int, speeds: list[int], seconds: float) -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/login/")
        page.fill("input[name=username]", "bench-lead")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/review/tasks/{task}/", wait_until="commit")
        page.wait_for_function(
            "() => document.getElementById('player')?.dataset.ready === 'true'",
            polling="raf", timeout=60_000)
        out["usable_ms"] = page.evaluate("() => performance.now()")
        for speed in speeds:
            page.evaluate("() => { const p = window.oversightPlayer; p.pause(); p.seek(0) }")
            page.wait_for_function("() => !window.oversightPlayer.loading")
            page.select_option("#speed", str(speed))
            page.click("#play-button")
            frames = page.evaluate(FRAMES_JS, seconds)
            page.click("#play-button")  # pause
            state = page.evaluate(STATE_JS, task)
            times = frames["times"]
            gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
            out[speed] = {"fps": len(gaps) / (seconds or 1), "max_ms": max(gaps),
                          "p99_ms": sorted(gaps)[int(len(gaps) * 0.99) - 1],
                          "median_ms": statistics.median(gaps), "events": frames["seqs"],
                          "text_ok": state["same"], "seq": state["seq"]}
        cdp = context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        out["heap_mb"] = cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6
        out["errors"] = errors
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--traces", default="automerge-paper,sveltecomponent")
    parser.add_argument("--ms-per-edit", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--speeds", default="1,8,64")
    args = parser.parse_args()
    traces = args.traces.split(",")
    speeds = [int(s) for s in args.speeds.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="oversight-player-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'player.sqlite3'}", "DEBUG": "false",
           "SECRET_KEY": "bench-only", "LOG_LEVEL": "WARNING", "STATIC_COLLECTED": "1",
           "OVERSIGHT_VAR_DIR": str(tmp), "AXES_ENABLED": "false"}
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)", flush=True)
    ids = prepare(env, traces, args.ms_per_edit)
    port = eb.free_port()
    server = eb.start_server("uvicorn", port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        session = requests.Session()
        session.get(f"{base}/login/")
        session.post(f"{base}/login/", data={"username": "bench-lead", "password": PASSWORD,
                                             "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                     headers={"Referer": f"{base}/login/"})
        for name in traces:
            task, last = ids[name]
            print(f"\n== {name} (task {task}, {last} events)", flush=True)
            # The review page's first GET computes the task's signals (stored after), so
            # it is listed twice: cold, then as every later reviewer gets it.
            for path, ttfb, total, wire, enc in http_figures(base, session, task, last):
                print(f"GET {path}: first byte {ttfb:.0f} ms, all {total:.0f} ms, "
                      f"{wire / 1e6:.2f} MB on the wire ({enc})", flush=True)
            result = browser_figures(base, task, speeds, args.seconds)
            print(f"usable after {result['usable_ms']:.0f} ms; heap {result['heap_mb']:.1f} MB; "
                  f"page errors: {result['errors'] or 'none'}")
            for speed in speeds:
                r = result[speed]
                print(f"{speed:>3}x: {r['fps']:.1f} fps, frame median {r['median_ms']:.1f} ms, "
                      f"p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms; {r['events']} events "
                      f"played, text at seq {r['seq']} = server's: {r['text_ok']}", flush=True)
        url, wire, enc, cache = static_figures(base, session, tmp / "staticfiles")
        print(f"\neditor bundle {url}: {wire / 1e3:.0f} kB on the wire ({enc}), "
              f"Cache-Control: {cache}")
    finally:
        server.terminate()
        server.wait()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
