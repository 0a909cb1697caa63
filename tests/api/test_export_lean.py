"""The export's lean record equals the straightforward `reference_record`, byte for byte.

The export builds records from rows (`trajectory_record`) and takes the quality
signals stored at submission when they still describe the trace; these tests hold it
to the straightforward assembly through the core's dataclasses, metrics included.
"""

import pytest
from django.utils import timezone

from oversight.api.export import export_chunks, jsonl_line
from oversight.api.export_selectors import ExportFilters
from oversight.api.records import related_rows, trajectory_record
from oversight.review import metrics as review_metrics
from oversight.review.metrics import UNSTORED, metrics_for, store_signals, with_trace_state
from oversight.review.models import TaskSignals
from oversight.traces.models import Note, NoteVersion
from oversight.workspace import status as task_status
from oversight.workspace.models import Task
from tests.api.export_factories import ROUND_1, add_note, make_trajectory
from tests.api.reference_record import reference_record
from tests.factories import add_edits, api_client, make_task


def withdraw(note: Note) -> None:
    Note.objects.filter(pk=note.pk).update(withdrawn=True)
    NoteVersion.objects.create(note=note, body=note.body, principle=note.principle,
                               withdrawn=True, server_ms=note.server_ms + 10)


@pytest.fixture
def tasks(team):
    """Tasks of every shape a record has: rounds, no final, orphaned and withdrawn notes."""
    one = make_trajectory(team.project, team.writer1, team.reviewer)
    two = make_trajectory(team.project, team.writer2, team.reviewer, rounds=2)  # orphans its note
    editing = make_trajectory(team.project, team.writer1, team.reviewer,
                              status=task_status.IN_PROGRESS)
    silent = make_trajectory(team.project, team.writer1, team.reviewer, note=False)
    withdrawn = make_trajectory(team.project, team.writer2, team.reviewer)
    withdraw(withdrawn.notes.get())
    add_note(withdrawn, team.writer2, seq=2, quote="sky", text=ROUND_1[2], body="Kept.")
    opened = make_trajectory(team.project, team.writer1, team.reviewer)
    Task.objects.filter(pk=opened.pk).update(opened_at=timezone.now())
    empty = make_task(team.project, draft_text="Nothing happened.")
    return [Task.objects.select_related("project", "draft").get(pk=t.pk)
            for t in (one, two, editing, silent, withdrawn, opened, empty)]


def stored_signals():
    """Rows with signals stored (a submission's own queue row holds none: UNSTORED)."""
    return TaskSignals.objects.exclude(key=UNSTORED).exists()


def assert_same(task, round_=None):
    expected = reference_record(task, round_)
    lean = trajectory_record(task, round_)
    assert lean == expected
    assert jsonl_line(lean) == jsonl_line(expected)  # key order too
    return lean


@pytest.mark.django_db
def test_without_stored_signals_the_lean_record_computes_them_and_stores_nothing(tasks):
    for task in tasks:
        assert_same(task)
    assert_same(tasks[1], 1)  # an earlier round's final
    assert not stored_signals()


@pytest.mark.django_db
def test_with_stored_signals_the_lean_record_takes_them_and_equals_the_computed_one(
        tasks, monkeypatch):
    for task in tasks:
        store_signals(task)  # as the submission stores them
    assert TaskSignals.objects.count() == len(tasks)
    expected = [reference_record(task) for task in tasks]

    def no_computing(*args, **kwargs):
        raise AssertionError("the stored signals should have been used")

    monkeypatch.setattr(review_metrics, "task_signals", no_computing)
    for task, record in zip(tasks, expected, strict=True):
        lean = trajectory_record(task)
        assert lean == record and jsonl_line(lean) == jsonl_line(record)


@pytest.mark.django_db
def test_stored_signals_of_another_state_of_the_trace_are_not_used(tasks):
    task = tasks[0]
    store_signals(task)
    add_note(task, task.assignees.first(), seq=1, quote="sky", text=ROUND_1[1], body="Later.")
    assert_same(task)  # one more live note: a new key, computed afresh
    stored = TaskSignals.objects.get(task=task)
    assert stored.metrics["notes"] == 1  # and the store left as it was


@pytest.mark.django_db
def test_stored_signals_missing_a_field_or_reordered_are_handled(tasks):
    task = tasks[0]
    store_signals(task)
    stored = TaskSignals.objects.get(task=task)
    stored.metrics = dict(reversed(list(stored.metrics.items())))  # as jsonb may return them
    stored.save()
    assert_same(task)
    stored.metrics.pop("mean_p_burst")  # written before a signal was added: a miss
    stored.save()
    assert_same(task)


@pytest.mark.django_db
def test_stored_signals_are_really_read_when_the_key_matches(tasks):
    task = tasks[0]
    store_signals(task)
    TaskSignals.objects.filter(task=task).update(
        metrics={**TaskSignals.objects.get(task=task).metrics, "events": 999})
    assert trajectory_record(task)["metrics"]["events"] == 999


@pytest.mark.django_db
def test_the_export_stream_is_the_straightforward_records_as_jsonl(tasks, team):
    filters = ExportFilters(statuses=None)
    store_signals(tasks[0])  # one warm, the others cold
    streamed = b"".join(export_chunks(projects=[team.project], fmt="trajectory",
                                      filters=filters))
    exported = Task.objects.filter(project=team.project).select_related("project", "draft")
    assert {t.pk for t in tasks} <= {t.pk for t in exported}
    expected = b"".join(jsonl_line(reference_record(task)) for task in exported.order_by("id"))
    assert streamed == expected


@pytest.mark.django_db
def test_rows_read_for_a_batch_give_each_task_its_own_record(tasks):
    related = related_rows([t.pk for t in tasks])
    for task in tasks:
        assert trajectory_record(task, related=related) == reference_record(task)


@pytest.mark.django_db
def test_metrics_for_computes_what_is_missing_and_writes_nothing(tasks):
    annotated = list(with_trace_state(Task.objects.filter(pk__in=[t.pk for t in tasks])
                                      .select_related("project", "draft")))
    computed = metrics_for(annotated)
    assert not stored_signals()
    assert computed == {t.pk: reference_record(t)["metrics"] for t in tasks}


@pytest.mark.django_db
def test_a_submission_stores_the_tasks_signals(team, django_capture_on_commit_callbacks):
    task = make_task(team.project, draft_text="Draft.", assignees=[team.writer1])
    add_edits(task, team.writer1, "Draft. More.")
    with django_capture_on_commit_callbacks(execute=True):  # stored once the submit commits
        response = api_client(team.writer1).post(f"/api/tasks/{task.pk}/submit/")
    assert response.status_code == 201, response.content
    stored = TaskSignals.objects.get(task=task)
    task = Task.objects.select_related("project", "draft").get(pk=task.pk)
    assert stored.metrics == reference_record(task)["metrics"]
    assert trajectory_record(task) == reference_record(task)


@pytest.mark.django_db
def test_a_submission_succeeds_when_its_signals_cannot_be_stored(
        team, monkeypatch, caplog, django_capture_on_commit_callbacks):
    def broken(task):
        raise RuntimeError("signals down")

    monkeypatch.setattr(review_metrics, "compute_metrics", broken)
    task = make_task(team.project, draft_text="Draft.", assignees=[team.writer1])
    add_edits(task, team.writer1, "Draft. More.")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(team.writer1).post(f"/api/tasks/{task.pk}/submit/")
    assert response.status_code == 201, response.content
    assert not stored_signals()
    assert "could not store its quality signals" in caplog.text


@pytest.mark.django_db
def test_the_notes_api_and_the_record_orphan_the_same_notes(tasks, team):
    client = api_client(team.reviewer)
    orphaned_somewhere = False
    for task in tasks:
        listed = {n["id"]: n["orphaned"] for n in
                  client.get(f"/api/tasks/{task.pk}/notes/").json()}
        recorded = {n["id"]: n["orphaned"] for n in trajectory_record(task)["notes"]}
        assert listed == recorded
        orphaned_somewhere |= any(recorded.values())
    assert orphaned_somewhere  # the fixture's second task orphans its note


@pytest.mark.django_db
def test_the_browsers_evidence_and_focus_are_the_same_in_the_lean_record(team):
    from oversight.traces.models import EditEvent, FocusLoss

    task = make_trajectory(team.project, team.writer1, team.reviewer)
    first = EditEvent.objects.filter(task=task).order_by("seq").first()
    insert = next(e for e in EditEvent.objects.filter(task=task).order_by("seq")
                  if any("insert" in op for op in e.ops))
    EditEvent.objects.filter(pk=insert.pk).update(evidence={"silent": True, "untrusted": True})
    FocusLoss.objects.create(task=task, author=team.writer1, client_id=3,
                             lost_ms=first.server_ms - 500, back_ms=first.server_ms + 900)
    task = Task.objects.select_related("project", "draft").get(pk=task.pk)
    lean = assert_same(task)
    marked = lean["events"][insert.seq - 1]
    assert marked["silent"] is True and marked["untrusted"] is True
    assert marked["paste_source"]  # a silent insert counts as a paste
    assert lean["focus"] == [{"author": team.writer1.username, "client": 3,
                              "lost_t_ms": -500, "back_t_ms": 900}]
