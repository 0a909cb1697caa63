"""Reads of writers' records: their trust per project and each queue row's risk.

Trust combines verdicts and gold catches into one Beta posterior (core.risk.writer_trust):
every verdict on a round they submitted and every planted flaw of a gold task they
submitted is one trial.
"""

from statistics import median

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Count, F, Q

from oversight.core.risk import risk, writer_trust
from oversight.traces.models import Submission
from oversight.workspace.models import Project

from .gold import project_outcomes
from .models import GoldOutcome, Review

TRUST_CACHE_SECONDS = 600


def _verdict_counts(project: Project, writers=None) -> dict[str, tuple[int, int, int]]:
    """{username: (approved, verdicts, user id)} over every verdict on the rounds they submitted.

    Counted by the database: each review joined to its round's submission (one join on
    task and round), grouped by that submission's author; no row object per review.
    `writers` (usernames) limits the count to them.
    """
    reviews = Review.objects.filter(task__project=project,
                                    task__submissions__round=F("round"))
    if writers is not None:
        reviews = reviews.filter(task__submissions__submitted_by__username__in=list(writers))
    counts = (reviews.order_by()
              .values("task__submissions__submitted_by__username",
                      "task__submissions__submitted_by_id")
              .annotate(approved=Count("id", filter=Q(verdict=Review.APPROVE)),
                        total=Count("id"))
              .values_list("task__submissions__submitted_by__username", "approved", "total",
                           "task__submissions__submitted_by_id"))
    return {writer: (approved, total, pk) for writer, approved, total, pk in counts}


def writers_catches(project: Project) -> dict[str, list[tuple]]:
    """{username: [(when, caught, missed)]} per gold round they submitted (read when shown:
    a verifier run finishing after the submission changes a flaw with a planted test)."""
    out: dict[str, list] = {}
    for row in project_outcomes(project):
        out.setdefault(row["writer"], []).append(
            (row["at"], row["caught"], row["total"] - row["caught"]))
    return out


def writers_trust(project: Project, writers=None) -> dict[str, dict]:
    """Return {username: writer_trust} from their verdicts and their gold catches
    (of the given usernames only, when `writers` is given); each carries `user_id`.

    Every writer's is cached until a review, submission or gold outcome is added
    (their newest ids: primary-key look-ups); the queue asks for it on every page.
    """
    key = f"writers-trust:{project.pk}:" + ":".join(
        str(model.objects.order_by("-pk").values_list("pk", flat=True).first())
        for model in (Review, Submission, GoldOutcome))
    everyone = cache.get(key)
    if everyone is None and writers is None:
        everyone = _writers_trust(project, None)
        cache.set(key, everyone, TRUST_CACHE_SECONDS)
    if everyone is not None:
        return everyone if writers is None else {w: everyone[w] for w in writers
                                                 if w in everyone}
    return _writers_trust(project, writers)


def _writers_trust(project: Project, writers) -> dict[str, dict]:
    counts, catches = _verdict_counts(project, writers), writers_catches(project)
    if writers is not None:
        catches = {w: c for w, c in catches.items() if w in set(writers)}
    ids = dict(User.objects.filter(username__in=list(catches.keys() - counts.keys()))
               .values_list("username", "pk")) if catches.keys() - counts.keys() else {}
    trust = {}
    for writer in counts.keys() | catches.keys():
        approved, total, pk = counts.get(writer, (0, 0, ids.get(writer)))
        gold = catches.get(writer, [])
        trust[writer] = {**writer_trust(approved, total - approved, sum(c for _, c, _ in gold),
                                        sum(m for _, _, m in gold)), "user_id": pk}
    return trust


def with_risk(project: Project, rows: list[dict], *, median_active: float | None = None,
              peers: int | None = None, trust: dict | None = None) -> list[dict]:
    """Add each queue row's `risk` score and `risk_why` reasons: against the queue's
    median active time (`median_active` over `peers` sessions; default: these rows'),
    the writer's record (`trust`, default: computed for these rows' writers) and the
    writer's own history as stored with the row's signals (`row["own"]`)."""
    if peers is None:
        actives = [r["metrics"].get("active_seconds") for r in rows
                   if r["metrics"].get("active_seconds") is not None]
        median_active, peers = (median(actives) if actives else None), len(actives)
    if trust is None:
        trust = writers_trust(project, {r["writer"] for r in rows})
    for row in rows:
        row["risk"], row["risk_why"] = risk(
            row["metrics"], project_median_active=median_active, peers=peers,
            trust=trust.get(row["writer"]), own=[tuple(o) for o in row.get("own") or []])
    return rows
