"""Reads of writers' records: their trust per project and each queue row's risk.

Trust combines verdicts and gold catches into one Beta posterior (core.risk.writer_trust):
every verdict on a round they submitted and every planted flaw of a gold task they
submitted is one trial.
"""

from bisect import bisect_left
from statistics import median

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.fields.json import KT

from oversight.core.risk import HISTORY_WINDOW, OWN_SIGNALS, risk, writer_trust
from oversight.traces.models import Submission
from oversight.workspace.models import Project

from .gold import project_outcomes
from .models import Review, TaskSignals


def _verdict_counts(project: Project) -> dict[str, tuple[int, int]]:
    """{username: (approved, verdicts)} over every verdict on the rounds they submitted.

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
    return {writer: (approved, total) for writer, approved, total in counts}


def writers_catches(project: Project) -> dict[str, list[tuple]]:
    """{username: [(when, caught, missed)]} per gold round they submitted (read when shown:
    a verifier run finishing after the submission changes a flaw with a planted test)."""
    out: dict[str, list] = {}
    for row in project_outcomes(project):
        out.setdefault(row["writer"], []).append(
            (row["at"], row["caught"], row["total"] - row["caught"]))
    return out


def writers_trust(project: Project) -> dict[str, dict]:
    """Return {username: writer_trust} from their verdicts and their gold catches."""
    counts, catches = _verdict_counts(project), writers_catches(project)
    trust = {}
    for writer in counts.keys() | catches.keys():
        approved, total = counts.get(writer, (0, 0))
        gold = catches.get(writer, [])
        trust[writer] = writer_trust(approved, total - approved,
                                     sum(c for _, c, _ in gold), sum(m for _, _, m in gold))
    return trust


def writers_history(project: Project) -> dict[str, list[tuple]]:
    """{username: [(submitted_at, task id, {signal: value})]} oldest first, in one query:
    the stored signals of every task of the project, by its latest submitter."""
    latest = Submission.objects.filter(task=OuterRef("task_id")).order_by("-round")
    rows = (TaskSignals.objects.filter(task__project=project)
            .annotate(writer=Subquery(latest.values("submitted_by__username")[:1]),
                      at=Subquery(latest.values("submitted_at")[:1]),
                      **{f"s_{name}": KT(f"metrics__{name}") for name in OWN_SIGNALS})
            .filter(writer__isnull=False)
            .values_list("writer", "at", "task_id", *[f"s_{name}" for name in OWN_SIGNALS]))
    history: dict[str, list[tuple]] = {}
    for writer, at, task_id, *values in rows:
        signals = {name: float(v) for name, v in zip(OWN_SIGNALS, values, strict=True)
                   if v not in (None, "", "null")}
        history.setdefault(writer, []).append((at, task_id, signals))
    for entries in history.values():
        entries.sort(key=lambda e: (e[0], e[1]))
    return history


def _previous(history: list[tuple], row: dict) -> dict[str, list[float]]:
    """The writer's signals on their submissions before this row's (the latest window)."""
    times = [at for at, _, _ in history]
    earlier = [e for e in history[:bisect_left(times, row["submitted_at"])]
               if e[1] != row["task"].pk][-HISTORY_WINDOW:]
    return {name: [s[name] for _, _, s in earlier if name in s] for name in OWN_SIGNALS}


def with_risk(project: Project, rows: list[dict]) -> list[dict]:
    """Add each queue row's `risk` score and `risk_why` reasons (against these rows' median
    and against the writer's own previous submissions)."""
    trust = writers_trust(project)
    history = writers_history(project)
    actives = [r["metrics"].get("active_seconds") for r in rows
               if r["metrics"].get("active_seconds") is not None]
    middle = median(actives) if actives else None
    for row in rows:
        own = history.get(row["writer"])
        row["risk"], row["risk_why"] = risk(
            row["metrics"], project_median_active=middle, peers=len(actives),
            trust=trust.get(row["writer"]),
            history=_previous(own, row) if own and row["submitted_at"] else None)
    return rows
