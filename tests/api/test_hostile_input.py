"""Hostile input is a 400 with a clear message, never a 500: unpaired surrogates in any
JSON body, deeply nested JSON, malformed note anchors, unicode digits in query numbers.
Stored rows from before the check are repaired by a data migration."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from oversight.core.jsoncheck import TOO_DEEP, UNPAIRED_SURROGATE
from oversight.review import diffs
from oversight.traces.models import Note
from tests.factories import add_edits, api_client, make_task
from tests.review.traces import careful_work

DEEP = "[" * 5000 + "]" * 5000
DEEP_NOTE = '{"body": "why", "start": 0, "end": 1, "anchor": ' + DEEP + "}"


@pytest.fixture
def task(team):
    task = make_task(team.project, draft_text="Draft text.", assignees=[team.writer1])
    add_edits(task, team.writer1, "Draft text, edited.", checkpoint=True)
    return task


def post_raw(user, url, body: str, content_type="application/json"):
    return api_client(user).generic("POST", url, body.encode("utf-8"), content_type=content_type)


def message(response) -> str:
    return response.json()["error"]["message"]


@pytest.mark.parametrize("field", ["anchor", "body", "quote", "principle"])
def test_an_unpaired_surrogate_in_any_note_field_is_refused(team, task, field):
    value = '{"start": "AAA\\ud800", "end": "AAE="}' if field == "anchor" else '"x\\ud800y"'
    fields = {"body": '"why"', "quote": '"D"', "principle": '""', "anchor": "{}"}
    fields[field] = value
    body = "{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + ', "start": 0, "end": 1}'
    response = post_raw(team.writer1, reverse("task-notes", args=[task.pk]), body)
    assert response.status_code == 400
    assert UNPAIRED_SURROGATE in message(response)
    assert not Note.objects.exists()
    assert api_client(team.writer1).get(reverse("task-notes", args=[task.pk])).status_code == 200


def test_a_surrogate_in_a_verdict_comment_is_refused(team):
    careful_work(team.task1, team.writer1)
    body = ('{"verdict": "approve", "comment": "\\udc00", "scores": '
            '{"serves-the-need": 4, "no-extras": 5, "factual": 3}}')
    response = post_raw(team.reviewer, reverse("task-reviews", args=[team.task1.pk]), body)
    assert response.status_code == 400 and UNPAIRED_SURROGATE in message(response)


def test_a_valid_surrogate_pair_is_an_astral_character(team, task):
    body = '{"body": "why \\ud83c\\udf0d", "start": 0, "end": 1, "quote": "D"}'
    response = post_raw(team.writer1, reverse("task-notes", args=[task.pk]), body)
    assert response.status_code == 201, response.json()
    assert response.json()["body"] == "why 🌍"


@pytest.mark.parametrize("anchor", [
    {"start": "AAA=", "end": "AAE=", "extra": "x"},
    {"start": "AAA="},
    {"start": "not base64!", "end": "AAE="},
    {"start": 1, "end": 2},
    {"start": "AAA=", "end": "A" * 1000},
])
def test_a_note_anchor_must_be_exactly_two_base64_positions(team, task, anchor):
    response = api_client(team.writer1).post(reverse("task-notes", args=[task.pk]), {
        "body": "why", "start": 0, "end": 1, "quote": "D", "anchor": anchor}, format="json")
    assert response.status_code == 400 and message(response).startswith("anchor:")
    assert not Note.objects.exists()


def test_deeply_nested_json_is_refused_in_notes_and_bulk_import(team, task):
    response = post_raw(team.writer1, reverse("task-notes", args=[task.pk]), DEEP_NOTE)
    assert response.status_code == 400 and TOO_DEEP in message(response)
    slug = team.project.slug
    bulk = reverse("task-bulk-import") + f"?project={slug}"
    as_json = post_raw(team.lead, bulk, '{"tasks": ' + DEEP + "}")
    assert as_json.status_code == 400 and TOO_DEEP in message(as_json)
    line = '{"external_id": "d", "prompt": "p", "metadata": {"m": ' + DEEP + "}}"
    as_jsonl = post_raw(team.lead, bulk, line, content_type="application/x-ndjson")
    assert as_jsonl.status_code == 400
    assert TOO_DEEP in str(as_jsonl.json()), as_jsonl.json()
    nested_70 = "[" * 70 + "]" * 70
    shallow_but_deep = line.replace(DEEP, nested_70)
    refused = post_raw(team.lead, bulk, shallow_but_deep, content_type="application/x-ndjson")
    assert refused.status_code == 400 and TOO_DEEP in str(refused.json())


@pytest.mark.parametrize("value", ["²", "①", "١", "3²", "-1", "1e3"])
def test_unicode_digits_in_query_numbers_are_a_400(team, value):
    careful_work(team.task1, team.writer1)
    client, pk = api_client(team.lead), team.task1.pk
    text = client.get(reverse("task-text-at", args=[pk]), {"seq": value})
    assert text.status_code == 400 and message(text).startswith("seq:")
    trajectory = client.get(reverse("task-trajectory", args=[pk]), {"round": value})
    assert trajectory.status_code == 400 and message(trajectory).startswith("round:")
    for point in ("from", "to"):
        diff = client.get(reverse("task-diff", args=[pk]), {point: value})
        assert diff.status_code == 400
        assert message(diff) == diffs.BAD_POINT.format(name=point, last=diffs.traces.last_seq(
            team.task1), value=value)
    export = client.get(reverse("export"), {"project": team.project.slug, "round": value})
    assert export.status_code == 400


def test_ascii_numbers_still_work(team):
    careful_work(team.task1, team.writer1)
    client, pk = api_client(team.lead), team.task1.pk
    assert client.get(reverse("task-text-at", args=[pk]), {"seq": "2"}).json()["seq"] == 2
    assert client.get(reverse("task-trajectory", args=[pk]),
                      {"round": "1"}).json()["final"]["round"] == 1
    assert client.get(reverse("task-diff", args=[pk]), {"from": "0", "to": "3"}).status_code == 200


def test_the_data_migration_repairs_rows_stored_before_the_check(team, task):
    # What the API used to store: JSON columns keep the escape, text columns cannot.
    broken = Note.objects.create(task=task, author=team.writer1, server_ms=1, seq=1, quote="D",
                                 start=0, end=1, body="why",
                                 anchor={"start": "AAA\ud800", "end": "AAE="})
    kept = Note.objects.create(task=task, author=team.writer1, server_ms=1, seq=1, quote="D",
                               start=0, end=1, body="why", anchor={"start": "AAA=", "end": "AAE="})
    task.metadata = {"source": "pasted \udc00 here"}
    task.save()
    migration = importlib.import_module(
        "oversight.traces.migrations.0003_repair_unpaired_surrogates")
    migration.repair(apps, None)
    broken.refresh_from_db()
    kept.refresh_from_db()
    task.refresh_from_db()
    assert broken.anchor == {} and kept.anchor == {"start": "AAA=", "end": "AAE="}
    assert task.metadata == {"source": "pasted \ufffd here"}
    response = api_client(team.writer1).get(reverse("task-notes", args=[task.pk]))
    assert response.status_code == 200 and len(response.json()) == 2
