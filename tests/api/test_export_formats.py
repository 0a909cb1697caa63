"""GET /api/export/: each format's record shape, and the trajectory round trip through replay."""

import pytest
from django.urls import reverse

from oversight.api import export_request
from oversight.core.replay import replay
from oversight.core.trajectory import SCHEMA, sha256_text
from oversight.review.models import Review
from oversight.traces.models import EditEvent
from oversight.workspace import status as task_status
from tests.api.export_factories import (
    DRAFT,
    ROUND_1,
    ROUND_2,
    SCORES,
    make_trajectory,
    read_body,
    read_jsonl,
)
from tests.factories import api_client

URL = reverse("export")
META_KEYS = {"task_id", "project", "writer", "model", "scores", "signals", "schema",
             "self_review", "verifier", "group", "experiment", "variant"}


def export(user, **params):
    response = api_client(user).get(URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    return read_jsonl(read_body(response))


@pytest.fixture
def trajectories(team):
    """An approved one-round task, an approved two-round task and one still in progress."""
    one = make_trajectory(team.project, team.writer1, team.reviewer)
    two = make_trajectory(team.project, team.writer2, team.reviewer, rounds=2)
    editing = make_trajectory(team.project, team.writer1, team.reviewer,
                              status=task_status.IN_PROGRESS)
    return one, two, editing


def test_trajectory_records_follow_the_v1_schema(team, trajectories):
    one, two, _ = trajectories
    records = export(team.lead)
    assert [r["task_id"] for r in records] == [one.pk, two.pk]
    first = records[0]
    assert first["schema"] == SCHEMA and first["project"] == team.project.slug
    assert first["draft"]["text"] == DRAFT
    assert first["final"]["text"] == ROUND_1[-1]
    assert first["final"]["sha256"] == sha256_text(ROUND_1[-1])
    assert first["final"]["submitted_by"] == team.writer1.username
    assert [e["seq"] for e in first["events"]] == list(range(1, len(ROUND_1)))
    assert [e["kind"] for e in first["events"]][:3] == ["delete.backward", "input.type",
                                                        "input.type"]
    assert first["notes"][0]["quote"] == "Rayleigh"
    assert [r["verdict"] for r in first["reviews"]] == [Review.APPROVE]
    assert set(first["metrics"]) >= {"changed_share", "flags", "events"}
    assert records[1]["final"]["round"] == 2 and records[1]["final"]["text"] == ROUND_2[-1]


def test_every_exported_trajectory_replays_to_its_final(team, trajectories):
    records = export(team.lead, status="any")
    unfinished = {team.task1.pk, team.task2.pk, trajectories[2].pk}
    assert len(records) == 5
    for record in records:
        events = record["events"]
        if record["final"] is None:
            assert record["task_id"] in unfinished
            continue
        final = record["final"]
        # Events of later rounds come after the final they are measured against.
        upto = [e for e in events if e["round"] <= final["round"]]
        assert replay(record["draft"]["text"], upto) == final["text"]
        assert sha256_text(final["text"]) == final["sha256"]


def test_an_earlier_round_replays_from_its_own_events(team, trajectories):
    _, two, _ = trajectories
    [record] = export(team.lead, round="1", writer=team.writer2.username)
    assert record["task_id"] == two.pk and record["final"]["round"] == 1
    upto = [e for e in record["events"] if e["round"] == 1]
    assert replay(record["draft"]["text"], upto) == record["final"]["text"] == ROUND_1[-1]


def test_sft_records_are_a_user_and_an_assistant_message(team, trajectories):
    one, two, _ = trajectories
    records = export(team.lead, format="sft")
    assert [r["meta"]["task_id"] for r in records] == [one.pk, two.pk]
    assert records[0]["messages"] == [{"role": "user", "content": one.prompt},
                                      {"role": "assistant", "content": ROUND_1[-1]}]
    assert set(records[0]) == {"messages", "meta"}
    assert set(records[0]["meta"]) == META_KEYS
    assert records[0]["meta"]["writer"] == team.writer1.username
    assert records[0]["meta"]["scores"] == SCORES
    assert records[0]["meta"]["model"] == "demo-model"


def test_preference_records_pair_the_final_over_the_draft(team, trajectories):
    records = export(team.lead, format="preference")
    assert set(records[0]) == {"prompt", "chosen", "rejected", "meta"}
    assert records[0]["chosen"] == ROUND_1[-1] and records[0]["rejected"] == DRAFT
    assert records[1]["chosen"] == ROUND_2[-1]


def test_critique_records_carry_the_live_notes(team, trajectories):
    [record, _] = export(team.lead, format="critique")
    assert set(record) == {"prompt", "draft", "notes", "final", "assists", "meta"}
    assert record["draft"] == DRAFT and record["final"] == ROUND_1[-1]
    assert record["notes"] == [{"quote": "Rayleigh", "principle": "factual",
                                "body": "Name the effect: violet scatters more, but the sky "
                                        "looks blue to us."}]


def test_edits_records_are_one_per_event_and_chain(team, trajectories):
    one, _, editing = trajectories
    records = [r for r in export(team.lead, format="edits", status="any")
               if r["meta"]["task_id"] in (one.pk, editing.pk)]
    assert len(records) == 2 * (len(ROUND_1) - 1)  # the in-progress task exports its edits too
    mine = [r for r in records if r["meta"]["task_id"] == one.pk]
    assert [r["text_before"] for r in mine] == ROUND_1[:-1]
    assert [r["text_after"] for r in mine] == ROUND_1[1:]
    assert set(mine[0]) == {"prompt", "text_before", "ops", "text_after", "kind", "note", "meta"}
    noted = [r for r in mine if r["note"]]
    assert len(noted) == 1 and noted[0]["text_after"] == ROUND_1[-1]


def test_formats_that_need_a_final_skip_tasks_without_one(team, trajectories):
    for fmt in ("sft", "preference", "critique"):
        ids = [r["meta"]["task_id"] for r in export(team.lead, format=fmt, status="any")]
        assert trajectories[2].pk not in ids and len(ids) == 2


def test_an_unknown_format_is_a_400_with_the_consistent_error_body(team):
    response = api_client(team.lead).get(URL, {"format": "parquet"})
    assert response.status_code == 400
    assert response.json() == {"error": {
        "code": "unknown_format",
        "message": export_request.UNKNOWN_FORMAT.format(value="parquet"),
        "detail": {"format": "parquet",
                   "expected": ["trajectory", "sft", "preference", "critique", "edits",
                                "judgement", "assist"]}}}


def test_line_separators_inside_text_stay_inside_one_line(team):
    text = "Line\u2028separator, paragraph\u2029separator, next\x85line."
    task = make_trajectory(team.project, team.writer1, team.reviewer,
                           texts=[DRAFT, DRAFT + " " + text], note=False)
    body = read_body(api_client(team.lead).get(URL, {"format": "preference"})).decode()
    assert len(body.splitlines()) == 1
    [record] = read_jsonl(body.encode())
    assert record["chosen"].endswith(text) and record["meta"]["task_id"] == task.pk
    assert EditEvent.objects.filter(task=task).count() == 1
