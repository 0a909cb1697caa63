"""GET /api/tasks/<id>/provenance/?seq=N, the final's provenance and the final_share_* metrics."""

import pytest

from tests.factories import add_edits, api_client

pytestmark = pytest.mark.django_db

SUGGESTION = " The model suggests this sentence."


@pytest.fixture
def edited(team):
    task = team.task1  # draft "Draft."
    add_edits(task, team.writer1, "Draft." + SUGGESTION, kind="model.assist")
    add_edits(task, team.writer1, "Draft." + SUGGESTION[:4] + "X" + SUGGESTION[4:])
    add_edits(task, team.writer2, "Draft!" + SUGGESTION[:4] + "X" + SUGGESTION[4:], kind="")
    return team


def spans(runs):
    return [(r["start"], r["end"], r["origin"], r["author"]) for r in runs]


def test_runs_at_every_seq(edited):
    client, pk = api_client(edited.lead), edited.task1.pk
    w1, w2 = edited.writer1.username, edited.writer2.username
    n = len(SUGGESTION)
    at = [client.get(f"/api/tasks/{pk}/provenance/?seq={seq}").json() for seq in range(4)]
    assert spans(at[0]) == [(0, 6, "draft", "demo-model")]
    assert spans(at[1]) == [(0, 6, "draft", "demo-model"), (6, 6 + n, "model.assist", w1)]
    assert spans(at[2]) == [(0, 6, "draft", "demo-model"), (6, 10, "model.assist", w1),
                            (10, 11, "typed", w1), (11, 7 + n, "model.assist", w1)]
    # writer2's stock client (no kind reported) replaced the full stop: typed, inferred.
    assert spans(at[3]) == [(0, 5, "draft", "demo-model"), (5, 6, "typed", w2),
                            (6, 10, "model.assist", w1), (10, 11, "typed", w1),
                            (11, 7 + n, "model.assist", w1)]
    assert at[2][2]["first_seq"] == 2 and at[2][1]["first_seq"] == 1
    assert client.get(f"/api/tasks/{pk}/provenance/").json() == at[3]  # default: the last seq


@pytest.mark.parametrize("seq", ["4", "-1", "x"])
def test_a_seq_outside_the_trajectory_is_a_clear_400(edited, seq):
    response = api_client(edited.lead).get(f"/api/tasks/{edited.task1.pk}/provenance/?seq={seq}")
    assert response.status_code == 400
    assert "between 0 and 3" in str(response.json())


def test_submission_stores_the_shares_and_the_trajectory_carries_the_final_runs(
        edited, django_capture_on_commit_callbacks):
    writer = api_client(edited.writer1)
    pk = edited.task1.pk
    with django_capture_on_commit_callbacks(execute=True):  # the signals follow the commit
        assert writer.post(f"/api/tasks/{pk}/submit/").status_code == 201
    lead = api_client(edited.lead)
    trajectory = lead.get(f"/api/tasks/{pk}/trajectory/").json()
    runs = lead.get(f"/api/tasks/{pk}/provenance/").json()
    assert trajectory["final"]["provenance"] == runs
    total = len(trajectory["final"]["text"])
    assert runs[-1]["end"] == total
    metrics = trajectory["metrics"]
    assert metrics["final_share_draft"] == 5 / total
    assert metrics["final_share_typed"] == 2 / total
    assert metrics["final_share_model"] == (total - 7) / total
    assert metrics["final_share_pasted"] == 0.0
    from oversight.review.models import TaskSignals
    from oversight.traces.models import Submission

    stored = TaskSignals.objects.get(task_id=pk).metrics  # computed at submission
    assert stored["final_share_model"] == metrics["final_share_model"]
    assert Submission.objects.get(task_id=pk).provenance == runs  # frozen with the final


def test_records_read_the_provenance_the_submission_froze(edited):
    from oversight.api.records import trajectory_record
    from oversight.traces.models import Submission
    from oversight.workspace.models import Task
    from tests.api.reference_record import reference_record

    pk = edited.task1.pk
    assert api_client(edited.writer1).post(f"/api/tasks/{pk}/submit/").status_code == 201
    frozen = Submission.objects.get(task_id=pk).provenance
    task = Task.objects.select_related("project", "draft").get(pk=pk)
    assert reference_record(task)["final"]["provenance"] == frozen
    # Not replayed: a stored value is what both record paths carry.
    marked = [dict(frozen[0], author="as-stored"), *frozen[1:]]
    Submission.objects.filter(task_id=pk).update(provenance=marked)
    assert reference_record(task)["final"]["provenance"] == marked
    assert trajectory_record(task)["final"]["provenance"] == marked
    # One stored before submissions kept it is computed from the events.
    Submission.objects.filter(task_id=pk).update(provenance=None)
    assert trajectory_record(task)["final"]["provenance"] == frozen
