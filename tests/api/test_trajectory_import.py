"""Importing recorded trajectories: the command and POST /api/trajectories/bulk/.

Round trip: export → import → export gives the same events, final, notes and metrics;
a stock client's record (null kinds, no inferred kinds) is inferred; bad records fail
the whole file with their line and field.
"""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from oversight.review.stats import writer_stats
from oversight.traces.models import EditEvent
from oversight.workspace.models import Task
from tests.factories import add_member, api_client, make_project
from tests.review.traces import Recorder, note, submit

URL = reverse("trajectory-bulk-import")
ANSWER = "Copied from a chatbot: the sky scatters blue light more than red light. " * 3


def recorded(team):
    """A trajectory with typing, a paste, a deletion, a note and a submission."""
    task = team.task1
    Task.objects.filter(pk=task.pk).update(opened_at=dt.datetime.now(dt.UTC)
                                           - dt.timedelta(minutes=5))
    task.refresh_from_db()
    Recorder(task).type(team.writer1, " Truly, it is", after_ms=210).paste(
        team.writer1, ANSWER).delete(team.writer1, 3, 2)
    note(task, team.writer1, "Truly", body="Hedged the claim.")
    submit(task, team.writer1)
    return api_client(team.lead).get(f"/api/tasks/{task.pk}/trajectory/").json()


def post(user, body: str, slug: str):
    return api_client(user).generic("POST", f"{URL}?project={slug}", body.encode("utf-8"),
                                    content_type="application/x-ndjson")


def comparable(record):
    notes = [{k: v for k, v in n.items() if k != "id"} for n in record["notes"]]
    return record["events"], record["final"], notes, record["metrics"]


def test_export_import_export_gives_the_same_events_final_notes_and_metrics(team):
    original = recorded(team)
    assert original["metrics"]["flags"]  # something to carry over: the paste's flags
    response = post(team.lead, json.dumps(original) + "\n", team.project.slug)
    assert response.status_code == 201, response.json()
    [task_id] = response.json()["task_ids"]
    again = api_client(team.lead).get(f"/api/tasks/{task_id}/trajectory/").json()
    assert comparable(again) == comparable(original)
    assert again["prompt"] == original["prompt"] and again["draft"] == original["draft"]


def test_the_command_imports_a_file_into_a_fresh_project(team, tmp_path):
    original = recorded(team)
    other = make_project(slug="elsewhere")
    path = tmp_path / "traces.jsonl"
    path.write_text(json.dumps(original) + "\n")
    call_command("import_trajectories", str(path), "--project", "elsewhere")
    task = Task.objects.get(project=other)
    assert task.external_id == f"trajectory-{original['task_id']}"
    assert EditEvent.objects.filter(task=task).count() == len(original["events"])
    # The writers' dashboard counts the imported submission, with its signals' flags.
    [row] = writer_stats(other)
    assert (row["writer"], row["tasks"]) == (team.writer1.username, 1)
    assert row["flag_counts"] == {f: 1 for f in sorted(original["metrics"]["flags"])}


def test_the_api_import_counts_in_the_writers_dashboard(team):
    original = recorded(team)
    other = make_project(slug="elsewhere")
    add_member(team.lead, other, "lead")
    assert post(team.lead, json.dumps(original) + "\n", "elsewhere").status_code == 201
    [row] = writer_stats(other)
    assert (row["writer"], row["tasks"], row["flagged"]) == (team.writer1.username, 1, 1)


def test_a_stock_clients_record_gets_its_kinds_inferred_and_metrics_recomputed(team):
    record = recorded(team)
    for event in record["events"]:
        event["kind"] = None
        del event["inferred_kind"]
    record["metrics"] = {"flags": ["made_up"], "changed_share": 99}
    record["final"].pop("sha256")
    response = post(team.lead, json.dumps(record), team.project.slug)
    assert response.status_code == 201
    again = api_client(team.lead).get(
        f"/api/tasks/{response.json()['task_ids'][0]}/trajectory/").json()
    assert {e["kind"] for e in again["events"]} == {""}
    assert [e["inferred_kind"] for e in again["events"]][:2] == ["typed", "typed"]
    assert "paste-like" in {e["inferred_kind"] for e in again["events"]}
    assert "made_up" not in again["metrics"]["flags"] and again["metrics"]["changed_share"] < 99
    assert "external_paste" in again["metrics"]["flags"]  # unreported, still a paste


def test_bad_records_fail_the_whole_file_with_line_and_field(team, tmp_path):
    good = recorded(team)
    wrong_final = {**good, "final": {**good["final"], "text": "something else"}}
    wrong_sha = {**good, "final": {**good["final"], "sha256": "0" * 64}}
    gap = {**good, "events": good["events"][:1] + good["events"][2:]}
    bad_op = {**good, "events": [{**good["events"][0], "ops": [{"retain": "x"}]}]}
    lines = [json.dumps(good), json.dumps(wrong_final), "{not json", json.dumps(wrong_sha),
             json.dumps(gap), json.dumps(bad_op), json.dumps({**good, "schema": "v0"})]
    before = Task.objects.count()
    response = post(team.lead, "\n".join(lines), team.project.slug)
    assert response.status_code == 400
    errors = response.json()["error"]["detail"]["errors"]
    assert "line 2: final.text: the events replayed on the draft give a different text" in errors
    assert any(e.startswith("line 3: not JSON") for e in errors)
    assert "line 4: final.sha256: does not match final.text" in errors
    assert "line 5: events[1].seq: expected seq 2 (seqs are gapless from 1)" in errors
    assert any(e.startswith("line 6: events[0].ops: expected ops of") for e in errors)
    assert "line 7: schema: expected 'oversight.trajectory/v1', got 'v0'" in errors
    assert not any(e.startswith("line 1:") for e in errors)
    assert Task.objects.count() == before  # nothing imported, not even line 1
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines))
    with pytest.raises(CommandError, match="line 2: final.text"):
        call_command("import_trajectories", str(path), "--project", team.project.slug)
    assert Task.objects.count() == before


def test_an_imported_id_already_in_the_project_is_refused(team):
    record = recorded(team)
    assert post(team.lead, json.dumps(record), team.project.slug).status_code == 201
    response = post(team.lead, json.dumps(record), team.project.slug)
    assert response.status_code == 400
    assert response.json()["error"]["detail"]["errors"] == [
        f"line 1: external_id: task 'trajectory-{record['task_id']}' is already in the project"]


def test_only_leads_and_admins_import_and_the_project_is_required(team):
    body = json.dumps(recorded(team))
    assert post(team.writer1, body, team.project.slug).status_code == 403
    assert post(team.reviewer, body, team.project.slug).status_code == 403
    assert post(team.lead, body, "no-such-project").status_code == 404
    response = api_client(team.lead).generic("POST", URL, body.encode(),
                                             content_type="application/x-ndjson")
    assert response.status_code == 400 and response.json()["error"]["code"] == "project_required"


def test_unknown_authors_become_inactive_placeholders(team):
    record = recorded(team)
    for event in record["events"]:
        event["author"] = "visiting-expert"
    record["final"]["submitted_by"] = "visiting-expert"
    record["notes"] = []
    response = post(team.lead, json.dumps(record), team.project.slug)
    assert response.status_code == 201
    visitor = get_user_model().objects.get(username="visiting-expert")
    assert not visitor.is_active and not visitor.has_usable_password()


def test_the_round_trip_keeps_the_browsers_evidence_and_the_focus_intervals(team):
    """Marks, each paste's source (even one judged against model help the import lacks)
    and the focus-lost intervals survive export → import → export."""
    from oversight.assist.models import AssistRequest
    from oversight.traces.models import FocusLoss

    task = team.task1
    Recorder(task).type(team.writer1, " Truly", after_ms=210).paste(team.writer1, ANSWER)
    events = list(EditEvent.objects.filter(task=task).order_by("seq"))
    EditEvent.objects.filter(pk=events[0].pk).update(evidence={"untrusted": True})
    EditEvent.objects.filter(pk=events[-1].pk).update(evidence={"after_refocus": True})
    AssistRequest.objects.create(task=task, user=team.writer1, action="continue", seq=0,
                                 start=0, end=0, model="m", response=ANSWER, outcome="answered")
    first = events[0].server_ms
    FocusLoss.objects.create(task=task, author=team.writer1, client_id=7,
                             lost_ms=first - 4_000, back_ms=first + 150)
    submit(task, team.writer1)
    original = api_client(team.lead).get(f"/api/tasks/{task.pk}/trajectory/").json()
    assert original["events"][0]["untrusted"] is True
    assert original["events"][-1]["after_refocus"] is True
    assert original["events"][-1]["paste_source"] == "model_help"  # not external
    assert original["metrics"]["external_paste_chars"] == 0
    assert original["focus"] == [{"author": team.writer1.username, "client": 7,
                                  "lost_t_ms": -4_000, "back_t_ms": 150}]
    response = post(team.lead, json.dumps(original) + "\n", team.project.slug)
    assert response.status_code == 201, response.json()
    [task_id] = response.json()["task_ids"]
    again = api_client(team.lead).get(f"/api/tasks/{task_id}/trajectory/").json()
    assert again["assists"] == []  # model help is not imported: its verdict is kept
    assert comparable(again) == comparable(original)
    assert again["focus"] == original["focus"]


def test_bad_evidence_fails_the_import_with_line_and_field(team):
    original = recorded(team)
    original["events"][0]["silent"] = "yes"
    original["focus"] = [{"author": "x", "client": 1, "lost_t_ms": 5, "back_t_ms": 1}]
    response = post(team.lead, json.dumps(original) + "\n", team.project.slug)
    assert response.status_code == 400
    assert response.json()["error"]["detail"]["errors"] == [
        "line 1: events[0].silent: expected true or false",
        "line 1: focus[0]: expected {lost_t_ms, back_t_ms} integers, lost before back"]
