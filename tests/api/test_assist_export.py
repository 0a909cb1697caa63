"""Model-help requests in the trajectory (`assists`), in critique records and in format=assist."""

import pytest

from oversight.api.records import trajectory_record
from oversight.assist.models import AssistRequest
from oversight.workspace.models import Task
from tests.api.export_factories import DRAFT, make_trajectory, read_body, read_jsonl
from tests.api.reference_record import reference_record
from tests.factories import api_client

pytestmark = pytest.mark.django_db


def asked(task, user, outcome, *, response="Rayleigh scattering.", kept="", result_seq=None):
    return AssistRequest.objects.create(
        task=task, user=user, action="rewrite", instruction="Say why.", seq=1, start=0, end=7,
        quote=DRAFT[:7], model="test-model", params={"temperature": 0.7, "stream": True},
        messages=[{"role": "user", "content": "…"}], response=response, latency_ms=120,
        outcome=outcome, kept_text=kept, result_seq=result_seq)


@pytest.fixture
def helped(team):
    task = make_trajectory(team.project, team.writer1, team.reviewer)
    accepted = asked(task, team.writer1, "accepted", kept="Rayleigh scattering.", result_seq=2)
    dismissed = asked(task, team.writer1, "dismissed", response="Violet, really.")
    return task, accepted, dismissed


def export(user, **params):
    response = api_client(user).get("/api/export/", params)
    assert response.status_code == 200, response.content
    return read_jsonl(read_body(response))


def test_the_trajectory_lists_every_request_and_both_paths_agree(team, helped):
    task, accepted, dismissed = helped
    record = api_client(team.lead).get(f"/api/tasks/{task.pk}/trajectory/").json()
    assert [a["id"] for a in record["assists"]] == [accepted.pk, dismissed.pk]
    first = record["assists"][0]
    assert first["selection"] == {"start": 0, "end": 7, "quote": DRAFT[:7]}
    assert (first["author"], first["outcome"], first["result_seq"], first["kept_text"]) == (
        team.writer1.username, "accepted", 2, "Rayleigh scattering.")
    fresh = Task.objects.select_related("project", "draft").get(pk=task.pk)
    assert trajectory_record(fresh) == reference_record(fresh)


def test_format_assist_is_one_record_per_request_labelled_for_preference(team, helped):
    task, accepted, dismissed = helped
    records = export(team.lead, format="assist")
    assert [(r["response"], r["outcome"], r["accepted"]) for r in records] == [
        ("Rayleigh scattering.", "accepted", True), ("Violet, really.", "dismissed", False)]
    assert records[0]["kept_text"] == "Rayleigh scattering."
    assert records[0]["prompt"] == task.prompt and records[0]["meta"]["task_id"] == task.pk
    assert records[0]["selection"]["quote"] == DRAFT[:7]


def test_critique_records_include_the_assists(team, helped):
    [record] = export(team.lead, format="critique")
    assert [(a["action"], a["outcome"]) for a in record["assists"]] == [
        ("rewrite", "accepted"), ("rewrite", "dismissed")]
