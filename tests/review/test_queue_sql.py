"""The queue sorted, filtered and paginated by the database gives the order the rows
sorted in Python give (the queue's previous algorithm, kept for unstored projects), and
its pages cover every row once."""

import datetime as dt

import pytest

from oversight.review import queue, selectors
from oversight.review.metrics import signal_columns, store_signals, with_trace_state
from oversight.review.models import Claim, Review, TaskSignals
from oversight.workspace.models import Membership, Task
from tests.factories import add_member, make_project, make_task, make_user
from tests.review.traces import Recorder, submit

pytestmark = pytest.mark.django_db
BASE = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


@pytest.fixture
def varied():
    """Twelve submitted tasks of three writers with different signals, verdicts, claims and
    statuses, two of them submitted at the same moment (a tie on time)."""
    project = make_project(rubric=[{"key": "accuracy", "name": "Accuracy", "question": "?"}])
    lead = make_user()
    add_member(lead, project, Membership.LEAD)
    writers = [make_user() for _ in range(3)]
    for w in writers:
        add_member(w, project, Membership.WRITER)
    tasks = []
    for i in range(12):
        writer = writers[i % 3]
        task = make_task(project, assignees=[writer])
        recorder = Recorder(task)
        if i % 4 == 0:
            recorder.paste(writer, " Copied from somewhere else entirely." * (1 + i % 3))
        else:
            recorder.type(writer, " more" * (1 + i % 4), after_ms=150 + 90 * i)
        submit(task, writer, when=BASE + dt.timedelta(hours=i if i != 7 else 6))
        store_signals(task)
        if i % 3 == 1:
            Review.objects.create(task=task, reviewer=lead, round=1, scores={"accuracy": 3},
                                  verdict=Review.APPROVE if i % 2 else Review.REJECT)
        if i % 5 == 0:
            Claim.objects.create(task=task, reviewer=lead)
        if i in (2, 9):
            Task.objects.filter(pk=task.pk).update(status="approved")
        tasks.append(task)
    return project, writers, tasks


def python_page(project, **options) -> list[int]:
    """The order of the queue's previous algorithm: every row built and sorted in Python."""
    page = selectors._unstored_page(project, **{"writer": "", "status": "submitted",
                                                "flag": "", "sort": "submitted",
                                                "descending": False, "page": 1,
                                                "size": 500, **options})
    return [r["task"].pk for r in page.rows]


def sql_page(project, **options) -> list[int]:
    assert not queue.unstored_exist(project)
    return [r["task"].pk for r in selectors.queue_page(project, size=500, **options).rows]


@pytest.mark.parametrize("sort", sorted(selectors.SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_gives_the_python_order(varied, sort, descending):
    project, _, tasks = varied
    for status in ("submitted", "all"):
        got = sql_page(project, sort=sort, descending=descending, status=status)
        assert got == python_page(project, sort=sort, descending=descending, status=status)
    assert len(sql_page(project, sort=sort, status="all")) == len(tasks)


def test_the_sorts_are_not_all_one_order(varied):
    project, _, _ = varied
    orders = {tuple(sql_page(project, sort=s, status="all")) for s in selectors.SORTS}
    assert len(orders) >= 6  # the fixture separates the columns


@pytest.mark.parametrize("options", [
    {"status": "approved"}, {"status": "all", "flag": "paste_heavy"},
    {"status": "all", "flag": "each", "sort": "risk", "descending": True},
    {"status": "all", "writer": 0, "sort": "active"}, {"writer": 1, "sort": "risk"},
    {"status": "changes_requested"}])
def test_every_filter_gives_the_python_rows(varied, options):
    project, writers, _ = varied
    if "writer" in options:
        options = {**options, "writer": writers[options["writer"]].username}
    if options.get("flag") == "each":  # every flag the fixture raised
        raised = {f for m in TaskSignals.objects.values_list("metrics", flat=True)
                  for f in m["flags"]}
        assert raised
        for flag in sorted(raised):
            one = {**options, "flag": flag}
            assert sql_page(project, **one) == python_page(project, **one) != []
        return
    got = sql_page(project, **options)
    assert got == python_page(project, **options)
    if options.get("status") != "changes_requested":
        assert got  # the fixture has rows for each of these


def test_a_flag_filter_matches_only_that_flag(varied):
    project, _, _ = varied
    rows = selectors.queue_page(project, status="all", flag="paste_heavy").rows
    assert rows and all("paste_heavy" in r["flags"] for r in rows)


@pytest.mark.parametrize("sort", ["submitted", "risk", "writer", "flags", "claim"])
def test_pages_cover_every_row_once_in_order(varied, sort):
    project, _, tasks = varied
    whole = sql_page(project, sort=sort, descending=True, status="all")
    pages, number = [], 1
    while True:
        page = selectors.queue_page(project, sort=sort, descending=True, status="all",
                                    page=number, size=5)
        pages.append([r["task"].pk for r in page.rows])
        assert page.has_previous == (number > 1)
        if not page.has_next:
            break
        number += 1
    assert [pk for p in pages for pk in p] == whole
    assert [len(p) for p in pages] == [5, 5, 2]
    assert len(whole) == len(tasks)
    beyond = selectors.queue_page(project, sort=sort, status="all", page=99, size=5)
    assert beyond.rows == [] and beyond.has_previous and not beyond.has_next


def test_the_page_links_keep_the_filters_and_sort(varied, client):
    project, writers, _ = varied
    lead = Membership.objects.get(project=project, role=Membership.LEAD).user
    client.force_login(lead)
    url = f"/review/{project.slug}/?status=all&sort=risk&dir=desc"
    response = client.get(url)
    page = response.context["page"]
    assert page.number == 1 and not page.has_next and len(page.rows) == 12  # 50 a page
    assert "Tasks 1–12" in response.content.decode()
    assert client.get(url + "&page=abc").context["page"].number == 1
    small = selectors.queue_page(project, status="all", sort="risk", descending=True, size=5)
    assert small.has_next  # the view's links: the same parameters, the next page
    second = client.get(url + "&page=2").content.decode()
    assert 'rel="prev"' in second and "page=1" in second and "sort=risk" in second


def test_store_signals_writes_the_columns_from_the_metrics(varied):
    project, writers, tasks = varied
    for task in tasks:
        row = TaskSignals.objects.get(task=task)
        annotated = with_trace_state(Task.objects.filter(pk=task.pk)).get()
        m = row.metrics
        assert row.project_id == project.pk and row.submission_id == annotated.submission_id
        assert row.writer.username == annotated.submitted_by
        assert row.submitted_at == annotated.submitted_at
        assert (row.changed_fraction, row.active_seconds, row.paste_share, row.notes) == (
            m["changed_fraction"], m["active_seconds"], m["paste_share"], m["notes"])
        assert row.size == m["chars_inserted"] + m["chars_deleted"]
        assert row.flag_count == len(m["flags"])
        assert row.flags_text == "".join(f",{f}" for f in m["flags"]) + ","


def test_the_data_migration_fills_the_columns_as_the_service_does(varied):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    project, _, tasks = varied
    before = {r.task_id: r for r in TaskSignals.objects.all()}
    TaskSignals.objects.update(project=None, writer=None, submitted_at=None, size=None,
                               flag_count=0, flags_text="", flag_points=0, own_points=0)
    editor = SimpleNamespace(connection=connection)
    import_module("oversight.review.migrations.0007_fill_signal_columns").fill(apps, editor)
    for row in TaskSignals.objects.all():
        old = before[row.task_id]
        for name in ("project_id", "writer_id", "submitted_at", "size", "flag_count",
                     "flags_text", "flag_points", "own_points", "own_reasons"):
            assert getattr(row, name) == getattr(old, name), name


def test_signal_columns_are_derived_in_one_place():
    """The bench and the data migration build rows with the service's own derivation."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in ("bench/lists_bench.py", "oversight/review/migrations/0007_fill_signal_columns.py"):
        assert "signal_columns(" in (root / path).read_text()
    assert callable(signal_columns)


@pytest.mark.parametrize("descending", [False, True])
def test_doubt_and_tests_follow_the_critiques_and_runs_as_python_does(varied, descending):
    """With model critiques (the SQL mean of a JSON array) and test runs (the latest
    finished run on the final's text) present, not only the flag part."""
    from oversight.judge.models import ModelCritique
    from oversight.traces.models import Submission
    from oversight.verifiers.models import VerifierRun

    project, _, tasks = varied
    for i, task in enumerate(tasks[:8]):
        ModelCritique.objects.create(
            task=task, round=1, target=ModelCritique.FINAL,
            status=ModelCritique.DONE if i != 3 else ModelCritique.FAILED,
            principles=[{"key": "accuracy", "score": 1 + i % 5, "critique": "c"},
                        {"key": "clarity", "score": 1 + (i * 3) % 5, "critique": "c"}])
    for i, task in enumerate(tasks[2:10]):
        sha = Submission.objects.filter(task=task).order_by("-round").first().sha256
        for j, passed in enumerate((i % 3, (i * 2) % 5)):
            VerifierRun.objects.create(task=task, seq=1, sha256=sha if i != 4 else "0" * 64,
                                       text="t", spec={}, status="passed" if j else "failed",
                                       total=5, passed=passed)
    for sort in ("doubt", "tests"):
        got = sql_page(project, sort=sort, descending=descending, status="all")
        assert got == python_page(project, sort=sort, descending=descending, status="all")
    rows = selectors.queue_page(project, sort="doubt", descending=True, status="all").rows
    assert rows[0]["doubt"] > rows[-1]["doubt"]
