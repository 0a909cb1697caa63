"""manage.py import_tasks FILE --project SLUG: import JSONL tasks, all or nothing."""

import io
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from oversight.workspace.importer import ImportErrors, import_tasks, parse_lines
from oversight.workspace.models import Project

NO_SUCH_PROJECT = "No project with slug '{slug}'."
NOT_UTF8 = "{name} is not valid UTF-8: {reason}"
CANNOT_READ = "Cannot read {name}: {reason}"
NOTHING_IMPORTED = "{count} error(s) found; nothing was imported."


def read_lines(path: str) -> list[str]:
    """Return the lines of a UTF-8 file, or of stdin for '-' (a leading BOM is dropped)."""
    name = "stdin" if path == "-" else path
    try:
        if path == "-":
            return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig").readlines()
        with open(path, encoding="utf-8-sig") as stream:
            return stream.readlines()
    except UnicodeDecodeError as exc:
        raise CommandError(NOT_UTF8.format(name=name, reason=exc)) from exc
    except OSError as exc:
        raise CommandError(CANNOT_READ.format(name=name, reason=exc.strerror or exc)) from exc


class Command(BaseCommand):
    help = "Import tasks from a JSONL file (one task per line) into a project; '-' reads stdin."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL file, or '-' for stdin.")
        parser.add_argument("--project", required=True, help="Slug of the target project.")

    def handle(self, *args, file: str, project: str, **options):
        """Validate every line, then import them all in one transaction, or nothing."""
        target = Project.objects.filter(slug=project).first()
        if target is None:
            raise CommandError(NO_SUCH_PROJECT.format(slug=project))
        lines = read_lines(file)
        # tqdm redraws with "\r"; Django's OutputWrapper would append a newline to each write.
        bar_stream = getattr(self.stderr, "_out", sys.stderr)
        try:
            rows = parse_lines(lines, project=target)
            with tqdm(total=len(rows), unit="task", file=bar_stream, desc="importing") as bar:
                result = import_tasks(project=target, rows=rows, progress=bar.update)
        except ImportErrors as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(NOTHING_IMPORTED.format(count=len(exc.errors))) from exc
        self.stdout.write(f"created: {result.created}")
        self.stdout.write(f"skipped: {len(result.skipped)}")
        if options["verbosity"] >= 2:  # a re-run can skip thousands; list them only on request
            for external_id in result.skipped:
                self.stdout.write(f"  skipped (already in {target.slug}): {external_id}")
