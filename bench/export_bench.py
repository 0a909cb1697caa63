"""Export throughput and peak memory: the streaming export against a naive in-memory one.

Usage (from the repository root):

    .venv/bin/python bench/export_bench.py [--sizes 250x1000,1000x1000] [--profile]
        [--changed-share dmp|bitparallel]

For each size TASKSxEVENTS a fresh SQLite file is filled (bulk_create) with approved
tasks: a ~2 KB draft, EVENTS edit events (typing, deletions, pastes), two notes, a
submission and a review. Then, each in its own subprocess so peak RSS is per run:

- streaming: `export_chunks` (the generator behind GET /api/export/ and the command),
  trajectory format, written to /dev/null; also with gzip for the smallest size;
- naive (smallest size only): every `trajectory_record` in a list, then one json.dumps.

Prints events/s (wall clock, and per CPU second: the machine may be shared) and peak RSS
(ru_maxrss) per run, and the ratios. --profile adds a cProfile of the streaming export
of the smallest size.

`--changed-share bitparallel` is a what-if, not the shipped code: it swaps the quality
signal's diff-match-patch Levenshtein (pure Python, O(N·D), ~1 s per heavily edited 2 KB
task) for the bit-parallel one below, the change proposed for oversight.core.signals.
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


def levenshtein_bitparallel(a: str, b: str) -> int:
    """Return the Levenshtein distance of a and b (Hyyrö's bit-vector algorithm, big ints)."""
    if len(a) > len(b):
        a, b = b, a
    if not a:
        return len(b)
    mask, last = (1 << len(a)) - 1, 1 << (len(a) - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(a):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score = mask, 0, len(a)
    for char in b:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def _use_changed_share(kind: str) -> None:
    if kind == "bitparallel":
        from oversight.core import signals

        signals.changed_share = lambda draft, final: (
            levenshtein_bitparallel(draft, final) / max(1, len(draft)))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def run(db: Path, mode: str, changed_share: str = "dmp") -> dict:
    """Export the bench project in `mode`; return seconds, bytes and peak RSS."""
    _django(db)
    _use_changed_share(changed_share)
    from oversight.api.export import export_chunks
    from oversight.api.export_selectors import ExportFilters
    from oversight.api.records import trajectory_record
    from oversight.traces.models import EditEvent
    from oversight.workspace.models import Project, Task

    project = Project.objects.get(slug=SLUG)
    events = EditEvent.objects.count()
    ready_mb = _rss_mb()
    started, cpu = time.perf_counter(), _cpu_seconds()
    written = 0
    with open(os.devnull, "wb") as out:
        if mode == "naive":
            tasks = Task.objects.filter(project=project).select_related("project", "draft")
            records = [trajectory_record(t) for t in tasks.order_by("id")]
            data = json.dumps(records, ensure_ascii=False).encode("utf-8")
            written = out.write(data)
        else:
            for chunk in export_chunks(projects=[project], fmt="trajectory",
                                       filters=ExportFilters(), gzip=mode == "gzip"):
                written += out.write(chunk)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {"mode": mode, "events": events, "seconds": seconds, "cpu": cpu, "bytes": written,
            "ready_mb": ready_mb, "peak_mb": _rss_mb()}


def profile(db: Path, changed_share: str) -> None:
    """Print where the streaming export spends its time (cProfile, cumulative, our code)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    result = run(db, "streaming", changed_share)
    profiler.disable()
    print(f"profiled: {result['events'] / result['seconds']:,.0f} events/s under cProfile")
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(r"oversight/|diff_match_patch|json/encoder|levenshtein", 24)


def child(*args: str) -> str:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250x1000,1000x1000",
                        help="TASKSxEVENTS, comma-separated; the first is the baseline's size")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--changed-share", choices=("dmp", "bitparallel"), default="dmp",
                        help="the quality signal's Levenshtein: as shipped, or the proposal")
    parser.add_argument("--setup", nargs=3, metavar=("DB", "TASKS", "EVENTS"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--run", nargs=2, metavar=("DB", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--profile-db", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup(Path(args.setup[0]), int(args.setup[1]), int(args.setup[2]))
        return
    if args.run:
        print(json.dumps(run(Path(args.run[0]), args.run[1], args.changed_share)))
        return
    if args.profile_db:
        profile(Path(args.profile_db), args.changed_share)
        return
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    print(f"changed_share: {args.changed_share}; target: over 100,000 events/s, "
          "under 256 MB peak RSS at any size")
    results = []
    with tempfile.TemporaryDirectory(prefix="oversight-export-bench-") as tmp:
        for index, (tasks, events) in enumerate(sizes):
            db = Path(tmp) / f"bench-{tasks}x{events}.sqlite3"
            started = time.perf_counter()
            child("--setup", str(db), str(tasks), str(events))
            print(f"{tasks} tasks x {events} events: database built in "
                  f"{time.perf_counter() - started:.0f} s ({db.stat().st_size / 1e6:.0f} MB)")
            modes = ["streaming", "gzip", "naive"] if index == 0 else ["streaming"]
            for mode in modes:
                result = json.loads(child("--run", str(db), mode,
                                          "--changed-share", args.changed_share))
                result["size"] = f"{tasks}x{events}"
                results.append(result)
                print(f"  {mode:>9}: {result['events'] / result['seconds']:>9,.0f} events/s "
                      f"({result['events'] / result['cpu']:,.0f} per CPU s)  "
                      f"{result['seconds']:6.1f} s  {result['bytes'] / 1e6:7.1f} MB out  "
                      f"peak RSS {result['peak_mb']:6.0f} MB (after start-up "
                      f"{result['ready_mb']:.0f} MB)", flush=True)
            if args.profile and index == 0:
                print(child("--profile-db", str(db), "--changed-share", args.changed_share))
    _ratios(results)


def _ratios(results: list[dict]) -> None:
    streaming = [r for r in results if r["mode"] == "streaming"]
    naive = next((r for r in results if r["mode"] == "naive"), None)
    small, large = streaming[0], streaming[-1]
    print(f"streaming peak RSS, {large['size']} / {small['size']}: "
          f"{large['peak_mb'] / small['peak_mb']:.2f}x, "
          f"for {large['events'] / small['events']:.0f}x the events")
    if naive:
        print(f"naive / streaming at {small['size']}: peak RSS "
              f"{naive['peak_mb'] / small['peak_mb']:.2f}x, CPU time "
              f"{naive['cpu'] / small['cpu']:.2f}x")
    slowest = min(r["events"] / r["cpu"] for r in streaming)
    heaviest = max(r["peak_mb"] for r in streaming)
    print(f"targets: {slowest:,.0f} events per CPU s (want over 100,000): "
          f"{'met' if slowest > 100_000 else 'NOT met'}; peak RSS {heaviest:.0f} MB "
          f"(want under 256): {'met' if heaviest < 256 else 'NOT met'}")


if __name__ == "__main__":
    main()
