"""JSONL import: every error reported at once, all or nothing, skips, speed, exact Unicode."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.workspace import importer
from oversight.workspace.importer import ImportErrors, import_tasks, parse_lines
from oversight.workspace.models import Draft, Membership, Task
from tests.factories import add_member, make_project, make_task, make_user


def line(**record) -> str:
    return json.dumps(record, ensure_ascii=False)


def task(external_id="t1", prompt="Explain tides.", **extra) -> str:
    return line(external_id=external_id, prompt=prompt, **extra)


def errors_of(lines) -> list[str]:
    with pytest.raises(ImportErrors) as caught:
        parse_lines(lines)
    return caught.value.errors


def test_a_valid_line_becomes_a_row_with_its_draft():
    rows = parse_lines([task(draft={"text": "Tides are…", "model": "m", "params": {"t": 1}},
                             metadata={"k": [1]}, assignees=["ann", "bob", "ann"])])
    row = rows[0]
    assert (row.number, row.external_id, row.prompt) == (1, "t1", "Explain tides.")
    assert row.draft == importer.DraftRow(text="Tides are…", model="m", params={"t": 1})
    assert row.metadata == {"k": [1]}
    assert row.assignees == ("ann", "bob")


def test_every_error_is_reported_with_its_line_number():
    lines = [
        task("a"),
        "",  # blank lines are skipped but still counted
        line(external_id="b"),
        "{not json",
        task("a"),
        line(external_id=7, prompt="x"),
        "[1, 2]",
        task("c", draft={"model": "m"}),
        task("d", draft="text"),
        task("e", assignees="ann"),
        task("f", metadata=[1]),
        task("g", promt="typo"),
        task("h", prompt="   "),
    ]
    assert errors_of(lines) == [
        "line 3: field 'prompt': required",
        "line 4: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
        "line 5: field 'external_id': duplicate of line 1",
        "line 6: field 'external_id': must be a string",
        "line 7: expected a JSON object, got a list",
        "line 8: field 'draft.text': required",
        "line 9: field 'draft': must be a JSON object",
        "line 10: field 'assignees': must be a list of usernames",
        "line 11: field 'metadata': must be a JSON object",
        "line 12: " + importer.UNKNOWN_FIELD.format(
            field="promt", expected=", ".join(importer.TASK_FIELDS)),
        "line 13: field 'prompt': must not be empty",
    ]


def test_values_no_database_can_store_are_refused():
    lines = ['{"external_id": "a", "prompt": "nul \\u0000 here"}',
             '{"external_id": "b", "prompt": "half \\ud83d a pair"}',
             '{"external_id": "c", "prompt": "x", "metadata": {"v": NaN}}',
             task("x" * 201)]
    assert errors_of(lines) == [
        "line 1: contains a NUL character (\\u0000), which cannot be stored as text",
        "line 2: contains an unpaired surrogate escape, which cannot be stored as text",
        "line 3: invalid JSON: NaN is not allowed",
        "line 4: field 'external_id': at most 200 characters (got 201)",
    ]


def test_an_empty_draft_text_is_a_draft():
    assert parse_lines([task(draft={"text": ""})])[0].draft.text == ""


@pytest.fixture
def project(db):
    return make_project(slug="tides")


def test_import_creates_tasks_drafts_and_assignments(project):
    ann = make_user("ann")
    add_member(ann, project, Membership.WRITER)
    rows = parse_lines([task("a", draft={"text": "D", "model": "m", "params": {"temperature": 0.2}},
                             assignees=["ann"], metadata={"src": "x"}),
                        task("b")])
    result = import_tasks(project=project, rows=rows)
    assert result == importer.ImportResult(created=2, skipped=[])
    a = Task.objects.get(project=project, external_id="a")
    assert (a.draft.text, a.draft.model, a.draft.params) == ("D", "m", {"temperature": 0.2})
    assert a.draft.source == Draft.IMPORTED
    assert list(a.assignees.values_list("username", flat=True)) == ["ann"]
    assert a.metadata == {"src": "x"}
    assert not Draft.objects.filter(task__external_id="b").exists()


def test_existing_ids_are_skipped_and_left_unchanged(project):
    kept = make_task(project, external_id="a", draft_text="original", prompt="old prompt")
    rows = parse_lines([task("a", prompt="new prompt", draft={"text": "new"}), task("b")])
    result = import_tasks(project=project, rows=rows)
    assert result.created == 1 and result.skipped == ["a"]
    kept.refresh_from_db()
    assert (kept.prompt, kept.draft.text) == ("old prompt", "original")


def test_an_id_may_repeat_across_projects(project):
    make_task(make_project(), external_id="a")
    assert import_tasks(project=project, rows=parse_lines([task("a")])).created == 1


def test_unknown_and_outside_assignees_are_named_and_nothing_is_imported(project):
    add_member(make_user("ann"), project, Membership.WRITER)
    make_user("carol")  # exists, but not in this project
    rows = parse_lines([task("a", assignees=["ann"]), task("b", assignees=["bob", "carol"])])
    with pytest.raises(ImportErrors) as caught:
        import_tasks(project=project, rows=rows)
    assert caught.value.errors == [
        "line 2: field 'assignees': no user named 'bob'",
        "line 2: field 'assignees': 'carol' is not a member of project 'tides'",
    ]
    assert not Task.objects.exists()


def test_with_the_project_every_kind_of_error_is_reported_at_once_in_line_order(project):
    add_member(make_user("ann"), project, Membership.WRITER)
    lines = [task("a", assignees=["ghost"]), task("b", prompt=""), "{not json",
             task("c", assignees=["ann"])]
    with pytest.raises(ImportErrors) as caught:
        parse_lines(lines, project=project)
    assert [error.split(":")[0] for error in caught.value.errors] == ["line 1", "line 2",
                                                                      "line 3"]
    assert "no user named 'ghost'" in caught.value.errors[0]
    assert not Task.objects.exists()


def test_a_failure_midway_rolls_back_every_batch(project, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    calls = []
    real_insert = importer._insert

    def failing_insert(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real_insert(*args)

    monkeypatch.setattr(importer, "_insert", failing_insert)
    rows = parse_lines([task(f"t{i}", draft={"text": "d"}) for i in range(5)])
    with pytest.raises(RuntimeError):
        import_tasks(project=project, rows=rows)
    assert not Task.objects.exists() and not Draft.objects.exists()


UNICODE_SAMPLES = [
    "日本語の説明を書いてください。",  # CJK
    "Family: 👨‍👩‍👧‍👦, flag: 🏳️‍🌈, skin tone: 👍🏽",  # ZWJ sequences, modifiers
    "e\u0301 vs \u00e9 — a combining acute and a precomposed é stay distinct",
    "RTL: مرحبا بالعالم, line sep:\u2028para sep:\u2029, NEL:\u0085 end",
    "tab\tand \"quotes\" and \\backslash",
]


@pytest.mark.parametrize("text", UNICODE_SAMPLES)
def test_unicode_round_trips_exactly(project, text):
    record = {"external_id": f"ü-{text[:10]}", "prompt": text,
              "draft": {"text": text, "model": "m", "params": {"note": text}},
              "metadata": {text: text}}
    # The \u2028 in a JSON string is legal unescaped; the line must not be split there.
    raw = json.dumps(record, ensure_ascii=False)
    rows = parse_lines(importer.split_jsonl(raw + "\n"))
    import_tasks(project=project, rows=rows)
    stored = Task.objects.get(project=project)
    assert stored.external_id == record["external_id"]
    assert stored.prompt == text and stored.draft.text == text
    assert stored.draft.params == {"note": text} and stored.metadata == {text: text}


def test_ten_thousand_tasks_import_in_batches(project):
    """Import speed is measured by bench/import_bench.py (docs/benchmarks.md); this test
    catches a per-row regression by counting queries, which no machine's load changes."""
    writer = make_user("w")
    add_member(writer, project, Membership.WRITER)
    lines = [task(f"t{i}", prompt="Explain " + "p" * 200,
                  draft={"text": "word " * 400, "model": "m", "params": {"temperature": 0.7}},
                  metadata={"i": i}, assignees=["w"]) for i in range(10_000)]
    with CaptureQueriesContext(connection) as queries:
        result = import_tasks(project=project, rows=parse_lines(lines))
    assert result.created == 10_000
    assert Draft.objects.filter(task__project=project).count() == 10_000
    assert Task.assignees.through.objects.filter(user=writer).count() == 10_000
    # Batches of 2,000 rows and look-ups of 90 ids: about two hundred queries; one query
    # per row would be ten thousand.
    assert len(queries) < 1_000, f"{len(queries)} queries for 10,000 tasks"
