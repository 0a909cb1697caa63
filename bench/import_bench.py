"""Time `manage.py import_tasks` against the naive per-row import, each on a fresh SQLite file.

Usage (from the repository root):

    .venv/bin/python bench/import_bench.py [--tasks 10000] [--draft-bytes 2048]

Writes N JSONL tasks with ~2 KB drafts to a temporary folder, migrates two fresh
SQLite databases (DATABASE_URL points each run at its own file), then times:

- bulk:  `manage.py import_tasks FILE --project bench` (the whole process, as a user runs it);
- naive: the same rows, one Task.objects.create + Draft.objects.create each, in one
  transaction (this script re-run with --naive, so both pay the same start-up).

Prints tasks/s for each, whole process and net of Django's start-up, and the ratios.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench"
WORDS = ("the model draft explains why light scatters and how a writer improves each "
         "sentence so that the final text serves the reader 東京 café 👩‍🔬").split()


def write_tasks(path: Path, count: int, draft_bytes: int) -> None:
    rng = random.Random(42)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            draft, length = [], 0
            while length < draft_bytes:
                draft.append(rng.choice(WORDS))
                length += len(draft[-1]) + 1
            record = {"external_id": f"bench-{i:06d}", "prompt": f"Explain topic {i} simply.",
                      "draft": {"text": " ".join(draft), "model": "llama-3.1-8b-instruct",
                                "params": {"temperature": 0.7}},
                      "metadata": {"batch": i // 1000}}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def fresh_database(folder: Path, name: str) -> dict:
    """Return an environment whose DATABASE_URL is a newly migrated SQLite file with the project."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / name}.sqlite3",
           "OVERSIGHT_VAR_DIR": str(folder), "LOG_LEVEL": "WARNING"}
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    create = ("from oversight.workspace.models import Project; "
              f"Project.objects.create(slug='{SLUG}', name='Bench')")
    subprocess.run([py, "manage.py", "shell", "-v0", "-c", create], cwd=ROOT, env=env, check=True)
    return env


def timed(cmd: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def count_tasks(env: dict) -> int:
    code = ("from oversight.workspace.models import Draft; "
            f"print(Draft.objects.filter(task__project__slug='{SLUG}').count())")
    out = subprocess.run([sys.executable, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT,
                         env=env, check=True, capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1])


def naive_import(path: str) -> None:
    """Import the file the obvious way: parse each line, create its task and draft."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    import django

    django.setup()
    from django.db import transaction

    from oversight.workspace.models import Draft, Project, Task

    project = Project.objects.get(slug=SLUG)
    with open(path, encoding="utf-8") as lines, transaction.atomic():
        for line in lines:
            row = json.loads(line)
            task = Task.objects.create(project=project, external_id=row["external_id"],
                                       prompt=row["prompt"], metadata=row["metadata"])
            Draft.objects.create(task=task, text=row["draft"]["text"],
                                 model=row["draft"]["model"], params=row["draft"]["params"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--draft-bytes", type=int, default=2048)
    parser.add_argument("--naive", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.naive:
        naive_import(args.naive)
        return
    with tempfile.TemporaryDirectory(prefix="oversight-import-bench-") as tmp:
        folder = Path(tmp)
        tasks = folder / "tasks.jsonl"
        write_tasks(tasks, args.tasks, args.draft_bytes)
        size_mb = tasks.stat().st_size / 1e6
        print(f"{args.tasks} tasks, {size_mb:.1f} MB of JSONL, SQLite {folder}")
        empty = folder / "empty.jsonl"
        empty.touch()
        # Both runs pay Django's start-up; time it alone so the import itself can be read off.
        startup = timed([sys.executable, "manage.py", "import_tasks", str(empty), "--project",
                         SLUG], fresh_database(folder, "startup"))
        print(f"start-up alone (import of an empty file): {startup:.2f} s")
        results = {}
        for name, cmd in (
            ("bulk", [sys.executable, "manage.py", "import_tasks", str(tasks), "--project", SLUG]),
            ("naive", [sys.executable, str(Path(__file__).resolve()), "--naive", str(tasks)]),
        ):
            env = fresh_database(folder, name)
            seconds = timed(cmd, env)
            stored = count_tasks(env)
            assert stored == args.tasks, f"{name}: {stored} drafts stored, not {args.tasks}"
            results[name] = seconds
            net = seconds - startup
            print(f"{name:>5}: {seconds:6.2f} s  {args.tasks / seconds:8.0f} tasks/s whole process;"
                  f"  {net:6.2f} s  {args.tasks / net:8.0f} tasks/s net of start-up"
                  f"  ({stored} tasks stored)")
        bulk, naive = results["bulk"], results["naive"]
        print(f"naive / bulk: {naive / bulk:.2f}x whole process, "
              f"{(naive - startup) / (bulk - startup):.2f}x net of start-up")


if __name__ == "__main__":
    main()
