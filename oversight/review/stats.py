"""Per-writer figures of a project for the dashboard: approval, trust, medians, rubric, flags.

Read from the per-writer summaries (`writer_summary`): the order over every writer
comes from their counts alone (one row of integers per writer, no JSON), then only the
page's writers' summaries are decoded. Gold catches are read here, as a verifier run
finishing after the submission changes them.
"""

import datetime as dt

from oversight.core.risk import writer_trust
from oversight.workspace.models import Project

from .models import WriterSummary
from .trust import writers_catches
from .writer_summary import MEDIAN_SIGNALS, week_of

__all__ = ["MEDIAN_SIGNALS", "WEEKS_SHOWN", "week_of", "writer_page", "writer_stats"]

WEEKS_SHOWN = 12
PER_PAGE = 50


def _end_of(week: dt.date) -> dt.datetime:
    """The moment a week (given by its Monday) ends, in UTC."""
    return dt.datetime.combine(week + dt.timedelta(days=7), dt.time(), tzinfo=dt.UTC)


def _weeks(last: dt.date, count: int = WEEKS_SHOWN) -> list[dt.date]:
    return [last - dt.timedelta(weeks=count - 1 - i) for i in range(count)]


def _trust(approved: int, reviews: int, catches: list[tuple], before=None) -> dict | None:
    gold = [(c, m) for at, c, m in catches if before is None or at < before]
    return writer_trust(approved, reviews - approved,
                        sum(c for c, _ in gold), sum(m for _, m in gold))


def _trend(summary: WriterSummary, catches: list[tuple], weeks: list[dt.date]) -> list[dict]:
    """Trust as of each week's end: the verdicts of that week and every week before."""
    if not summary.reviews and not catches:
        return []
    buckets = sorted(summary.verdict_weeks.items())  # ISO dates sort as the days do
    out, approved, total, i = [], 0, 0, 0
    for week in weeks:
        last = week.isoformat()
        while i < len(buckets) and buckets[i][0] <= last:
            approved, total, i = approved + buckets[i][1][0], total + buckets[i][1][1], i + 1
        out.append(_trust(approved, total, catches, _end_of(week)))
    return out


def _order(project: Project, sort: str, catches: dict) -> list[tuple]:
    """[(writer id, username, trust)] of every writer in the dashboard's order."""
    light = []
    for writer_id, name, tasks, flagged, reviews, approved in (
            WriterSummary.objects.filter(project=project).values_list(
                "writer_id", "writer__username", "tasks", "flagged", "reviews", "approved")):
        gold = catches.get(name, [])
        trust = _trust(approved, reviews, gold) if reviews or gold else None
        light.append((-(flagged / tasks if tasks else 0), name, writer_id, trust))
    light.sort(key=lambda r: (r[0], r[1]))  # most flagged share first, then by name
    if sort == "trust":  # most trusted first; writers without verdicts last (stable)
        light.sort(key=lambda r: -(r[3]["mean"] if r[3] else -1))
    return [(writer_id, name, trust) for _, name, writer_id, trust in light]


def _row(summary: WriterSummary, name: str, trust, catches: list, keys: list[str],
         weeks: list[dt.date]) -> dict:
    empty = [0, 0]
    return {
        "writer": name,
        "tasks": summary.tasks,
        "reviews": summary.reviews,
        "approved": summary.approved,
        "approval_rate": summary.approved / summary.reviews if summary.reviews else None,
        "trust": trust,
        "trust_weeks": _trend(summary, catches, weeks),
        "medians": {name: summary.medians.get(name) for name in MEDIAN_SIGNALS},
        "rubric": {key: summary.rubric.get(key) for key in keys},
        "flag_counts": dict(sorted(summary.flag_counts.items())),  # jsonb reorders keys
        "flagged": summary.flagged,
        "flagged_share": summary.flagged / summary.tasks if summary.tasks else None,
        "weeks": [{"week": week, "tasks": n, "flagged": flagged} for week, (n, flagged) in
                  ((w, summary.task_weeks.get(w.isoformat(), empty)) for w in weeks)],
    }


def writer_page(project: Project, *, sort: str = "flagged", offset: int = 0,
                limit: int | None = None, today: dt.date | None = None) -> tuple[list, int]:
    """Return (the rows of writers offset…offset+limit in the dashboard's order, how many
    writers in all). `sort`: "flagged" (most flagged share first) or "trust"."""
    catches = writers_catches(project)
    order = _order(project, sort, catches)
    shown = order[offset:None if limit is None else offset + limit]
    summaries = {s.writer_id: s for s in WriterSummary.objects.filter(
        project=project, writer_id__in=[writer_id for writer_id, _, _ in shown])}
    weeks = _weeks(week_of(dt.datetime.now(dt.UTC)) if today is None
                   else today - dt.timedelta(days=today.weekday()))
    keys = project.principle_keys()
    rows = [_row(summaries[writer_id], name, trust, catches.get(name, []), keys, weeks)
            for writer_id, name, trust in shown]
    return rows, len(order)


def writer_stats(project: Project, today: dt.date | None = None) -> list[dict]:
    """Return one row per writer who submitted in the project, most flagged share first."""
    return writer_page(project, today=today)[0]
