"""What the trajectory player reads of a long trace: events by seq range and a small index.

A 260,000-event trace is 38 MB as one record; the player needs only the events around
the moment it shows, the text at a far seq (from the checkpoints, `selectors.text_at`)
and an overview of the whole trace to draw its strip and map time to seq. Everything
here is answered by indexed queries and aggregates, never by reading every event.
"""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Min, Q

from oversight.core.kinds import is_paste
from oversight.core.trajectory import with_evidence

from .focus import focus_record, focus_rows
from .models import EditEvent
from .selectors import EVENT_FIELDS

MAX_RANGE = 5000  # events per answer: ~0.5 MB of JSON before compression
INDEX_POINTS = 1024  # the overview gives the time of every stride-th event, this many at most
BINS = 200  # slices of time in the overview's activity histogram
STRIP_MARKS = ("untrusted", "silent")  # the marks the strip flags (core.evidence.MARKS)
SCAN_CACHE_SECONDS = 24 * 3600  # pastes and authors of a trace state (events only grow)
# Only these rows can be pastes (oversight.core.kinds): the rest need not be read.
PASTE_CANDIDATES = (Q(inferred_kind="paste-like") | Q(kind__startswith="input.paste")
                    | Q(kind__startswith="input.drop") | Q(kind__startswith="move.drop"))


def event_range(task, from_seq: int, to_seq: int, first_ms: int | None) -> list[dict]:
    """Return the v1 records of the events with from_seq <= seq <= to_seq, in order."""
    rows = (EditEvent.objects.filter(task=task, seq__gte=from_seq, seq__lte=to_seq)
            .order_by("seq").values_list(*EVENT_FIELDS))
    return [with_evidence({"seq": seq, "t_ms": server_ms - (first_ms or server_ms),
                           "author": author or "", "client": client, "round": round_,
                           "kind": kind, "inferred_kind": inferred, "ops": ops},
                          evidence, None)
            for seq, server_ms, author, client, round_, kind, inferred, ops, evidence in rows]


def span(task) -> tuple[int, int | None, int | None]:
    """Return (last seq, first event's server ms, last event's server ms), by the seq index."""
    rows = EditEvent.objects.filter(task=task).values_list("seq", "server_ms")
    last = rows.order_by("-seq").first()
    if last is None:
        return 0, None, None
    return last[0], rows.order_by("seq").first()[1], last[1]


def index_stride(last: int) -> int:
    """Return the stride of the time index: every event for short traces, ≤ INDEX_POINTS."""
    return max(1, -(-last // INDEX_POINTS))


def time_index(task, first_ms: int, last: int) -> list[int]:
    """Return t_ms of events stride, 2×stride, … (for mapping time to seq), by the seq index."""
    stride = index_stride(last)
    rows = (EditEvent.objects.filter(task=task, seq__in=range(stride, last + 1, stride))
            .order_by("seq").values_list("server_ms", flat=True))
    return [ms - first_ms for ms in rows]


def activity_bins(index: list[int], stride: int, last: int, duration_ms: int) -> list[float]:
    """Return about how many edits fall in each of BINS equal slices of the trace's time.

    From the time index, without reading the events: the indexed event counts in the
    slice of its own time, the others between two indexed ones are spread evenly over
    the time between them (exact at stride 1: an idle stretch shows no edit).
    """
    bins = [0.0] * BINS
    width = max(1, duration_ms) / BINS
    points = [(0, 0), *(((i + 1) * stride, t) for i, t in enumerate(index))]
    if points[-1][0] < last:
        points.append((last, duration_ms))
    for (seq_a, t_a), (seq_b, t_b) in zip(points, points[1:], strict=False):
        low, high = min(BINS - 1, int(t_a / width)), min(BINS - 1, int(t_b / width))
        bins[high] += 1  # event seq_b itself happened at t_b
        count = seq_b - seq_a - 1
        if not count:
            continue
        if low == high or t_b <= t_a:
            bins[high] += count
            continue
        for b in range(low, high + 1):  # the share of [t_a, t_b] inside slice b
            inside = min(t_b, (b + 1) * width) - max(t_a, b * width)
            bins[b] += count * max(0.0, inside) / (t_b - t_a)
    return [round(b, 2) for b in bins]


def _cached(kind: str, task, last: int, first_ms: int, compute):
    """Return compute() for this state of the trace, from the cache when already known.

    Events are only ever appended: the task, its last seq and its first event's time
    name one state (a task id reused after deletion has other times).
    """
    key = f"oversight:playback:{kind}:{task.pk}:{last}:{first_ms}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, SCAN_CACHE_SECONDS)
    return value


def pastes(task, first_ms: int, last: int) -> list[dict]:
    """Return {seq, t_ms, author} of every paste, by the same rule as the signals."""
    def compute():
        rows = (EditEvent.objects.filter(task=task).filter(PASTE_CANDIDATES).order_by("seq")
                .values_list("seq", "server_ms", "author__username", "kind", "inferred_kind"))
        return [{"seq": seq, "t_ms": ms - first_ms, "author": author or ""}
                for seq, ms, author, kind, inferred in rows if is_paste(kind, inferred)]
    return _cached("pastes", task, last, first_ms, compute)


def marked(task, first_ms: int, last: int) -> list[dict]:
    """Return {seq, t_ms, author, marks} of every event the browser marked untrusted or silent.

    The database picks the rows by their evidence column (null for almost every event),
    so a long trace of honest typing costs one indexed pass, not a read of its ops.
    """
    def compute():
        rows = (EditEvent.objects.filter(task=task, evidence__isnull=False)
                .filter(Q(evidence__has_key="untrusted") | Q(evidence__has_key="silent"))
                .order_by("seq").values_list("seq", "server_ms", "author__username", "evidence"))
        return [{"seq": seq, "t_ms": ms - first_ms, "author": author or "",
                 "marks": [m for m in STRIP_MARKS if (evidence or {}).get(m) is True]}
                for seq, ms, author, evidence in rows]
    return _cached("marked", task, last, first_ms, compute)


def focus(task, first_ms: int | None) -> list[dict]:
    """Return the task's focus-lost intervals as the record's `focus` has them."""
    return focus_record(focus_rows([task.pk]).get(task.pk, []), first_ms)


def authors(task, last: int, first_ms: int) -> list[str]:
    """Return the usernames of everyone who edited, in the order they first did."""
    def compute():
        # Grouped by the author column alone (no join over every event), then named.
        firsts = (EditEvent.objects.filter(task=task).values("author_id")
                  .annotate(first=Min("seq")).order_by("first").values_list("author_id",
                                                                            flat=True))
        ids = list(firsts)
        names = dict(get_user_model().objects.filter(pk__in=[i for i in ids if i])
                     .values_list("pk", "username"))
        return [names.get(i, "") for i in ids]
    return _cached("authors", task, last, first_ms, compute)


def task_authors(task) -> list[str]:
    """Return the usernames of everyone who edited the task (cached like `authors`)."""
    last, first_ms, _ = span(task)
    return [name for name in authors(task, last, first_ms) if name] if last else []


def round_author_ids(task) -> dict[int, set[int]]:
    """Return {round: ids of everyone who edited in it}: one scan per trace state, cached.

    "Did this reviewer edit this round?" is otherwise a scan of every event of the task
    for anyone who did not (a 260,000-event trace: a fifth of a second per page).
    """
    last, first_ms, _ = span(task)
    if not last:
        return {}

    def compute():
        rounds: dict[int, set[int]] = {}
        for round_, author in (EditEvent.objects.filter(task=task).values_list("round", "author_id")
                               .distinct().order_by()):
            if author:
                rounds.setdefault(round_, set()).add(author)
        return rounds
    return _cached("round-authors", task, last, first_ms, compute)
