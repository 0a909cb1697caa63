"""Fill the queue's signal columns of the stored signals rows from their `metrics`, and
give each submitted task without a row an unstored one (who and when only), as
`metrics.register_submission` does for every new submission.

The derivation is `metrics.signal_columns`, the one the signals service stores with:
the rows are read per writer in submission order, so each row's own-history risk
compares with the writer's rows before it, as storing them one by one would have.
"""

import json
from types import SimpleNamespace

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery

BATCH = 2000
FIELDS = ("project_id", "submission_id", "writer_id", "submitted_at", "changed_fraction",
          "active_seconds", "paste_share", "typing_median_ms", "notes", "size", "flag_count",
          "flags_text", "flag_points", "own_points", "own_reasons")


def fill(apps, schema_editor):
    from oversight.core.risk import HISTORY_WINDOW, OWN_SIGNALS
    from oversight.review.metrics import signal_columns

    TaskSignals = apps.get_model("review", "TaskSignals")
    Submission = apps.get_model("traces", "Submission")
    _unstored_rows(apps)
    latest = Submission.objects.filter(task=OuterRef("task_id")).order_by("-round")
    rows = (TaskSignals.objects
            .annotate(s_id=Subquery(latest.values("pk")[:1]),
                      s_by=Subquery(latest.values("submitted_by_id")[:1]),
                      s_at=Subquery(latest.values("submitted_at")[:1]),
                      t_project=Subquery(apps.get_model("workspace", "Task").objects
                                         .filter(pk=OuterRef("task_id")).values("project_id")[:1]))
            .order_by("t_project", "s_by", "s_at", "task_id"))
    window: list[dict] = []
    current = None
    batch = []
    for row in rows.exclude(key="").iterator(chunk_size=BATCH):
        if (row.t_project, row.s_by) != current:
            current, window = (row.t_project, row.s_by), []
        task = SimpleNamespace(project_id=row.t_project, submission_id=row.s_id,
                               submitted_by_id=row.s_by, submitted_at=row.s_at)
        history = None
        if row.s_by is not None and row.s_at is not None:
            earlier = [m for at, m in window if at < row.s_at][-HISTORY_WINDOW:]
            history = {name: [float(m[name]) for m in earlier if m.get(name) is not None]
                       for name in OWN_SIGNALS}
            window.append((row.s_at, row.metrics))
            window = window[-(HISTORY_WINDOW * 2):]
        columns = signal_columns(task, row.metrics, history)
        columns["own_reasons"] = json.dumps(columns["own_reasons"])
        batch.append([columns[name] for name in FIELDS] + [row.pk])
        if len(batch) >= BATCH:
            _write(schema_editor.connection, batch)
            batch = []
    if batch:
        _write(schema_editor.connection, batch)


def _unstored_rows(apps) -> None:
    TaskSignals = apps.get_model("review", "TaskSignals")
    Submission = apps.get_model("traces", "Submission")
    Task = apps.get_model("workspace", "Task")
    latest = Submission.objects.filter(task=OuterRef("pk")).order_by("-round")
    missing = (Task.objects.filter(signals_cache__isnull=True)
               .filter(Exists(Submission.objects.filter(task=OuterRef("pk"))))
               .annotate(s_id=Subquery(latest.values("pk")[:1]),
                         s_by=Subquery(latest.values("submitted_by_id")[:1]),
                         s_at=Subquery(latest.values("submitted_at")[:1]))
               .values_list("pk", "project_id", "s_id", "s_by", "s_at"))
    TaskSignals.objects.bulk_create(
        [TaskSignals(task_id=pk, key="", metrics={}, project_id=project, submission_id=s_id,
                     writer_id=s_by, submitted_at=s_at)
         for pk, project, s_id, s_by, s_at in missing.iterator()], batch_size=BATCH)


def _write(connection, batch: list[list]) -> None:
    """One UPDATE per row, sent as a batch (bulk_update's CASE per field is quadratic)."""
    reasons = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    sets = ", ".join(f"{name} = {reasons if name == 'own_reasons' else '%s'}"
                     for name in FIELDS)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE review_tasksignals SET {sets} WHERE id = %s", batch)


class Migration(migrations.Migration):

    dependencies = [("review", "0006_signal_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
