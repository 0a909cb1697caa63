"""Background jobs: one way to enqueue, one way to drain.

Jobs use Django's Tasks API (the `django-tasks` backport) with `django-tasks-db`'s
database backend by default: a job is a row in the same database as the work that
caused it, so it commits with that work or not at all (nothing is lost between a
commit and an enqueue), and `manage.py db_worker` processes run it. Another backend
(`TASKS_BACKEND`) is enqueued after the commit instead, so a job never runs against
data its cause rolled back.

Define a job with `django_tasks.task` (`@task(queue_name="verifiers")`), enqueue it
with `enqueue(job, ...)`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.crypto import get_random_string
from django_tasks import TaskResult
from django_tasks_db.backend import DatabaseBackend


def enqueue(job, *args, **kwargs) -> TaskResult | None:
    """Enqueue `job(*args, **kwargs)` to run only if the current transaction commits.

    Returns the job's result handle on the database backend (the row is written in the
    caller's transaction), None on other backends (enqueued at commit).
    """
    if isinstance(job.get_backend(), DatabaseBackend):
        return job.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: job.enqueue(*args, **kwargs))
    return None


def run_pending_jobs(*, queues: tuple[str, ...] = ("*",), limit: int | None = None) -> int:
    """Run the database backend's ready jobs in this process, in order; return how many ran.

    For tests and for commands that must finish their jobs before returning
    (e.g. `seed_demo`); servers use `manage.py db_worker` instead.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=list(queues), interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=limit, worker_id=get_random_string(32),
                    excluded_queue_names=[])
    ran = 0
    while limit is None or ran < limit:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        if "*" not in queues:
            ready = ready.filter(queue_name__in=queues)
        with transaction.atomic():
            job = ready.get_locked()
            if job is None:
                return ran
            job.claim(worker.worker_id)
        worker.run_task(job)
        ran += 1
    return ran
