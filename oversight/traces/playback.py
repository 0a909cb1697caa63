"""What the trajectory player reads of a long trace: events by seq range and a small index.

A 260,000-event trace is 38 MB as one record; the player needs only the events around
the moment it shows, the text at a far seq (from the checkpoints, `selectors.text_at`)
and an overview of the whole trace to draw its strip and map time to seq. Everything
here is answered by indexed queries and aggregates, never by reading every event.
"""

from django.db.models import Count, F, Max, Min, Q

from oversight.core.kinds import is_paste

from .models import EditEvent
from .selectors import EVENT_FIELDS

MAX_RANGE = 5000  # events per answer: ~0.5 MB of JSON before compression
INDEX_STRIDE = 256  # the overview gives the time of every this-many-th event
BINS = 200  # slices of time in the overview's activity histogram
# Only these rows can be pastes (oversight.core.kinds): the rest need not be read.
PASTE_CANDIDATES = (Q(inferred_kind="paste-like") | Q(kind__startswith="input.paste")
                    | Q(kind__startswith="input.drop") | Q(kind__startswith="move.drop"))


def event_range(task, from_seq: int, to_seq: int, first_ms: int | None) -> list[dict]:
    """Return the v1 records of the events with from_seq <= seq <= to_seq, in order."""
    rows = (EditEvent.objects.filter(task=task, seq__gte=from_seq, seq__lte=to_seq)
            .order_by("seq").values_list(*EVENT_FIELDS))
    return [{"seq": seq, "t_ms": server_ms - (first_ms or server_ms), "author": author or "",
             "client": client, "round": round_, "kind": kind, "inferred_kind": inferred,
             "ops": ops}
            for seq, server_ms, author, client, round_, kind, inferred, ops in rows]


def span(task) -> tuple[int, int | None, int | None]:
    """Return (last seq, first event's server ms, last event's server ms)."""
    row = EditEvent.objects.filter(task=task).aggregate(
        last=Max("seq"), first_ms=Min("server_ms"), last_ms=Max("server_ms"))
    return row["last"] or 0, row["first_ms"], row["last_ms"]


def time_index(task, first_ms: int) -> list[int]:
    """Return t_ms of events INDEX_STRIDE, 2×INDEX_STRIDE, … (for mapping time to seq)."""
    rows = (EditEvent.objects.filter(task=task).annotate(phase=F("seq") % INDEX_STRIDE)
            .filter(phase=0).order_by("seq").values_list("server_ms", flat=True))
    return [ms - first_ms for ms in rows]


def activity_bins(task, first_ms: int, duration_ms: int) -> list[int]:
    """Return the number of edits in each of BINS equal slices of the trace's time."""
    width = max(1, duration_ms)
    rows = (EditEvent.objects.filter(task=task)
            .annotate(slice=(F("server_ms") - first_ms) * BINS / width)
            .values("slice").annotate(n=Count("id")).order_by().values_list("slice", "n"))
    bins = [0] * BINS
    for slice_, n in rows:
        bins[min(BINS - 1, max(0, int(slice_)))] += n
    return bins


def pastes(task, first_ms: int) -> list[dict]:
    """Return {seq, t_ms, author} of every paste, by the same rule as the signals."""
    rows = (EditEvent.objects.filter(task=task).filter(PASTE_CANDIDATES).order_by("seq")
            .values_list("seq", "server_ms", "author__username", "kind", "inferred_kind"))
    return [{"seq": seq, "t_ms": ms - first_ms, "author": author or ""}
            for seq, ms, author, kind, inferred in rows if is_paste(kind, inferred)]


def authors(task) -> list[str]:
    """Return the usernames of everyone who edited, in the order they first did."""
    rows = (EditEvent.objects.filter(task=task).values("author__username")
            .annotate(first=Min("seq")).order_by("first").values_list("author__username",
                                                                      flat=True))
    return [name or "" for name in rows]
