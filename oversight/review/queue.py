"""The review queue, sorted, filtered and paginated by the database.

Every sort and filter reads the stored signals' columns (review.models.TaskSignals,
written by `metrics.store_signals`): a page is an index walk or one top-N sort, and only
its rows' signals are decoded and their claims, verdicts, critiques and tests read.
Ties fall back to submission time then task, in both directions; None sorts last.

The risk sort adds, per row, the stored risk inputs (flag weights, the writer's own
history at store time), the outlier point against the filtered queue's median active
time and the writer's record, which changes with every verdict: the records of all the
project's writers are counted once per request and joined as a VALUES list.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Collate, Least, Round

from oversight.core.risk import MIN_PEERS, OUTLIER_SHARE, record_part
from oversight.judge.models import ModelCritique
from oversight.traces.models import Submission
from oversight.verifiers.models import FINISHED, VerifierRun
from oversight.workspace.gold import gold_exists
from oversight.workspace.models import Project, Task

from .doubt import FLAG_WEIGHT, MAX_FLAG_PART
from .metrics import UNSTORED
from .models import TaskSignals

PAGE_SIZE = 50
CACHE_SECONDS = 600
S = "signals_cache__"
DEFAULT_SORT = "submitted"


class ScoreMean(Func):
    """The mean `score` of a JSON array of {"score": n} (a critique's principles)."""

    output_field = FloatField()

    def as_sql(self, compiler, conn, **extra):  # SQLite (json1)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(SELECT AVG(json_extract(e.value, '$.score')) FROM json_each({sql}) e)", params

    def as_postgresql(self, compiler, conn, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (f"(SELECT AVG((e->>'score')::float) FROM jsonb_array_elements({sql}) e)",
                params)


def _text(field: str):
    """Sort text by code point, as Python does, whatever the database's collation."""
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def _tests_passing_final(project: Project):
    if not VerifierRun.objects.filter(task__project=project).exists():
        return None  # no runs: every row's is None, the ties' order is the order
    final = Submission.objects.filter(task=OuterRef("task_id")).order_by("-round")
    runs = (VerifierRun.objects.filter(task=OuterRef("pk"), status__in=FINISHED,
                                       sha256=Subquery(final.values("sha256")[:1]))
            .order_by("-id").values("passed")[:1])
    return Subquery(runs.values("passed")[:1])


def _doubt(project: Project):
    flags = Least(Value(MAX_FLAG_PART), F(S + "flag_count") * Value(FLAG_WEIGHT))
    if not ModelCritique.objects.filter(task__project=project, target=ModelCritique.FINAL,
                                        status=ModelCritique.DONE).exists():
        return Round(flags, 4)
    critique = (ModelCritique.objects.filter(task=OuterRef("pk"), round=OuterRef("round"),
                                             target=ModelCritique.FINAL,
                                             status=ModelCritique.DONE)
                .annotate(m=ScoreMean("principles")).values("m")[:1])
    model = Coalesce((Value(5.0) - Subquery(critique, output_field=FloatField())) / Value(4.0),
                     Value(0.0))
    return Round(model + flags, 4)


def sort_expressions(project: Project) -> dict:
    """{sort key: a lazy SQL expression} of the queue's columns (risk: see `_risk_ids`)."""
    return {
        "task": lambda: _text("external_id"), "writer": lambda: _text("q_name"),
        "submitted": lambda: F("q_at"), "round": lambda: F("round"),
        "size": lambda: F(S + "size"), "changed": lambda: F(S + "changed_fraction"),
        "active": lambda: F(S + "active_seconds"), "paste": lambda: F(S + "paste_share"),
        "notes": lambda: F(S + "notes"), "flags": lambda: F(S + "flag_count"),
        "tests": lambda: _tests_passing_final(project), "risk": None,
        "status": lambda: _text("status"), "claim": lambda: _text("claim__reviewer__username"),
        "doubt": lambda: _doubt(project),
    }


SORT_KEYS = tuple(sort_expressions(Project()))


def _latest(field: str):
    latest = Submission.objects.filter(task=OuterRef("pk")).order_by("-round")
    return Subquery(latest.values(field)[:1])


def filtered(project: Project, *, writer: str, status: str, flag: str,
             stored: bool) -> QuerySet[Task]:
    """The project's submitted tasks that pass the queue's filters, annotated with `q_at`
    (submission time) and `q_writer` (user id).

    Driven by the stored signals rows (an index walk); while some submitted task has no
    stored row yet (signals not stored by its submission path), by the tasks instead,
    with their latest submission read per row: slower, and those rows' signals are
    unknown to the database (they sort last and match no flag) until they are stored.
    `stored`: every submitted task has a row (`not unstored_exist(project)`).
    """
    tasks = Task.objects.filter(project=project)
    if stored:
        tasks = tasks.filter(signals_cache__project=project).annotate(
            q_at=F(S + "submitted_at"), q_writer=F(S + "writer_id"),
            q_name=F(S + "writer__username"))
    else:
        tasks = (tasks.filter(Exists(Submission.objects.filter(task=OuterRef("pk"))))
                 .annotate(q_at=_latest("submitted_at"), q_writer=_latest("submitted_by_id"),
                           q_name=_latest("submitted_by__username")))
    if writer:
        tasks = tasks.filter(q_name=writer)
    if status and status != "all":
        tasks = tasks.filter(status=status)
    if flag:
        tasks = tasks.filter(signals_cache__flags_text__contains=f",{flag},")
    return tasks


def unstored_exist(project: Project) -> bool:
    """Whether a submitted task of the project has no stored signals (yet): its row was
    made by the submission (`metrics.register_submission`) and not yet filled."""
    return TaskSignals.objects.filter(project=project, key=UNSTORED).exists()


@dataclass
class Median:
    value: float | None
    peers: int


def median_active(project: Project) -> Median:
    """The project's median active time over its stored sessions (as statistics.median)
    and how many there are: what a session's outlier point compares with, whatever the
    queue's filters. Cached until the project's stored signals change (their newest
    `computed_at`, an index look-up): counting 100,000 rows per page is what is avoided."""
    rows = TaskSignals.objects.filter(project=project)
    newest = rows.order_by("-computed_at").values_list("computed_at", flat=True).first()
    key = f"queue-median:{project.pk}:{newest.isoformat() if newest else None}"
    found = cache.get(key)
    if found is None:
        found = _median(rows.filter(active_seconds__isnull=False))
        cache.set(key, found, CACHE_SECONDS)
    return Median(*found)


def _median(values: QuerySet[TaskSignals]) -> tuple[float | None, int]:
    if connection.vendor == "postgresql":  # one pass: the count and the median
        found = values.aggregate(n=Count("pk"), m=Percentile("active_seconds"))
        return found["m"], found["n"]
    peers = values.count()
    if not peers:
        return None, 0
    ordered = values.order_by("active_seconds").values_list("active_seconds", flat=True)
    middle = list(ordered[(peers - 1) // 2: peers // 2 + 1])
    return sum(middle) / len(middle), peers


class Percentile(Aggregate):
    """PostgreSQL's median: percentile_cont(0.5), the mean of the middle two when even."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _risk_sql(median: Median) -> str:
    outlier = (f"CASE WHEN b.active IS NOT NULL AND b.active < {OUTLIER_SHARE * median.value!r}"
               " THEN 1 ELSE 0 END" if median.value and median.peers >= MIN_PEERS else "0")
    score = f"b.fp + {outlier} + b.op + COALESCE(tr.column2, 0.5)"
    return f"ROUND({score}, 2)" if connection.vendor != "postgresql" else (
        f"FLOOR(({score}) * 100 + 0.5) / 100")  # round(score, 2) as Python, in floats


def risk_ids(tasks: QuerySet[Task], *, median: Median, trust: dict, descending: bool,
             offset: int, limit: int) -> list[int]:
    """One page of task ids by risk: the stored parts plus the outlier point and each
    writer's record (a VALUES list of the writers' record parts joined to the rows)."""
    base = tasks.values("pk").annotate(
        fp=F(S + "flag_points"), op=F(S + "own_points"), active=F(S + "active_seconds"),
        w=F("q_writer"), at=F("q_at")).order_by()
    sql, params = base.query.sql_with_params()
    parts = ", ".join(f"({int(t['user_id'])}, {float(record_part(t))!r})"
                      for t in trust.values() if t.get("user_id") is not None)
    values = f"VALUES {parts}" if parts else "VALUES (-1, 0.5)"
    direction = "DESC" if descending else "ASC"
    query = (f"SELECT b.pk FROM ({sql}) b LEFT JOIN ({values}) tr ON tr.column1 = b.w "
             f"ORDER BY {_risk_sql(median)} {direction}, b.at ASC, b.pk ASC "
             f"LIMIT {int(limit)} OFFSET {int(offset)}")
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [row[0] for row in cursor.fetchall()]


def page_ids(project: Project, tasks: QuerySet[Task], *, sort: str, descending: bool,
             offset: int, limit: int) -> list[int]:
    """One page of task ids in the sort's order (not risk)."""
    expression = sort_expressions(project)[sort]()
    order = [F("q_at").asc(), "pk"]
    if expression is not None:
        order.insert(0, expression.desc(nulls_last=True) if descending
                     else expression.asc(nulls_last=True))
    ordered = tasks.order_by(*order)
    return list(ordered.values_list("pk", flat=True)[offset:offset + limit])


def page_tasks(ids: list[int]) -> list[Task]:
    """The page's tasks in `ids` order, annotated as the rows need."""
    from .metrics import with_trace_state

    tasks = (with_trace_state(Task.objects.filter(pk__in=ids).select_related("project", "draft"))
             .annotate(is_gold=gold_exists()))
    by_id = {t.pk: t for t in tasks}
    return [by_id[pk] for pk in ids if pk in by_id]


def writer_names(project: Project) -> list[str]:
    """Who submitted the project's tasks (their queue rows' writers), for the writer
    filter: one index probe per user, not a pass over every row."""
    rows = TaskSignals.objects.filter(project=project, writer=OuterRef("pk"))
    return list(User.objects.filter(Exists(rows)).order_by("username")
                .values_list("username", flat=True))
