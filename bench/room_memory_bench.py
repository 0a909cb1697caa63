"""Memory per open room: load N rooms of a realistic document and measure RSS per room.

Usage: .venv/bin/python bench/room_memory_bench.py [--rooms 200] [--chars 8000] [--edits 2000]

Baseline in the same run: a bare pycrdt Doc holding the same text and history,
so the ratio shows what the room adds (recorder text, awareness, queues).
"""

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def history(chars: int, edits: int) -> list[str]:
    """A document built by `edits` insertions, like a writer's session."""
    words = ("model draft improve expert trace careful revise explain 数据 👍🏽 ").split()
    chunk = max(1, chars // edits)
    return [(words[i % len(words)] + " ")[:chunk] for i in range(edits)]


async def measure_rooms(n: int, chars: int, edits: int) -> float:
    from pycrdt import Doc, Text

    from editor import rooms
    from oversight.traces.log import store
    from oversight.workspace.models import Draft, Project, Task

    project = await asyncio.to_thread(Project.objects.create, name="M", slug="m")
    doc_ids = []
    for i in range(n):
        task = await asyncio.to_thread(Task.objects.create, project=project, external_id=f"m{i}",
                                       prompt="p")
        await asyncio.to_thread(Draft.objects.create, task=task, text="")
        await asyncio.to_thread(store.ensure_seeded, task.pk)
        doc = Doc()
        text = doc.get(store.TEXT_NAME, type=Text)
        for piece in history(chars, edits):
            text += piece
        await asyncio.to_thread(store.save_snapshot, task.pk, 1, doc.get_update())
        doc_ids.append((task.pk, str(task.doc_id)))
    gc.collect()
    before = rss_kib()
    for task_id, doc_id in doc_ids:
        await rooms.get_room(task_id, doc_id)
    gc.collect()
    return (rss_kib() - before) / n


def measure_docs(n: int, chars: int, edits: int) -> float:
    from pycrdt import Doc, Text

    gc.collect()
    before = rss_kib()
    docs = []
    for _ in range(n):
        doc = Doc()
        text = doc.get("codemirror", type=Text)
        for piece in history(chars, edits):
            text += piece
        docs.append(doc)
    gc.collect()
    return (rss_kib() - before) / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", type=int, default=200)
    parser.add_argument("--chars", type=int, default=8000)
    parser.add_argument("--edits", type=int, default=2000)
    parser.add_argument("--child", choices=["rooms", "docs"])
    args = parser.parse_args()
    if args.child == "rooms":
        import django

        django.setup()
        print(asyncio.run(measure_rooms(args.rooms, args.chars, args.edits)))
        return
    if args.child == "docs":
        print(measure_docs(args.rooms, args.chars, args.edits))
        return
    tmp = tempfile.mkdtemp()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oversight.settings", "DEBUG": "false",
           "SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/m.sqlite3",
           "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    common = ["--rooms", str(args.rooms), "--chars", str(args.chars), "--edits", str(args.edits)]
    room_kib = float(subprocess.run([sys.executable, __file__, "--child", "rooms", *common],
                                    env=env, capture_output=True, text=True, check=True).stdout)
    doc_kib = float(subprocess.run([sys.executable, __file__, "--child", "docs", *common],
                                   env=env, capture_output=True, text=True, check=True).stdout)
    print(f"{args.rooms} rooms, {args.chars} chars written in {args.edits} edits each")
    print(f"open room:        {room_kib:8.1f} KiB")
    print(f"bare pycrdt Doc:  {doc_kib:8.1f} KiB  (baseline)")
    print(f"ratio room/doc:   {room_kib / max(doc_kib, 0.1):8.2f}")


if __name__ == "__main__":
    main()
