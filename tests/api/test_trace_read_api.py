"""Reading the trace over HTTP: who may, and what they get."""

import pytest

from oversight.traces.services import note_create
from tests.factories import add_edits, api_client

pytestmark = pytest.mark.django_db

READERS = [("writer1", 200), ("reviewer", 200), ("lead", 200), ("writer2", 404),
           ("outsider", 404)]


@pytest.fixture
def edited(team):
    add_edits(team.task1, team.writer1, "Draft. Keep this.", "Draft. Keep this. Drop that.")
    return team


@pytest.mark.parametrize("path", ["trajectory/", "text/?seq=1", "notes/", "metrics/",
                                  "provenance/?seq=1"])
@pytest.mark.parametrize("who, status", READERS)
def test_who_may_read_a_tasks_trace(edited, path, who, status):
    response = api_client(getattr(edited, who)).get(f"/api/tasks/{edited.task1.pk}/{path}")
    assert response.status_code == status


@pytest.mark.parametrize("path", ["trajectory/", "text/?seq=1", "notes/"])
def test_anonymous_reads_are_refused(edited, path):
    assert api_client().get(f"/api/tasks/{edited.task1.pk}/{path}").status_code == 401


def test_text_at_any_seq(edited):
    client = api_client(edited.lead)
    texts = [client.get(f"/api/tasks/{edited.task1.pk}/text/?seq={seq}").json()["text"]
             for seq in (0, 1, 2)]
    assert texts == ["Draft.", "Draft. Keep this.", "Draft. Keep this. Drop that."]


@pytest.mark.parametrize("seq", ["3", "-1", "x", ""])
def test_text_at_a_seq_outside_the_trajectory_is_a_clear_400(edited, seq):
    response = api_client(edited.lead).get(f"/api/tasks/{edited.task1.pk}/text/?seq={seq}")
    assert response.status_code == 400
    assert "between 0 and 2" in response.json()["error"]["message"]


def test_a_note_whose_text_was_deleted_is_orphaned_but_kept(edited):
    note = note_create(task=edited.task1, author=edited.writer1, body="Cut: nobody asked.",
                       start=18, end=28, quote="Drop that.")
    add_edits(edited.task1, edited.writer1, "Draft. Keep this.")
    notes = api_client(edited.writer1).get(f"/api/tasks/{edited.task1.pk}/notes/").json()
    assert [(n["id"], n["quote"], n["orphaned"]) for n in notes] == [
        (note.pk, "Drop that.", True)]
    record = api_client(edited.lead).get(f"/api/tasks/{edited.task1.pk}/trajectory/").json()
    assert record["notes"][0]["orphaned"] is True


def test_the_trajectory_record_has_the_published_shape(edited):
    record = api_client(edited.writer1).get(f"/api/tasks/{edited.task1.pk}/trajectory/").json()
    assert set(record) >= {"schema", "task_id", "project", "kind", "language", "prompt",
                           "draft", "final", "events", "notes", "reviews", "metrics",
                           "verifier_runs"}
    assert record["schema"] == "oversight.trajectory/v1" and record["final"] is None
    assert set(record["events"][0]) >= {"seq", "t_ms", "author", "client", "round", "kind",
                                        "inferred_kind", "ops"}
    assert record["events"][0]["t_ms"] == 0 and record["events"][0]["author"] == \
        edited.writer1.username
