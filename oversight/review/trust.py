"""Reads of writers' records: their trust per project and each queue row's risk."""

from statistics import median

from django.db.models import Count, OuterRef, Q, Subquery

from oversight.core.risk import risk, writer_trust
from oversight.traces.models import Submission
from oversight.workspace.models import Project

from .models import Review


def writers_trust(project: Project) -> dict[str, dict]:
    """Return {username: writer_trust} from every verdict on the rounds they submitted.

    Counted by the database: each review joined to its round's submission (one indexed
    look-up), grouped by that submission's author; no row object per review or final.
    """
    submitter = (Submission.objects.filter(task=OuterRef("task"), round=OuterRef("round"))
                 .values("submitted_by__username")[:1])
    counts = (Review.objects.filter(task__project=project)
              .annotate(writer=Subquery(submitter)).exclude(writer=None).order_by()
              .values("writer").annotate(approved=Count("id", filter=Q(verdict=Review.APPROVE)),
                                         total=Count("id"))
              .values_list("writer", "approved", "total"))
    return {writer: writer_trust(approved, total - approved)
            for writer, approved, total in counts}


def writers_trust_by_week(project: Project, week_ends: list) -> dict[str, list[dict]]:
    """Return {username: [trust as of each week's end]} (cumulative verdicts), for the trend."""
    writers = {(task_id, round_): username for task_id, round_, username in
               Submission.objects.filter(task__project=project)
               .values_list("task_id", "round", "submitted_by__username")}
    verdicts: dict[str, list] = {}
    for task_id, round_, verdict, at in (Review.objects.filter(task__project=project)
                                         .values_list("task_id", "round", "verdict",
                                                      "created_at")):
        writer = writers.get((task_id, round_))
        if writer:
            verdicts.setdefault(writer, []).append((at, verdict == Review.APPROVE))
    trend = {}
    for writer, rows in verdicts.items():
        points = []
        for end in week_ends:
            upto = [approved for at, approved in rows if at < end]
            points.append(writer_trust(sum(upto), len(upto) - sum(upto)))
        trend[writer] = points
    return trend


def with_risk(project: Project, rows: list[dict]) -> list[dict]:
    """Add each queue row's `risk` score and `risk_why` reasons (against these rows' median)."""
    trust = writers_trust(project)
    actives = [r["metrics"].get("active_seconds") for r in rows
               if r["metrics"].get("active_seconds") is not None]
    middle = median(actives) if actives else None
    for row in rows:
        row["risk"], row["risk_why"] = risk(row["metrics"], project_median_active=middle,
                                            peers=len(actives), trust=trust.get(row["writer"]))
    return rows
