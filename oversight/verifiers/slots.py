"""Bound the sandboxes running at once on one host, across worker processes.

Each run holds one of `VERIFIERS["CONCURRENCY"]` lock files (flock) while its sandbox
runs; further runs wait for a slot, so adding workers adds throughput only up to the
cores set aside for tests, and the editor keeps the rest.
"""

import fcntl
import os
import time
from contextlib import contextmanager

from django.conf import settings

POLL_S = 0.05


def _slot_paths() -> list[str]:
    directory = settings.VAR_DIR / "verifier-slots"
    directory.mkdir(parents=True, exist_ok=True)
    return [str(directory / f"slot-{n}.lock") for n in range(settings.VERIFIERS["CONCURRENCY"])]


@contextmanager
def sandbox_slot():
    """Hold one free slot for the duration of the block, waiting for one if need be."""
    paths = _slot_paths()
    while True:
        for path in paths:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield path
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
            return
        time.sleep(POLL_S)
