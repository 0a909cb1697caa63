"""The services where things happen emit their events, with the documented data."""

import json

import pytest

from oversight.review.services import ReviewError, review_submit
from oversight.webhooks import events
from oversight.webhooks.models import Delivery
from oversight.workspace.importer import import_tasks, parse_lines
from tests.api.export_factories import read_body, read_jsonl
from tests.factories import api_client
from tests.review.traces import careful_work
from tests.webhooks.helpers import drain

SCORES = {"serves-the-need": 4, "no-extras": 5, "factual": 3}


def received(receiver) -> list[tuple[str, int | None]]:
    return [(r["json"]["event"], r["json"]["task_id"]) for r in receiver.requests]


def test_an_import_emits_task_imported_per_new_task(team, hook, receiver):
    lines = [json.dumps({"external_id": f"new-{i}", "prompt": "Explain."}) for i in range(3)]
    result = import_tasks(project=team.project, rows=parse_lines(lines))
    assert result.created == 3
    drain()
    ids = list(team.project.tasks.filter(external_id__startswith="new-")
               .order_by("id").values_list("id", flat=True))
    assert received(receiver) == [(events.TASK_IMPORTED, pk) for pk in ids]
    assert receiver.requests[0]["json"]["data"]["external_id"] == "new-0"


def test_a_submission_emits_task_submitted_with_the_finals_digest(team, hook, receiver):
    submission = careful_work(team.task1, team.writer1)
    drain()
    assert received(receiver) == [(events.TASK_SUBMITTED, team.task1.pk)]
    body = receiver.requests[0]["json"]
    assert body["round"] == 1
    assert body["data"]["sha256"] == submission.sha256
    assert body["data"]["submitted_by"] == team.writer1.username
    assert body["data"]["status"] == "submitted"


def test_an_approval_emits_reviewed_then_approved_with_the_records_export_url(
        team, hook, receiver):
    careful_work(team.task1, team.writer1)
    review_submit(task=team.task1, reviewer=team.reviewer, verdict="approve", scores=SCORES)
    drain()
    assert received(receiver)[1:] == [(events.TASK_REVIEWED, team.task1.pk),
                                      (events.TASK_APPROVED, team.task1.pk)]
    reviewed, approved = (r["json"]["data"] for r in receiver.requests[1:])
    assert (reviewed["verdict"], reviewed["scores"], reviewed["reviewer"]) == (
        "approve", SCORES, team.reviewer.username)
    assert "export_url" not in reviewed
    prefix = "https://oversight.example"
    assert approved["export_url"] == (f"{prefix}/api/export/?project={team.project.slug}"
                                      f"&task={team.task1.pk}&round=1")
    # The link serves exactly that record.
    response = api_client(team.lead).get(approved["export_url"].removeprefix(prefix))
    assert [r["task_id"] for r in read_jsonl(read_body(response))] == [team.task1.pk]


@pytest.mark.parametrize(("verdict", "event"), [
    ("request_changes", events.TASK_CHANGES_REQUESTED), ("reject", events.TASK_REJECTED)])
def test_other_verdicts_emit_their_events(team, hook, receiver, verdict, event):
    careful_work(team.task1, team.writer1)
    review_submit(task=team.task1, reviewer=team.reviewer, verdict=verdict, scores=SCORES,
                  comment="Tighten the second sentence.")
    drain()
    assert [name for name, _ in received(receiver)] == [
        events.TASK_SUBMITTED, events.TASK_REVIEWED, event]
    assert receiver.requests[-1]["json"]["data"]["verdict"] == verdict


def test_a_refused_review_emits_nothing(team, hook, receiver):
    careful_work(team.task1, team.writer1)
    drain()
    with pytest.raises(ReviewError):
        review_submit(task=team.task1, reviewer=team.reviewer, verdict="request_changes",
                      scores=SCORES)  # no comment: refused
    assert not Delivery.objects.filter(event=events.TASK_REVIEWED).exists()


def test_a_later_event_is_one_call(team, hook, receiver):
    """How verifiers and critiques will emit: one call inside their transaction."""
    events.emit_task_event(events.VERIFIER_COMPLETED, task=team.task1,
                           data={"verifier": "pytest", "passed": True})
    drain()
    assert receiver.requests[0]["json"]["data"]["passed"] is True
    with pytest.raises(ValueError):
        events.emit_task_event("task.exploded", task=team.task1)
