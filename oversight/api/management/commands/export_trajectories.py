"""manage.py export_trajectories --project SLUG --format F --out FILE: the API's export, offline."""

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from oversight.api.export import export_records, gzip_chunks, jsonl_chunks
from oversight.api.export_request import ExportRequestError, parse_format, project_slugs
from oversight.api.export_selectors import export_tasks
from oversight.api.export_snapshot import snapshot_take
from oversight.api.serializers_export import parse_filters
from oversight.core.formats import FORMATS
from oversight.workspace.models import Project

NO_SUCH_PROJECT = "No project with slug '{slug}'."
GZIP_NEEDS_BYTES = "--gzip to stdout needs a binary stdout; write to a file with --out FILE."
CANNOT_WRITE = "Cannot write {name}: {reason}"
DONE = "Exported {records} record(s) from {tasks} task(s) to {name}."

# Command-line option -> the API's query parameter: one parser, one set of messages.
FILTER_OPTIONS = {"status": "status", "writer": "writer", "reviewed_after": "reviewed_after",
                  "reviewed_before": "reviewed_before",
                  "min_rubric_average": "min_rubric_average", "round": "round",
                  "max_final_share_pasted": "max_final_share_pasted",
                  "max_final_share_model": "max_final_share_model",
                  "min_writer_trust": "min_writer_trust"}


def _counted(records: Iterator[dict], counts: dict) -> Iterator[dict]:
    for record in records:
        counts["records"] += 1
        yield record


class Command(BaseCommand):
    help = ("Export projects' trajectories as JSONL in a training format, with the API's "
            "filters; '--out -' writes to stdout.")

    def add_arguments(self, parser):
        parser.add_argument("--project", action="append", required=True,
                            help="Project slug; repeat it or separate slugs with commas.")
        parser.add_argument("--format", default="trajectory", help="One of: " + ", ".join(FORMATS))
        parser.add_argument("--out", required=True, help="Output file, or '-' for stdout.")
        parser.add_argument("--status", help="Task statuses, comma-separated, or 'any' "
                                             "(default approved).")
        parser.add_argument("--writer", help="Username of the exported final's submitter.")
        parser.add_argument("--reviewed-after", help="Latest review at or after this ISO date.")
        parser.add_argument("--reviewed-before", help="Latest review before this ISO date.")
        parser.add_argument("--min-rubric-average", help="Latest review's mean score at least.")
        parser.add_argument("--min-writer-trust",
                            help="Writer's posterior approval rate (0-1) at least.")
        parser.add_argument("--exclude-flagged", action="store_true",
                            help="Drop records whose quality signals raise a flag.")
        parser.add_argument("--include-gold", action="store_true",
                            help="Include gold tasks (left out by default), with meta.gold.")
        parser.add_argument("--round", help="'last' (default) or a round number.")
        parser.add_argument("--max-final-share-pasted",
                            help="Keep finals with at most this share of pasted text (0-1).")
        parser.add_argument("--max-final-share-model",
                            help="Keep finals with at most this share of model suggestions.")
        parser.add_argument("--gzip", action="store_true", help="Gzip the output.")

    def handle(self, *args, **options):
        """Stream the export into the file (replaced only once complete) or to stdout."""
        try:
            fmt = parse_format(options["format"])
            params = {param: options[option] for option, param in FILTER_OPTIONS.items()}
            params["exclude_flagged"] = "1" if options["exclude_flagged"] else "0"
            params["include_gold"] = "1" if options["include_gold"] else "0"
            filters = parse_filters(params)
        except ExportRequestError as exc:
            raise CommandError(exc.message) from exc
        projects = self._projects(project_slugs(options["project"]))
        # The bar's total is counted before the export's snapshot: an estimate, as bars are.
        total = export_tasks(projects=projects, filters=filters, snapshot=snapshot_take()).count()
        counts = {"records": 0}
        # tqdm redraws with "\r"; Django's OutputWrapper would append a newline to each write.
        bar_stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(total=total, unit="task", file=bar_stream, desc="exporting") as bar:
            records = _counted(export_records(projects=projects, fmt=fmt, filters=filters,
                                              on_task=bar.update), counts)
            chunks = jsonl_chunks(records)
            if options["gzip"]:
                chunks = gzip_chunks(chunks)
            name = self._write(chunks, options["out"], binary=options["gzip"])
        self.stderr.write(DONE.format(records=counts["records"], tasks=total, name=name))

    def _projects(self, slugs: list[str]) -> list[Project]:
        found = {p.slug: p for p in Project.objects.filter(slug__in=slugs)}
        for slug in slugs:
            if slug not in found:
                raise CommandError(NO_SUCH_PROJECT.format(slug=slug))
        return [found[slug] for slug in slugs]

    def _write(self, chunks: Iterator[bytes], out: str, *, binary: bool) -> str:
        if out != "-":
            return _write_file(chunks, Path(out))
        stream = getattr(self.stdout, "buffer", None)
        if stream is None and binary:
            raise CommandError(GZIP_NEEDS_BYTES)
        for chunk in chunks:
            if stream is not None:
                stream.write(chunk)
            else:  # a text stdout (call_command with StringIO): chunks end on line boundaries
                self.stdout.write(chunk.decode("utf-8"), ending="")
        (stream or self.stdout).flush()
        return "stdout"


def _write_file(chunks: Iterator[bytes], target: Path) -> str:
    """Write the chunks beside `target`, then rename: a failed export leaves no partial file."""
    try:
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    try:
        with os.fdopen(fd, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
        os.replace(partial, target)
    except BaseException as exc:
        Path(partial).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(target, exc) from exc
        raise
    return str(target)


def _cannot_write(target: Path, exc: OSError) -> CommandError:
    return CommandError(CANNOT_WRITE.format(name=target, reason=exc.strerror or exc))
