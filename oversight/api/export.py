"""Stream an export as JSONL (optionally gzipped), one record at a time, from one snapshot.

`export_chunks` is the one generator behind the API, the management command and the
benchmark: it holds at most one task's record and one output chunk in memory.
"""


import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, nullcontext
from itertools import islice

import orjson
from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse
from django.utils.cache import patch_vary_headers

from oversight.core.formats import to_records
from oversight.core.risk import writer_trust
from oversight.core.verifier_summary import export_meta
from oversight.overlap.export import ranking_records
from oversight.review.gold import gold_meta_for
from oversight.review.trust import writers_trust
from oversight.traces import selectors as trace_selectors
from oversight.workspace.models import Project, Task

from .export_request import ExportRequest
from .export_selectors import (
    TASKS_PER_FETCH,
    ExportFilters,
    export_tasks,
    passes_rubric,
    passes_shares,
)
from .export_snapshot import cut_record, snapshot_reads, snapshot_take
from .records import related_rows, trajectory_record

CHUNK_BYTES = 64 * 1024  # one network write, one thread hop under ASGI
GZIP_LEVEL = 6
JSONL_TYPE = "application/x-ndjson"
MOVED_THREADS = ("The export moved to another thread; its snapshot transaction lives on the "
                 "connection of the thread that opened it.")

# orjson writes the same compact UTF-8 JSON as json.dumps(ensure_ascii=False,
# separators=(",", ":")), several times faster: encoding was a third of the export.
_ENCODE_OPTIONS = orjson.OPT_NON_STR_KEYS


def export_records(*, projects: Iterable[Project], fmt: str, filters: ExportFilters,
                   isolate: bool = True,
                   on_task: Callable[[], object] | None = None) -> Iterator[dict]:
    """Yield the export records of the projects' matching tasks, all from one snapshot."""
    projects = list(projects)
    # Before the snapshot: tasks whose recorder is behind their log get their events.
    trace_selectors.caught_up_tasks(Task.objects.filter(project__in=projects))
    with snapshot_reads() if isolate else nullcontext():
        thread = threading.get_ident()
        snapshot = snapshot_take()  # the first read: on SQLite it also pins the WAL snapshot
        projects = list(projects)
        tasks = export_tasks(projects=projects, filters=filters, snapshot=snapshot)
        trusted = _trust_filter(projects, filters.min_writer_trust)
        for batch in batched(tasks.iterator(chunk_size=TASKS_PER_FETCH), TASKS_PER_FETCH):
            if threading.get_ident() != thread:
                raise RuntimeError(MOVED_THREADS)
            # The batch's submissions, notes and reviews in four queries, not four a task.
            related = related_rows([t.pk for t in batch
                                    if passes_rubric(t, filters.min_rubric_average)])
            gold = gold_meta_for([t.pk for t in batch]) if filters.include_gold else {}
            for task in batch:
                task.export_related = related
                if threading.get_ident() != thread:
                    raise RuntimeError(MOVED_THREADS)
                if on_task is not None:
                    on_task()
                if not passes_rubric(task, filters.min_rubric_average):
                    continue
                record = cut_record(trajectory_record(task, task.export_round), task, snapshot)
                if filters.exclude_flagged and record["metrics"].get("flags"):
                    continue
                if not passes_shares(record["metrics"], filters):
                    continue
                if filters.verified and not (export_meta(record) or {}).get("verified"):
                    continue
                if not trusted(record, task.project_id):
                    continue
                meta = gold.get((task.pk, task.export_round)) or gold.get((task.pk, None))
                if meta:  # add-only: `meta.gold` on every record of a gold task
                    record["meta"] = {**record.get("meta", {}), "gold": meta}
                yield from to_records(fmt, record)
                if fmt == "preference":  # human-vs-human pairs of overlap siblings
                    yield from ranking_records(record)


def _trust_filter(projects: list[Project], minimum: float | None):
    """Return record, project id -> whether the final's writer's trust is at least `minimum`."""
    if minimum is None:
        return lambda record, project_id: True
    trust = {p.pk: writers_trust(p) for p in projects}
    prior = writer_trust(0, 0)["mean"]  # a writer without verdicts: the prior's mean

    def trusted(record: dict, project_id: int) -> bool:
        writer = (record.get("final") or {}).get("submitted_by")
        return trust[project_id].get(writer, {"mean": prior})["mean"] >= minimum
    return trusted


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Yield lists of `size` items (the last one shorter); itertools.batched from 3.12."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


_LINE_BREAKS = [("\u2028".encode(), b"\\u2028"), ("\u2029".encode(), b"\\u2029"),
                ("\x85".encode(), b"\\u0085")]


def jsonl_line(record: dict) -> bytes:
    """Return one record as a JSON line in UTF-8."""
    # JSON allows U+2028/U+2029/U+0085 raw, but str.splitlines() and some JSONL readers
    # break lines there: escaped, every consumer sees one record per line.
    line = orjson.dumps(record, option=_ENCODE_OPTIONS)
    for raw, escaped in _LINE_BREAKS:
        if raw in line:
            line = line.replace(raw, escaped)
    return line + b"\n"


def jsonl_chunks(records: Iterator[dict], size: int | None = None) -> Iterator[bytes]:
    """Yield the records as JSON lines, gathered into chunks of about `size` bytes."""
    size = size or CHUNK_BYTES
    with closing(records):
        buffer, buffered = [], 0
        for record in records:
            line = jsonl_line(record)
            buffer.append(line)
            buffered += len(line)
            if buffered >= size:
                yield b"".join(buffer)
                buffer, buffered = [], 0
        if buffer:
            yield b"".join(buffer)


def gzip_chunks(chunks: Iterator[bytes], level: int = GZIP_LEVEL) -> Iterator[bytes]:
    """Yield the chunks gzip-compressed as one gzip member."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)  # wbits 31: gzip header + trailer
    with closing(chunks):
        for chunk in chunks:
            out = compressor.compress(chunk)
            if out:
                yield out
    yield compressor.flush()


def export_chunks(*, projects: Iterable[Project], fmt: str, filters: ExportFilters,
                  gzip: bool = False, isolate: bool = True,
                  on_task: Callable[[], object] | None = None) -> Iterator[bytes]:
    """Yield the export as byte chunks of JSONL, gzip-compressed when asked."""
    records = export_records(projects=projects, fmt=fmt, filters=filters, isolate=isolate,
                             on_task=on_task)
    chunks = jsonl_chunks(records)
    return gzip_chunks(chunks) if gzip else chunks


class AsyncChunks:
    """Serve a sync chunk iterator to ASGI one chunk at a time, on one thread.

    Handed a sync iterator, Django's ASGI handler drains it into a list before sending
    anything: no streaming and no constant memory. Each step here is a thread-sensitive
    call, so under ASGI every step, and the final close, runs on the request's one sync
    thread, whose connection holds the snapshot transaction.
    """

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._step = sync_to_async(self._next_chunk, thread_sensitive=True)

    def __aiter__(self):
        return self

    async def __anext__(self) -> bytes:
        chunk = await self._step()
        if chunk is None:
            raise StopAsyncIteration
        return chunk

    def _next_chunk(self) -> bytes | None:
        return next(self._chunks, None)

    def close(self) -> None:
        """End the export early; Django calls it through sync_to_async, on the same thread."""
        self._chunks.close()


def export_filename(export: ExportRequest) -> str:
    """Return the download's file name: its projects and format."""
    slugs = "+".join(p.slug for p in export.projects)
    return f"oversight-{slugs[:100]}-{export.fmt}.jsonl"


def export_response(export: ExportRequest, *, asgi: bool) -> StreamingHttpResponse:
    """Return the streaming HTTP response of an export (async iteration under ASGI)."""
    chunks = export_chunks(projects=export.projects, fmt=export.fmt, filters=export.filters,
                           gzip=export.gzip)
    response = StreamingHttpResponse(AsyncChunks(chunks) if asgi else chunks,
                                     content_type=JSONL_TYPE + "; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(export)}"'
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # a buffering proxy would undo the streaming
    if export.gzip:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
