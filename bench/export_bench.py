"""Export throughput and peak memory: the streaming export against a naive in-memory one.

Usage (from the repository root):

    .venv/bin/python bench/export_bench.py [--sizes 250x1000,1000x1000] [--profile]

For each size TASKSxEVENTS a fresh SQLite file is filled (bulk_create) with approved
tasks: a ~2 KB draft, EVENTS edit events (typing, deletions, pastes), two notes, a
submission and a review. Then, each in its own subprocess so peak RSS is per run:

- cold streaming: `export_chunks` (the generator behind GET /api/export/ and the
  command), trajectory format, written to /dev/null, with no stored signals: every
  record computes its quality signals; also with gzip for the smallest size;
- naive (smallest size only): every `reference_record` (tests/api, the straightforward assembly)
  in a list, then one json.dumps;
- warm-up: each task's signals computed and stored, as the submission does in production
  (timed: that cost moved to submit time, about one task's signals per submission);
- warm streaming: the export again, its records taking the stored signals.

Prints events/s (wall clock, and per CPU second: the machine may be shared) and peak RSS
(ru_maxrss) per run, and the ratios. --profile adds a cProfile of the cold and the warm
streaming export of the smallest size.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench"
WORDS = ("the model draft explains why light scatters and how a writer improves each "
         "sentence so that the final text serves the reader 東京 café 👩‍🔬").split()
PASTED, DELETED, TYPED = ("input.paste", "paste-like"), ("delete.backward", "deleted"), (
    "input.type", "typed")
TEMPLATES = 8  # distinct event streams, cycled over tasks: realistic enough, fast to build


def _django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _draft(rng: random.Random, size: int = 2048) -> str:
    words, length = [], 0
    while length < size:
        words.append(rng.choice(WORDS))
        length += len(words[-1]) + 1
    return " ".join(words)


def _session(rng: random.Random, draft: str, count: int) -> list[tuple[int, str, str, list]]:
    """Return `count` edits on the draft: (ms offset, kind, inferred kind, ops)."""
    from oversight.core.delta import apply_ops

    text, cursor, ms, edits = draft, len(draft) // 2, 0, []
    for _ in range(count):
        ms += rng.choice((90, 140, 220, 400, 3_000))
        if rng.random() < 0.01:
            cursor = rng.randrange(len(text))  # the writer moves elsewhere
        roll = rng.random()
        if roll < 0.04:  # a paste of a few words
            insert = " " + " ".join(rng.choice(WORDS) for _ in range(8))
            ops, kinds = [{"retain": cursor}, {"insert": insert}], PASTED
            cursor += len(insert)
        elif roll < 0.25 and cursor > 0:  # a backspace
            ops, kinds = [{"retain": cursor - 1}, {"delete": 1}], DELETED
            cursor -= 1
        else:  # a keystroke
            ops, kinds = [{"retain": cursor}, {"insert": rng.choice("etaoin shrdlu")}], TYPED
            cursor += 1
        text = apply_ops(text, ops)
        edits.append((ms, *kinds, ops))
    return edits


def setup(db: Path, tasks: int, events: int) -> None:
    """Migrate a fresh database and fill it with approved tasks and their trajectories."""
    _django(db)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from oversight.core.replay import replay
    from oversight.core.trajectory import sha256_text
    from oversight.review.models import Review
    from oversight.traces.models import EditEvent, Note, NoteVersion, Submission
    from oversight.workspace.models import Draft, Membership, Project, Task

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    users = get_user_model().objects
    writer, lead = users.create_user("writer"), users.create_user("lead")
    project = Project.objects.create(slug=SLUG, name="Bench", rubric=[{"key": "factual"}])
    Membership.objects.create(user=lead, project=project, role=Membership.LEAD)
    drafts = [_draft(rng) for _ in range(TEMPLATES)]
    sessions = [_session(rng, d, events) for d in drafts]
    note_seqs = (events // 3, 2 * events // 3)

    def text_at(template: int, seq: int) -> str:
        steps = sessions[template][:seq]
        return replay(drafts[template], [{"seq": i + 1, "ops": e[3]} for i, e in enumerate(steps)])

    finals = [text_at(t, events) for t in range(TEMPLATES)]
    noted = [[text_at(t, seq) for seq in note_seqs] for t in range(TEMPLATES)]
    start = 1_764_000_000_000
    with transaction.atomic():
        made = Task.objects.bulk_create(
            Task(project=project, external_id=f"bench-{i:06d}", prompt=f"Explain topic {i}.",
                 status="approved") for i in range(tasks))
        Draft.objects.bulk_create(Draft(task=t, text=drafts[i % TEMPLATES], model="bench-model")
                                  for i, t in enumerate(made))
        for i, task in enumerate(made):
            session = sessions[i % TEMPLATES]
            EditEvent.objects.bulk_create(
                (EditEvent(task=task, seq=n + 1, author=writer, client_id=7, server_ms=start + ms,
                           kind=kind, inferred_kind=inferred, ops=ops)
                 for n, (ms, kind, inferred, ops) in enumerate(session)), batch_size=5000)
        for i, task in enumerate(made):
            final = finals[i % TEMPLATES]
            for seq, text in zip(note_seqs, noted[i % TEMPLATES], strict=True):
                at = len(text) // 2
                note = Note.objects.create(task=task, author=writer, server_ms=start, seq=seq,
                                           quote=text[at:at + 12], start=at, end=at + 12,
                                           body="Why I changed this.")
                NoteVersion.objects.create(note=note, body=note.body, server_ms=start)
            Submission.objects.create(task=task, round=1, text=final, sha256=sha256_text(final),
                                      submitted_by=writer, events=events)
            Review.objects.create(task=task, reviewer=lead, round=1, verdict="approve",
                                  scores={"factual": 4})


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def warm(db: Path) -> dict:
    """Compute and store every task's signals and final provenance, as a submission does."""
    _django(db)
    from oversight.review.metrics import metrics_for, with_trace_state
    from oversight.traces.models import Submission
    from oversight.traces.selectors import provenance_runs
    from oversight.workspace.models import Task

    tasks = with_trace_state(Task.objects.select_related("project", "draft")).order_by("id")
    started, cpu, count = time.perf_counter(), _cpu_seconds(), 0
    for offset in range(0, tasks.count(), 100):
        batch = list(tasks[offset:offset + 100])
        count += len(metrics_for(batch))
        for task in batch:  # task_submit stores it with the final
            for submission in Submission.objects.filter(task=task, provenance__isnull=True):
                submission.provenance = provenance_runs(task, submission.events)
                submission.save(update_fields=["provenance"])
    return {"tasks": count, "seconds": time.perf_counter() - started,
            "cpu": _cpu_seconds() - cpu}


def run(db: Path, mode: str) -> dict:
    """Export the bench project in `mode`; return seconds, bytes and peak RSS."""
    _django(db)
    from oversight.api.export import export_chunks
    from oversight.api.export_selectors import ExportFilters
    from oversight.traces.models import EditEvent
    from oversight.workspace.models import Project, Task
    from tests.api.reference_record import reference_record

    project = Project.objects.get(slug=SLUG)
    events = EditEvent.objects.count()
    ready_mb = _rss_mb()
    started, cpu = time.perf_counter(), _cpu_seconds()
    written = 0
    with open(os.devnull, "wb") as out:
        if mode == "naive":  # the straightforward record: signals always computed
            tasks = Task.objects.filter(project=project).select_related("project", "draft")
            records = [reference_record(t) for t in tasks.order_by("id")]
            data = json.dumps(records, ensure_ascii=False).encode("utf-8")
            written = out.write(data)
        else:
            for chunk in export_chunks(projects=[project], fmt="trajectory",
                                       filters=ExportFilters(), gzip=mode.endswith("gzip")):
                written += out.write(chunk)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {"mode": mode, "events": events, "seconds": seconds, "cpu": cpu, "bytes": written,
            "ready_mb": ready_mb, "peak_mb": _rss_mb()}


def profile(db: Path, mode: str) -> None:
    """Print where the streaming export spends its time (cProfile, cumulative, our code)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    result = run(db, mode)
    profiler.disable()
    print(f"profiled {mode}: {result['events'] / result['seconds']:,.0f} events/s under cProfile")
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(r"oversight/|json/encoder|django/db/models/query|sqlite3", 28)


def child(*args: str) -> str:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return out.stdout


def _report(result: dict) -> None:
    print(f"  {result['mode']:>14}: {result['events'] / result['seconds']:>9,.0f} events/s "
          f"({result['events'] / result['cpu']:>9,.0f} per CPU s)  "
          f"{result['seconds']:6.1f} s  {result['bytes'] / 1e6:7.1f} MB out  "
          f"peak RSS {result['peak_mb']:5.0f} MB (after start-up "
          f"{result['ready_mb']:.0f} MB)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250x1000,1000x1000",
                        help="TASKSxEVENTS, comma-separated; the first is the baseline's size")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--setup", nargs=3, metavar=("DB", "TASKS", "EVENTS"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--run", nargs=2, metavar=("DB", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--warm", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--profile-db", nargs=2, metavar=("DB", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup(Path(args.setup[0]), int(args.setup[1]), int(args.setup[2]))
        return
    if args.run:
        print(json.dumps(run(Path(args.run[0]), args.run[1])))
        return
    if args.warm:
        print(json.dumps(warm(Path(args.warm))))
        return
    if args.profile_db:
        profile(Path(args.profile_db[0]), args.profile_db[1])
        return
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; target: over 100,000 "
          "events/s, under 256 MB peak RSS at any size")
    results = []

    def measure(db: Path, mode: str, size: str) -> None:
        result = json.loads(child("--run", str(db), mode))
        result["size"] = size
        results.append(result)
        _report(result)

    with tempfile.TemporaryDirectory(prefix="oversight-export-bench-") as tmp:
        for index, (tasks, events) in enumerate(sizes):
            size = f"{tasks}x{events}"
            db = Path(tmp) / f"bench-{size}.sqlite3"
            started = time.perf_counter()
            child("--setup", str(db), str(tasks), str(events))
            print(f"{tasks} tasks x {events} events: database built in "
                  f"{time.perf_counter() - started:.0f} s ({db.stat().st_size / 1e6:.0f} MB)")
            for mode in ["cold", "cold-gzip", "naive"] if index == 0 else ["cold"]:
                measure(db, mode, size)
            if args.profile and index == 0:
                print(child("--profile-db", str(db), "cold"))
            warmed = json.loads(child("--warm", str(db)))
            print(f"  {'warm-up':>14}: signals of {warmed['tasks']} tasks computed and stored "
                  f"in {warmed['seconds']:.1f} s ({warmed['cpu'] / warmed['tasks'] * 1000:.1f} "
                  "CPU ms a task, paid once at submission)", flush=True)
            for mode in ["warm", "warm-gzip"] if index == 0 else ["warm"]:
                measure(db, mode, size)
            if args.profile and index == 0:
                print(child("--profile-db", str(db), "warm"))
    _ratios(results)


def _ratios(results: list[dict]) -> None:
    naive = next((r for r in results if r["mode"] == "naive"), None)
    for mode in ("cold", "warm"):
        runs = [r for r in results if r["mode"] == mode]
        small, large = runs[0], runs[-1]
        print(f"{mode}: peak RSS {large['size']} / {small['size']}: "
              f"{large['peak_mb'] / small['peak_mb']:.2f}x for "
              f"{large['events'] / small['events']:.0f}x the events; events per CPU s "
              f"{small['events'] / small['cpu']:,.0f} and {large['events'] / large['cpu']:,.0f}")
        if naive:
            print(f"  naive / {mode} at {small['size']}: peak RSS "
                  f"{naive['peak_mb'] / small['peak_mb']:.2f}x, CPU time "
                  f"{naive['cpu'] / small['cpu']:.2f}x")
    for mode in ("cold", "warm"):
        runs = [r for r in results if r["mode"] == mode]
        slowest = min(r["events"] / r["cpu"] for r in runs)
        heaviest = max(r["peak_mb"] for r in runs)
        print(f"targets, {mode}: {slowest:,.0f} events per CPU s (want over 100,000): "
              f"{'met' if slowest > 100_000 else 'NOT met'}; peak RSS {heaviest:.0f} MB "
              f"(want under 256): {'met' if heaviest < 256 else 'NOT met'}")


if __name__ == "__main__":
    main()
