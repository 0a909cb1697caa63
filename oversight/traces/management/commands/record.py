"""`manage.py record`: follow every document's stored update log and record its edit events.

With EDITOR_RECORDER=process the rooms only store and relay updates; this process
(started by `manage.py serve` as its child, or run on its own, as many times as
wanted: recording is idempotent and each document's counter row decides who wrote
what) derives the events and checkpoints. It polls the documents whose log is ahead
of their events (a partial index holds only those) and catches each one up.
"""

import logging
import os
import signal
import threading
import time

from django.core.management.base import BaseCommand
from django.db import connection

from oversight.traces import log as tracelog

log = logging.getLogger("oversight.traces")


class Command(BaseCommand):
    help = "Record edit events from the stored update logs (EDITOR_RECORDER=process)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.05,
                            help="seconds between looks when nothing is behind")
        parser.add_argument("--once", action="store_true",
                            help="catch every document up, then exit")
        parser.add_argument("--parent", type=int, default=0, metavar="PID",
                            help="exit when this process (the server that started it) is gone")

    def handle(self, *args, interval: float, once: bool, parent: int, **options):
        stopping, failed = [], set()
        if threading.current_thread() is threading.main_thread():  # not when called in a test
            signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        # A server killed outright cannot stop its child: the child sees itself re-parented.
        while not stopping and (not parent or os.getppid() == parent):
            behind = [t for t in tracelog.unrecorded_tasks() if t not in failed]
            for task_id in behind:
                try:
                    tracelog.record(task_id)
                except tracelog.RecordingFailed:
                    failed.add(task_id)  # logged; the update stays, submission refuses it
                except Exception:
                    log.exception("recording task %s failed; retrying", task_id)
                    connection.close()
            if once and not behind:
                return
            if not behind:
                time.sleep(interval)
