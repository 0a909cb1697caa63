"""The rooms' database threads: each room's writes go through one thread, so one connection.

SQLite takes one writer at a time (and a read transaction that upgrades to a write
fails at once rather than waiting while another holds the lock), so on SQLite every
room shares one thread. On PostgreSQL a durable commit waits for the WAL flush
(~1-5 ms): with one thread a process commits one room's batch at a time, so many
quiet rooms (one update per batch) queue behind each other's fsyncs. Several
threads, a room always on the same one (by task id), commit concurrently and the
server flushes their commits together (EDITOR_DB_THREADS, docs/scaling.md).
"""

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.db.utils import InterfaceError, OperationalError

_executors: list[ThreadPoolExecutor] = []


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


def executor(key: int = 0) -> ThreadPoolExecutor:
    """The thread of the room with this key (its task id); the first for everything else."""
    pool = executors()
    return pool[key % len(pool)]


async def run_db(fn, *args, key: int = 0, **kwargs):
    """Run a blocking database function in the rooms' database thread for `key`."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor(key),
                                      functools.partial(_call, fn, *args, **kwargs))


async def close_connection() -> None:
    """Close the rooms' database connections (tests tearing down their database)."""
    for pool in executors():
        # Resolve the connection inside the thread: each thread has its own.
        await asyncio.wrap_future(pool.submit(lambda: connection.close()))


def close_connections_sync() -> None:
    """close_connection for synchronous callers (pytest's database teardown)."""
    for pool in executors():
        pool.submit(lambda: connection.close()).result()
