"""The rooms' database threads: each room's writes go through one thread, so one connection.

SQLite takes one writer at a time (and a read transaction that upgrades to a write
fails at once rather than waiting while another holds the lock), so on SQLite every
room shares one thread. On PostgreSQL a durable commit waits for the WAL flush
(~1-5 ms): with one thread a process commits one room's batch at a time, so many
quiet rooms (one update per batch) queue behind each other's fsyncs. Several
threads, a room always on the same one (by task id), commit concurrently and the
server flushes their commits together (EDITOR_DB_THREADS, docs/scaling.md).

Admission (a connecting socket's token, task and membership queries, and the
periodic re-check of its write right) only reads, so it runs on a pool of its own
(EDITOR_ADMISSION_THREADS, 4 by default, on SQLite too: WAL readers do not block),
each thread keeping its connection. Not in asgiref's one synchronous thread, where
a few hundred sockets connecting at once (a worker restart) queued behind each other
for longer than clients wait for their first sync (docs/benchmarks.md, "the
connection storm"); not in the rooms' threads, where it would queue behind commits.
"""

import asyncio
import functools
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.db.utils import InterfaceError, OperationalError

_executors: list[ThreadPoolExecutor] = []
_admission: list[ThreadPoolExecutor] = []
_recorder: ThreadPoolExecutor | None = None


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (OperationalError, InterfaceError):
        # A broken connection (database restarted, network blip) must not stick to the
        # thread: drop it so the next call reconnects, and let the caller see the error.
        connection.close()
        raise


def thread_count() -> int:
    from django.conf import settings

    configured = settings.EDITOR.get("DB_THREADS", 0)
    if connection.vendor == "sqlite":
        return 1
    return max(1, configured or 8)


def executors() -> list[ThreadPoolExecutor]:
    """The rooms' database threads, started on first use."""
    if not _executors:
        _executors.extend(ThreadPoolExecutor(max_workers=1,
                                             thread_name_prefix=f"oversight-rooms-db-{i}")
                          for i in range(thread_count()))
    return _executors


def recorder_executor() -> ThreadPoolExecutor:
    """The recorder's thread (editor/record_runs.py): its own connection, never a room's."""
    global _recorder
    if _recorder is None:
        _recorder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oversight-recorder")
    return _recorder


def executor(key: int = 0) -> ThreadPoolExecutor:
    """The thread of the room with this key (its task id); the first for everything else."""
    pool = executors()
    return pool[key % len(pool)]


async def run_db(fn, *args, key: int = 0, **kwargs):
    """Run a blocking database function in the rooms' database thread for `key`."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor(key),
                                      functools.partial(_call, fn, *args, **kwargs))


def admission_threads() -> int:
    from django.conf import settings

    return max(1, settings.EDITOR.get("ADMISSION_THREADS", 0) or 4)


def admission_executor() -> ThreadPoolExecutor:
    """The admission pool, started on first use (its threads only read)."""
    if not _admission:
        _admission.append(ThreadPoolExecutor(max_workers=admission_threads(),
                                             thread_name_prefix="oversight-admission"))
    return _admission[0]


async def run_admission(fn, *args, **kwargs):
    """Run a blocking, read-only database function on the admission pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(admission_executor(),
                                      functools.partial(_call, fn, *args, **kwargs))


def _each_thread(pool: ThreadPoolExecutor, threads: int):
    """Run connection.close() once in every thread of the pool (a barrier holds each one)."""
    barrier = threading.Barrier(threads)

    def close():
        connection.close()
        try:
            barrier.wait(timeout=10)  # keep this thread busy until every thread closed
        except threading.BrokenBarrierError:
            pass

    return [pool.submit(close) for _ in range(threads)]


def _closing_futures():
    pools = executors() + ([_recorder] if _recorder is not None else [])
    futures = [pool.submit(lambda: connection.close()) for pool in pools]
    if _admission:
        futures += _each_thread(_admission[0], admission_threads())
    return futures


async def close_connection() -> None:
    """Close the rooms' and admission's database connections (tests tearing down)."""
    # Resolved inside each thread: each thread has its own connection.
    for future in _closing_futures():
        await asyncio.wrap_future(future)


def close_connections_sync() -> None:
    """close_connection for synchronous callers (pytest's database teardown)."""
    for future in _closing_futures():
        future.result()
