"""manage.py export_trajectories: the API's export and filters, to a file or stdout."""

import gzip
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from oversight.api import export_request
from oversight.api.management.commands import export_trajectories as command
from oversight.workspace import status as task_status
from tests.api.export_factories import make_trajectory, read_body, read_jsonl
from tests.factories import api_client


@pytest.fixture
def tasks(team):
    return [make_trajectory(team.project, team.writer1, team.reviewer),
            make_trajectory(team.project, team.writer2, team.reviewer, rounds=2),
            make_trajectory(team.project, team.writer1, team.reviewer,
                            status=task_status.IN_PROGRESS)]


def run(*args, stdout=None):
    stderr = io.StringIO()
    call_command("export_trajectories", *args, stdout=stdout or io.StringIO(), stderr=stderr)
    return stderr.getvalue()


def test_a_file_export_matches_the_api(team, tasks, tmp_path):
    out = tmp_path / "pref.jsonl"
    log = run("--project", team.project.slug, "--format", "preference", "--out", str(out))
    api = read_body(api_client(team.lead).get(reverse("export"), {"format": "preference"}))
    assert out.read_bytes() == api
    assert len(read_jsonl(api)) == 2
    assert "exporting" in log and "100%" in log  # the tqdm bar, on stderr
    assert command.DONE.format(records=2, tasks=2, name=out) in log
    assert [p.name for p in tmp_path.iterdir()] == ["pref.jsonl"]


def test_dash_writes_to_stdout_as_bytes_or_text(team, tasks):
    binary = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    run("--project", team.project.slug, "--out", "-", "--gzip", stdout=binary)
    binary.flush()
    records = read_jsonl(gzip.decompress(binary.buffer.getvalue()))
    assert [r["task_id"] for r in records] == [tasks[0].pk, tasks[1].pk]
    text = io.StringIO()
    run("--project", team.project.slug, "--out", "-", "--format", "sft", stdout=text)
    assert len(read_jsonl(text.getvalue().encode())) == 2


def test_gzip_to_a_file_decompresses_to_the_plain_export(team, tasks, tmp_path):
    plain, packed = tmp_path / "a.jsonl", tmp_path / "a.jsonl.gz"
    run("--project", team.project.slug, "--format", "edits", "--status", "any", "--out", str(plain))
    run("--project", team.project.slug, "--format", "edits", "--status", "any", "--out",
        str(packed), "--gzip")
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()


def test_the_filters_are_the_apis(team, tasks, tmp_path):
    out = tmp_path / "x.jsonl"

    def ids(*flags):
        run("--project", team.project.slug, "--out", str(out), *flags)
        return [r["task_id"] for r in read_jsonl(out.read_bytes())]

    assert ids("--status", "any") == [team.task1.pk, team.task2.pk] + [t.pk for t in tasks]
    assert ids("--writer", team.writer2.username) == [tasks[1].pk]
    assert ids("--round", "2") == [tasks[1].pk]
    assert ids("--min-rubric-average", "4.5") == [tasks[0].pk, tasks[1].pk]
    assert ids("--reviewed-after", "2999-01-01") == []
    assert ids("--reviewed-before", "2999-01-01") == [tasks[0].pk, tasks[1].pk]
    assert ids("--exclude-flagged") == []  # seconds of work each: rubber stamps


@pytest.mark.parametrize(("flags", "message"), [
    (["--project", "nope"], command.NO_SUCH_PROJECT.format(slug="nope")),
    (["--format", "csv"], export_request.UNKNOWN_FORMAT.format(value="csv")),
    (["--reviewed-after", "soon"],
     export_request.BAD_DATETIME.format(name="reviewed_after", value="soon")),
    (["--round", "0"], export_request.BAD_ROUND.format(value="0")),
])
def test_bad_options_name_the_problem(team, tasks, tmp_path, flags, message):
    args = ["--project", team.project.slug, "--out", str(tmp_path / "x.jsonl"), *flags]
    with pytest.raises(CommandError) as error:
        run(*args)
    assert str(error.value) == message


def test_a_failed_export_leaves_no_file(team, tasks, tmp_path, monkeypatch):
    def broken(**kwargs):
        yield {"task_id": 1}
        raise RuntimeError("database went away")

    monkeypatch.setattr(command, "export_records", broken)
    with pytest.raises(RuntimeError):
        run("--project", team.project.slug, "--out", str(tmp_path / "x.jsonl"))
    assert list(tmp_path.iterdir()) == []
