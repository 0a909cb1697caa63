"""Lists at scale: the task list, the review queue and the writers' dashboard at 100k tasks.

Usage: DATABASE_URL=postgres://…/h8 .venv/bin/python bench/lists_bench.py
       [--tasks 100000] [--writers 1000] [--events 3] [--repeat 3] [--regenerate]
       [--only lists|home|writers|…] [--queue]

1. Generates one project (slug `scale`) with --writers writers, one lead and --tasks
   tasks, each with a draft, --events edit events, an assignee and (nine in ten) a
   submitted final whose quality signals are stored as submission stores them; a third
   of the finals have a review, one in twenty a claim. Rows go in with bulk_create in
   large batches, then the writers' dashboard summaries are computed. An existing
   `scale` project of the right size is reused (re-timing costs seconds, not the
   ~100-250 s of generating); --regenerate forces a new one.
2. Measures each page's server time (Django test client, in process, best of --repeat)
   and its number of SQL queries: the review queue with every sort in both directions
   and every filter, the writers' dashboard (both sorts, a late page), the home page's
   project table (first and a late page) and the task list API (first page, each status
   filter), the home page and task list also as a writer.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from oversight.review.metrics import signal_columns, store_signals, trace_state_key  # noqa: E402
from oversight.review.models import Claim, Review, TaskSignals  # noqa: E402
from oversight.review.selectors import FLAG_LABELS, SORTS, STATUS_FILTERS  # noqa: E402
from oversight.review.writer_summary import refresh_project  # noqa: E402
from oversight.traces.models import EditEvent, Submission  # noqa: E402
from oversight.workspace import status as task_status  # noqa: E402
from oversight.workspace.models import Draft, Membership, Project, Task  # noqa: E402

SLUG = "scale"
BATCH = 5000
DRAFT = "The model's draft of an answer, long enough to be a paragraph. " * 4


def _bulk(model, rows):
    model.objects.bulk_create(rows, batch_size=BATCH)


def generate(tasks: int, writers: int, events: int) -> Project:
    rng = random.Random(16)
    started = time.perf_counter()
    Project.objects.filter(slug=SLUG).delete()
    User.objects.filter(username__startswith="scale-").delete()
    project = Project.objects.create(name="Scale", slug=SLUG, rubric=[
        {"key": "accuracy", "name": "Accuracy", "question": "Is it right?"}])
    lead = User.objects.create_user("scale-lead", password="scale-lead-1")
    Membership.objects.create(user=lead, project=project, role=Membership.LEAD)
    _bulk(User, [User(username=f"scale-w{i:04d}", password="!") for i in range(writers)])
    people = list(User.objects.filter(username__startswith="scale-w").order_by("username"))
    _bulk(Membership, [Membership(user=u, project=project, role=Membership.WRITER)
                       for u in people])
    # Real signals of one small real task, varied per task below.
    template = Task.objects.create(project=project, external_id="template", prompt="p",
                                   status="submitted")
    Draft.objects.create(task=template, text=DRAFT)
    base_ms = int(time.time() * 1000) - 86_400_000
    _bulk(EditEvent, [EditEvent(task=template, seq=s, author=people[0], server_ms=base_ms + s,
                                inferred_kind="typed", ops=[{"retain": s}, {"insert": "x"}])
                      for s in range(1, events + 1)])
    Submission.objects.create(task=template, round=1, text=DRAFT, sha256="0" * 64,
                              submitted_by=people[0], events=events)
    signals = store_signals(template)  # as its submission would
    with transaction.atomic():
        _bulk(Task, [Task(project=project, external_id=f"t{i:06d}", prompt=f"Prompt {i}",
                          status=rng.choice(["submitted"] * 6 + ["approved", "rejected",
                                                                 "changes_requested",
                                                                 "in_progress"]))
                     for i in range(tasks - 1)])
    all_tasks = list(Task.objects.filter(project=project).exclude(pk=template.pk)
                     .select_related("project").order_by("id"))
    _bulk(Draft, [Draft(task=t, text=DRAFT) for t in all_tasks])
    through = Task.assignees.through
    _bulk(through, [through(task_id=t.pk, user_id=people[i % writers].pk)
                    for i, t in enumerate(all_tasks)])
    print(f"tasks, drafts, assignees: {time.perf_counter() - started:.0f} s", flush=True)
    _bulk(EditEvent, [EditEvent(task=t, seq=s, author=people[i % writers],
                                server_ms=base_ms + s * 900, inferred_kind="typed",
                                ops=[{"retain": s}, {"insert": "x"}])
                      for i, t in enumerate(all_tasks) for s in range(1, events + 1)])
    print(f"events: {time.perf_counter() - started:.0f} s", flush=True)
    finals = [(i, t) for i, t in enumerate(all_tasks) if t.status != "in_progress"]
    _bulk(Submission, [Submission(task=t, round=1, text=DRAFT, sha256="0" * 64,
                                  submitted_by=people[i % writers], events=events)
                       for i, t in finals])
    # Spread the finals over 12 weeks (auto_now_add stamped them all now).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE traces_submission SET submitted_at = submitted_at - "
                       "(task_id %% 84) * interval '1 day' WHERE task_id IN "
                       "(SELECT id FROM workspace_task WHERE project_id = %s)", [project.pk])
    submission_ids = dict(Submission.objects.filter(task__project=project)
                          .values_list("task_id", "id"))
    flags = list(FLAG_LABELS)
    rows = []
    for i, t in finals:
        metrics = {**signals, "changed_fraction": rng.random(), "paste_share": rng.random(),
                   "active_seconds": rng.randint(10, 4000), "notes": rng.randint(0, 9),
                   "flags": rng.sample(flags, rng.choice([0, 0, 0, 1, 2]))}
        key = trace_state_key(t, last_seq=events, live_notes=0,
                              submission_id=submission_ids[t.pk])
        final = SimpleNamespace(project_id=project.pk, submission_id=submission_ids[t.pk],
                                submitted_by_id=people[i % writers].pk, submitted_at=None)
        rows.append(TaskSignals(task=t, key=key, metrics=metrics,
                                **signal_columns(final, metrics, None)))
    _bulk(TaskSignals, rows)
    with connection.cursor() as cursor:  # the finals' times, as stored with their signals
        cursor.execute("UPDATE review_tasksignals s SET submitted_at = f.submitted_at FROM "
                       "traces_submission f WHERE f.id = s.submission_id AND s.project_id = %s",
                       [project.pk])
    _bulk(Review, [Review(task=t, reviewer=lead, round=1, scores={"accuracy": 1 + i % 5},
                          verdict=rng.choice(["approve", "reject", "request_changes"]))
                   for i, t in finals if i % 3 == 0])
    _bulk(Claim, [Claim(task=t, reviewer=lead) for i, t in finals if i % 20 == 0])
    refresh_project(project)  # bulk_create went behind the services that keep them
    print(f"generated {tasks} tasks, {writers} writers (and their dashboard summaries) in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return project


def measure(client: Client, url: str, repeat: int) -> tuple[float, int, int]:
    """Return (best server ms, queries, status) of GET url."""
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        best = elapsed if best is None else min(best, elapsed)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return best, len(queries), response.status_code


def urls(project: Project) -> list[str]:
    base = f"/review/{project.slug}/"
    writer = Submission.objects.filter(task__project=project).values_list(
        "submitted_by__username", flat=True).first()
    api = f"/api/tasks/?project={project.slug}"
    pages = ["/", f"/?project={project.slug}&page=1000", api]
    pages += [f"{api}&status={key}" for key, _ in task_status.CHOICES]
    pages += ["/api/tasks/?status=submitted", f"{api}&status=approved&assigned=me", base]
    pages += [f"{base}?sort={key}&dir={d}" for key in SORTS for d in ("asc", "desc")]
    pages += [f"{base}?status={key}" for key, _ in STATUS_FILTERS]
    pages += [f"{base}?writer={writer}", f"{base}?flag=paste_heavy",
              f"{base}?flag=paste_heavy&writer={writer}&sort=risk&dir=desc",
              f"{base}?page=2", f"{base}?sort=risk&dir=desc&page=200",
              f"{base}?sort=changed&dir=desc&page=1000"]
    return pages + [f"/review/{project.slug}/writers/",
                    f"/review/{project.slug}/writers/?sort=trust",
                    f"/review/{project.slug}/writers/?sort=trust&page=20"]


def wanted(url: str, only: str) -> bool:
    """`--only`: comma-separated parts of URLs; `home` is the home page, `lists` the pages
    of the task list, home page and dashboard (not the review queue)."""
    for part in filter(None, only.split(",")):
        if part == "home" and url.split("?")[0] == "/":
            return True
        if part == "lists" and (url.split("?")[0] == "/" or "/api/tasks/" in url
                                or "/writers/" in url):
            return True
        if part not in ("home", "lists") and part in url:
            return True
    return not only


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--writers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--only", default="", help="measure only URLs containing one of these "
                        "comma-separated parts (`home`: the home page; `lists`: task list, "
                        "home page and writers' dashboard)")
    parser.add_argument("--queue", action="store_true", help="measure only the review queue")
    args = parser.parse_args()
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.2f} (2 cores)")
    project = Project.objects.filter(slug=SLUG).first()
    if (args.regenerate or project is None
            or Task.objects.filter(project=project).count() != args.tasks):
        project = generate(args.tasks, args.writers, args.events)
    else:  # reused: re-time without regenerating (the template's signals, as submitted)
        store_signals(Task.objects.get(project=project, external_id="template"))
    client = Client()
    client.force_login(User.objects.get(username="scale-lead"))
    worst = 0.0
    writer = Client()
    writer.force_login(User.objects.get(username="scale-w0003"))
    for url in urls(project):
        if not wanted(url, args.only):
            continue
        if args.queue and (not url.startswith(f"/review/{SLUG}/") or "/writers/" in url):
            continue
        ms, queries, status = measure(client, url, args.repeat)
        worst = max(worst, ms)
        print(f"{ms:8.0f} ms {queries:4d} queries  {status}  {url}", flush=True)
        if url.split("?")[0] in ("/", "/api/tasks/") and "page=" not in url:
            ms, queries, status = measure(writer, url, args.repeat)
            worst = max(worst, ms)
            print(f"{ms:8.0f} ms {queries:4d} queries  {status}  {url}  (as a writer)",
                  flush=True)
    print(f"slowest: {worst:.0f} ms; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
