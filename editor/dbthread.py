"""One thread for the rooms' database work, so each room's writes keep one connection."""

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.db.utils import InterfaceError, OperationalError

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oversight-rooms-db")


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (OperationalError, InterfaceError):
        # A broken connection (database restarted, network blip) must not stick to the
        # thread: drop it so the next call reconnects, and let the caller see the error.
        connection.close()
        raise


def executor() -> ThreadPoolExecutor:
    """The rooms' database thread (tests close its connection before dropping a database)."""
    return _executor


async def run_db(fn, *args, **kwargs):
    """Run a blocking database function in the rooms' database thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor, functools.partial(_call, fn, *args, **kwargs))


async def close_connection() -> None:
    """Close the rooms' database connection (tests tearing down their database)."""
    # Resolve the connection inside the thread: each thread has its own.
    await run_db(lambda: connection.close())
