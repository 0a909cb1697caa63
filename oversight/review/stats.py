"""Per-writer aggregates of a project: approval rate, median signals, rubric scores, flags."""

import datetime as dt
from collections import defaultdict
from statistics import mean, median

from oversight.traces.models import Submission
from oversight.workspace.models import Project

from .metrics import metrics_for
from .models import Review
from .selectors import lean_submitted_tasks
from .trust import writers_trust, writers_trust_by_week

MEDIAN_SIGNALS = ("changed_share", "changed_fraction", "active_seconds", "paste_share",
                  "notes_per_1k_changed", "mean_p_burst", "self_revisions")
WEEKS_SHOWN = 12


def week_of(moment: dt.datetime) -> dt.date:
    """Return the Monday of the moment's week (UTC)."""
    day = moment.astimezone(dt.UTC).date()
    return day - dt.timedelta(days=day.weekday())


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return median(values) if values else None


def _end_of(week: dt.date) -> dt.datetime:
    """The moment a week (given by its Monday) ends, in UTC."""
    return dt.datetime.combine(week + dt.timedelta(days=7), dt.time(), tzinfo=dt.UTC)


def _weeks(last: dt.date, count: int = WEEKS_SHOWN) -> list[dt.date]:
    return [last - dt.timedelta(weeks=count - 1 - i) for i in range(count)]


def review_writers(project: Project) -> dict[tuple[int, int], str]:
    """Return {(task id, round): username of who submitted that round}."""
    return {(task_id, round_): username for task_id, round_, username in
            Submission.objects.filter(task__project=project)
            .values_list("task_id", "round", "submitted_by__username")}


def _reviews_by_writer(project: Project) -> dict[str, list[Review]]:
    writers = review_writers(project)
    grouped: dict[str, list[Review]] = defaultdict(list)
    for review in Review.objects.filter(task__project=project).order_by("created_at", "id"):
        writer = writers.get((review.task_id, review.round))
        if writer:
            grouped[writer].append(review)
    return grouped


def _rubric_averages(reviews: list[Review], keys: list[str]) -> dict[str, float | None]:
    return {key: (mean(r.scores[key] for r in reviews if key in r.scores)
                  if any(key in r.scores for r in reviews) else None)
            for key in keys}


def _flags_by_week(tasks: list, metrics: dict, weeks: list[dt.date]) -> list[dict]:
    counts = {week: {"week": week, "tasks": 0, "flagged": 0} for week in weeks}
    for task in tasks:
        bucket = counts.get(week_of(task.submitted_at))
        if bucket is not None:
            bucket["tasks"] += 1
            bucket["flagged"] += bool(metrics[task.pk].get("flags"))
    return [counts[week] for week in weeks]


def writer_stats(project: Project, today: dt.date | None = None) -> list[dict]:
    """Return one row per writer who submitted in the project, most flagged share first."""
    tasks = lean_submitted_tasks(project)
    metrics = metrics_for(tasks)
    reviews = _reviews_by_writer(project)
    trust = writers_trust(project)
    keys = project.principle_keys()
    weeks = _weeks(week_of(dt.datetime.now(dt.UTC)) if today is None
                   else today - dt.timedelta(days=today.weekday()))
    trend = writers_trust_by_week(project, [_end_of(week) for week in weeks])
    by_writer: dict[str, list] = defaultdict(list)
    for task in tasks:
        by_writer[task.submitted_by].append(task)
    rows = []
    for writer in sorted(set(by_writer) | set(reviews)):
        own, own_reviews = by_writer.get(writer, []), reviews.get(writer, [])
        signals = [metrics[t.pk] for t in own]
        flag_counts: dict[str, int] = defaultdict(int)
        for s in signals:
            for flag in s.get("flags", []):
                flag_counts[flag] += 1
        approved = sum(r.verdict == Review.APPROVE for r in own_reviews)
        flagged = sum(bool(s.get("flags")) for s in signals)
        rows.append({
            "writer": writer,
            "tasks": len(own),
            "reviews": len(own_reviews),
            "approved": approved,
            "approval_rate": approved / len(own_reviews) if own_reviews else None,
            "trust": trust.get(writer),
            "trust_weeks": trend.get(writer, []),
            "medians": {name: _median([s.get(name) for s in signals]) for name in MEDIAN_SIGNALS},
            "rubric": _rubric_averages(own_reviews, keys),
            "flag_counts": dict(sorted(flag_counts.items())),
            "flagged": flagged,
            "flagged_share": flagged / len(own) if own else None,
            "weeks": _flags_by_week(own, metrics, weeks),
        })
    return sorted(rows, key=lambda r: (-(r["flagged_share"] or 0), r["writer"]))
