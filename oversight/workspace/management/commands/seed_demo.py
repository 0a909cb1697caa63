"""manage.py seed_demo: create the demo projects, users and tasks; safe to run again."""

import os

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from oversight.workspace.demo_content import (
    DEMO_MEMBERS,
    DEMO_PROJECTS,
    DEMO_SUPERUSER,
    demo_password,
)
from oversight.workspace.importer import ImportErrors, import_tasks, parse_records
from oversight.workspace.models import Membership, Project

PROJECT_FIELDS = ("name", "kind", "language", "instructions", "rubric", "gold_rate")


def model_features() -> dict:
    """Switch the demo's model features on when a model provider is configured.

    With DRAFT_PROVIDER_BASE_URL set, the judge critiques submissions and writers get
    model help; without it (a laptop with no model server) both stay off, so the demo
    shows no "critique unavailable" states.
    """
    configured = bool(os.environ.get("DRAFT_PROVIDER_BASE_URL", "").strip())
    return {"ai_critique": configured,
            "model_help": Project.MODEL_HELP_ALL if configured else Project.MODEL_HELP_OFF}


def _user(username: str, *, superuser: bool = False) -> tuple[object, bool]:
    """Return the user, creating it with its demo password; an existing one is left as it is."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    make = User.objects.create_superuser if superuser else User.objects.create_user
    return make(username=username, password=demo_password(username)), True


class Command(BaseCommand):
    help = "Create the demo projects, users and tasks. Existing ones are never changed."

    def add_arguments(self, parser):
        parser.add_argument("--no-activity", action="store_true",
                            help="Leave every task untouched (no recorded demo work).")

    def handle(self, *args, **options):
        """Create whatever part of the demo is missing, then print the demo logins."""
        with transaction.atomic():
            users = {name: _user(name)[0] for name, _ in DEMO_MEMBERS}
            _user(DEMO_SUPERUSER, superuser=True)
            for spec in DEMO_PROJECTS:
                self._seed_project(spec, users)
        if not options["no_activity"]:
            # Recorded through the editor's real room, which lives above this layer:
            # called by name (editor/management/commands/record_demo_activity.py).
            call_command("record_demo_activity", stdout=self.stdout)
            # The finished experiment (oversight/experiments, above this layer), by name too.
            call_command("seed_demo_experiment", stdout=self.stdout)
            # The demo back-dates rounds behind the services: the writers' dashboard
            # summaries (oversight/review, above this layer) are recomputed by name.
            call_command("refresh_writer_summaries", stdout=self.stdout)
        self._print_logins()

    def _seed_project(self, spec: dict, users: dict) -> None:
        fields = {name: spec[name] for name in PROJECT_FIELDS if name in spec}
        project, created = Project.objects.get_or_create(
            slug=spec["slug"], defaults={**fields, **model_features()})
        for username, role in DEMO_MEMBERS:
            # A lead may have changed a demo user's role since: keep their choice.
            Membership.objects.get_or_create(user=users[username], project=project,
                                             defaults={"role": role})
        try:
            rows = parse_records(enumerate(spec["tasks"], start=1), label="demo task")
            result = import_tasks(project=project, rows=rows, label="demo task")
        except ImportErrors as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        state = "created" if created else "exists"
        self.stdout.write(f"{project.slug} ({state}): {result.created} task(s) created, "
                          f"{len(result.skipped)} already there")

    def _print_logins(self) -> None:
        rows = [(name, demo_password(name), f"{role} in both projects")
                for name, role in DEMO_MEMBERS]
        rows.append((DEMO_SUPERUSER, demo_password(DEMO_SUPERUSER), "superuser"))
        self.stdout.write("\nDemo logins (a password changed since seeding stays changed):")
        self.stdout.write(f"  {'user':<10} {'password':<16} role")
        for name, password, role in rows:
            self.stdout.write(f"  {name:<10} {password:<16} {role}")
