"""manage.py import_tasks: progress on stderr, counts on stdout, every error or nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from oversight.workspace.management.commands import import_tasks as command
from oversight.workspace.models import Task
from tests.factories import make_project, make_task


def jsonl(*records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


@pytest.fixture
def project(db):
    return make_project(slug="geo")


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tasks", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_file_and_prints_counts(project, tmp_path):
    make_task(project, external_id="old")
    path = tmp_path / "tasks.jsonl"
    path.write_text(jsonl({"external_id": "old", "prompt": "p"},
                          {"external_id": "new", "prompt": "Où est 東京?",
                           "draft": {"text": "Tokyo 🗼"}}), encoding="utf-8")
    out, err = run(str(path), "--project", "geo")
    assert "created: 1" in out and "skipped: 1" in out
    assert "2/2" in err  # the tqdm bar reached the end, on stderr
    assert Task.objects.get(external_id="new").draft.text == "Tokyo 🗼"


def test_reads_stdin_for_dash_and_ignores_a_bom(project, monkeypatch):
    data = "\ufeff" + jsonl({"external_id": "s1", "prompt": "from stdin"})
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
    out, _ = run("-", "--project", "geo")
    assert "created: 1" in out
    assert Task.objects.get(project=project).prompt == "from stdin"


def test_prints_every_error_and_imports_nothing(project, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(jsonl({"external_id": "a", "prompt": "ok"}, {"external_id": "b"},
                          {"prompt": "no id"}) + "{oops\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_tasks", str(path), "--project", "geo", stderr=err,
                     stdout=io.StringIO())
    assert str(caught.value) == command.NOTHING_IMPORTED.format(count=3)
    assert err.getvalue().splitlines() == [
        "line 2: field 'prompt': required",
        "line 3: field 'external_id': required",
        "line 4: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
    ]
    assert not Task.objects.exists()


def test_unknown_project_and_unreadable_files_are_command_errors(project, tmp_path):
    with pytest.raises(CommandError, match="No project with slug 'nope'"):
        run(str(tmp_path / "x.jsonl"), "--project", "nope")
    with pytest.raises(CommandError, match="Cannot read .*missing.jsonl"):
        run(str(tmp_path / "missing.jsonl"), "--project", "geo")
    latin = tmp_path / "latin1.jsonl"
    latin.write_bytes('{"external_id": "a", "prompt": "café"}'.encode("latin-1"))
    with pytest.raises(CommandError, match="is not valid UTF-8"):
        run(str(latin), "--project", "geo")
