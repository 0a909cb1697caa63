"""manage.py import_trajectories FILE --project SLUG: recorded trajectories into a project."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from oversight.review.writer_summary import refresh_imported
from oversight.traces.importing import trajectories_import
from oversight.workspace.importer import ImportErrors, split_jsonl
from oversight.workspace.models import Project

NO_SUCH_PROJECT = "No project with slug '{slug}'."
CANNOT_READ = "Cannot read {name}: {reason}"
FAILED = "{count} error(s); nothing was imported:\n{errors}"
DONE = "Imported {count} trajectory record(s) into {slug}."


class Command(BaseCommand):
    help = ("Import oversight.trajectory/v1 records (JSONL, one per line) into a project, "
            "all or nothing; metrics are recomputed.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL file of trajectory records ('-' for stdin).")
        parser.add_argument("--project", required=True, help="Slug of the receiving project.")

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(NO_SUCH_PROJECT.format(slug=options["project"]))
        try:
            text = (self.stdin.read() if options["file"] == "-"
                    else Path(options["file"]).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(CANNOT_READ.format(name=options["file"], reason=exc)) from None
        try:
            with transaction.atomic():
                tasks = trajectories_import(project=project, lines=split_jsonl(text))
                refresh_imported(project, tasks)  # the writers' dashboard figures
        except ImportErrors as exc:
            raise CommandError(FAILED.format(count=len(exc.errors),
                                             errors="\n".join(exc.errors))) from None
        self.stdout.write(DONE.format(count=len(tasks), slug=project.slug))
