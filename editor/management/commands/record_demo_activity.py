"""manage.py record_demo_activity: record the demo's editing work through the real room."""

import time

from django.core.management.base import BaseCommand, CommandError

from oversight.traces.models import EditEvent
from oversight.workspace.models import Task


class Command(BaseCommand):
    help = ("Record realistic demo work (typing, pauses, pastes, notes, submissions, reviews) "
            "through the real editor room. Runs once: demo tasks with edits are left alone.")

    def handle(self, *args, **options):
        from editor.demo_script import record_demo_activity

        demo = Task.objects.filter(project__slug__in=["explain", "pyfuncs"])
        if not demo.exists():
            raise CommandError("No demo tasks: run `manage.py seed_demo --no-activity` first.")
        if EditEvent.objects.filter(task__in=demo).exists():
            self.stdout.write("demo activity: already recorded, nothing to do")
            return
        started = time.monotonic()
        for line in record_demo_activity():
            self.stdout.write(f"demo activity: {line}")
        self.stdout.write(f"demo activity recorded in {time.monotonic() - started:.1f}s")
