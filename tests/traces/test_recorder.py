"""The recorder follows the stored update log off the relay path.

Updates are stored here as a room's batch stores them (log rows with their author,
client id, server time, round, reported kind and evidence; the counter advanced; no
event), then the recorder derives the events: once each, whoever runs it, however
often, from however many threads or processes at once.
"""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from pycrdt import Doc, Text

from oversight.core.kinds import infer_kind
from oversight.core.replay import replay
from oversight.traces import selectors
from oversight.traces.log import TEXT_NAME, ensure_seeded, forget_copies, record, recording
from oversight.traces.models import Checkpoint, DocState, DocUpdate, EditEvent
from tests.factories import Team

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
EVENT_COLUMNS = ("seq", "round", "author_id", "client_id", "server_ms", "kind", "inferred_kind",
                 "ops", "evidence")


def store_typing(task, author, edits, *, kind="input.type", evidence=None) -> str:
    """Append one update per (at, delete, insert) edit as a room's batch would; return the text."""
    ensure_seeded(task.pk)
    doc = Doc()
    text = doc.get(TEXT_NAME, type=Text)
    for data in (DocUpdate.objects.filter(task=task).order_by("position")
                 .values_list("data", flat=True)):
        doc.apply_update(bytes(data))
    position = DocState.objects.get(task=task).last_position
    rows = []
    for at, delete, insert in edits:
        before = doc.get_state()
        if delete:
            del text[at:at + delete]
        if insert:
            text.insert(at, insert)
        position += 1
        rows.append(DocUpdate(task=task, position=position, author=author,
                              client_id=doc.client_id, server_ms=1_000_000 + position,
                              data=doc.get_update(before), reported_kind=kind, round=task.round,
                              evidence=evidence))
    DocUpdate.objects.bulk_create(rows, batch_size=1000)
    DocState.objects.filter(task=task).update(last_position=position)
    return str(text)


def typing(n: int, word: str = "ab ") -> list[tuple[int, int, str]]:
    """n one-character inserts at the end, of `word` repeated."""
    return [(i, 0, word[i % len(word)]) for i in range(n)]


def event_rows(task) -> list[tuple]:
    return list(EditEvent.objects.filter(task=task).order_by("seq").values_list(*EVENT_COLUMNS))


def counters(task) -> tuple[int, int, int]:
    return DocState.objects.filter(task=task).values_list(
        "last_position", "recorded_position", "last_seq").get()


def test_events_are_derived_from_the_stored_log_with_what_each_update_carried():
    team = Team(draft_text="Hi.")
    marks = {"untrusted": True, "silent": True}
    store_typing(team.task1, team.writer1, [(3, 0, " there")], kind="input.paste",
                 evidence=marks)
    final = store_typing(team.task1, team.writer2, [(0, 2, ""), (0, 0, "Hi"), (0, 1, "Oh, h")],
                         kind="")
    assert EditEvent.objects.filter(task=team.task1).count() == 0
    assert record(team.task1.pk) == 5
    rows = event_rows(team.task1)
    client = rows[0][3]
    pasted = [{"retain": 3}, {"insert": " there"}]
    assert rows[0] == (1, 1, team.writer1.pk, client, 1_000_002, "input.paste",
                       infer_kind(pasted), pasted, marks)
    assert [(r[0], r[2], r[5], r[7]) for r in rows[1:]] == [
        (2, team.writer2.pk, "", [{"delete": 2}]),
        (3, team.writer2.pk, "", [{"insert": "Hi"}]),
        (4, team.writer2.pk, "", [{"delete": 1}, {"insert": "Oh, h"}]),
    ]
    assert replay("Hi.", selectors.iter_events(team.task1)) == final == "Oh, hi. there"
    assert counters(team.task1) == (5, 5, 4)
    # Idempotent: nothing more to record, nothing written twice.
    assert record(team.task1.pk) == 5
    assert len(event_rows(team.task1)) == 4


def test_checkpoints_every_n_events_hold_the_text_of_that_moment():
    team = Team(draft_text="")
    store_typing(team.task1, team.writer1, typing(1200))
    record(team.task1.pk)
    checkpoints = dict(Checkpoint.objects.filter(task=team.task1).values_list("seq", "text"))
    assert sorted(checkpoints) == [0, 500, 1000]
    for seq in (500, 1000):
        assert checkpoints[seq] == ("ab " * 400)[:seq]
    assert selectors.text_at(team.task1, 1200) == ("ab " * 400)[:1200]


@pytest.mark.parametrize("lost", ["all", "some"])
def test_a_crash_before_recording_loses_nothing_and_a_restart_records_the_same_events(lost):
    team = Team(draft_text="Draft.")
    store_typing(team.task1, team.writer1, typing(1500, "xyz"))
    store_typing(team.task1, team.writer2, [(0, 3, "A"), (1, 0, "é👩")], evidence={"silent": True})
    record(team.task1.pk)
    honest = event_rows(team.task1)
    honest_checkpoints = list(Checkpoint.objects.filter(task=team.task1).values_list("seq", "text"))
    # The process died after storing updates and before recording (all, or past event k):
    # the log and its counter are there, the events are not, and its memory is gone.
    keep = 0 if lost == "all" else 700
    EditEvent.objects.filter(task=team.task1, seq__gt=keep).delete()
    Checkpoint.objects.filter(task=team.task1, seq__gt=keep).delete()
    # Each of these updates made one event: event k came from log position k + 1.
    DocState.objects.filter(task=team.task1).update(recorded_position=keep + 1, last_seq=keep)
    forget_copies()
    record(team.task1.pk)
    assert event_rows(team.task1) == honest
    assert list(Checkpoint.objects.filter(task=team.task1)
                .values_list("seq", "text")) == honest_checkpoints


def test_two_recorders_deriving_the_same_updates_at_once_write_each_event_once(monkeypatch):
    team = Team(draft_text="")
    store_typing(team.task1, team.writer1, typing(300))
    write, both_derived = recording._write, threading.Barrier(2, timeout=20)

    def write_after_the_other_derived(*args):
        # Both have derived rows from the same recorded position before either writes.
        both_derived.wait()
        return write(*args)

    monkeypatch.setattr(recording, "_write", write_after_the_other_derived)
    results, errors = [], []

    def recorder():
        try:
            results.append(record(team.task1.pk))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=recorder) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and results == [301, 301]
    assert [row[0] for row in event_rows(team.task1)] == list(range(1, 301))
    assert counters(team.task1) == (301, 301, 300)


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}")


def test_two_record_processes_catching_up_the_same_task_write_each_event_once():
    team = Team(draft_text="")
    store_typing(team.task1, team.writer1, typing(5000))  # three chunks each
    env = {**os.environ, "DATABASE_URL": _database_url()}
    env.pop("OVERSIGHT_TEST_PG_URL", None)
    processes = [subprocess.Popen([sys.executable, "manage.py", "record", "--once"], cwd=ROOT,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=300)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert "Traceback" not in "".join(outputs), outputs
    assert [row[0] for row in event_rows(team.task1)] == list(range(1, 5001))
    assert counters(team.task1) == (5001, 5001, 5000)
    assert selectors.text_at(team.task1, 5000) == ("ab " * 1700)[:5000]


def test_an_update_the_recorder_cannot_apply_stops_it_there_and_submission_refuses():
    from oversight.traces.log import RecordingFailed
    from oversight.traces.services import TraceMismatch, task_submit
    from oversight.workspace import status as task_status
    from oversight.workspace.models import Task

    team = Team(draft_text="")
    store_typing(team.task1, team.writer1, typing(3))
    DocUpdate.objects.filter(task=team.task1, position=3).update(data=b"\x01\x02")
    with pytest.raises(RecordingFailed, match="update 3 cannot be recorded"):
        record(team.task1.pk)
    assert counters(team.task1) == (4, 2, 1)  # the first edit is recorded, no further
    Task.objects.filter(pk=team.task1.pk).update(status=task_status.IN_PROGRESS)
    with pytest.raises(TraceMismatch, match="update 3 cannot be recorded"):
        task_submit(task=Task.objects.get(pk=team.task1.pk), user=team.writer1)
