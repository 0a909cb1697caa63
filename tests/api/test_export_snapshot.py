"""An export is one point in time: what is written while it streams never appears in it.

Each scenario starts an export, reads its first record, then has ANOTHER thread, on its
own connection, append events, submit, review, note and create a task, and finally
reads the rest: the export must equal one taken before the writes.

SQLite runs on a WAL file, as deployed: the suite's shared-cache in-memory database
locks whole tables, so a concurrent writer would fail there instead of proceeding.
"""

import os
import threading
import uuid
from contextlib import contextmanager

import dj_database_url
import psycopg
import pytest
from django.core.management import call_command
from django.db import connections
from django.db.utils import load_backend

from oversight.api import export as export_module
from oversight.api.export import export_records
from oversight.api.export_selectors import ExportFilters
from oversight.review.models import Review
from oversight.traces.models import EditEvent
from oversight.workspace import status as task_status
from tests.api.export_factories import add_events, add_note, make_trajectory, review, submit
from tests.conftest import leg_postgres_url, require_or_skip
from tests.factories import Team

pytestmark = pytest.mark.django_db(transaction=True)
PG_URL_ENV = "OVERSIGHT_TEST_PG_URL"
ANY_STATUS = ExportFilters(statuses=None)


@contextmanager
def default_database(settings_dict: dict):
    """Point this thread's default connection at another database until the block ends."""
    original = connections["default"]
    merged = {**original.settings_dict, **settings_dict}
    wrapper = load_backend(merged["ENGINE"]).DatabaseWrapper(merged, "default")
    connections["default"] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        connections["default"] = original


@pytest.fixture
def wal_database(tmp_path):
    """Return settings of a file copy of the (empty) test database, opened in WAL mode."""
    path = tmp_path / "snapshot.sqlite3"
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    return {"NAME": str(path)}


@pytest.fixture
def pg_database():
    """Return settings of a fresh, migrated PostgreSQL database; drop it afterwards."""
    url = os.environ.get(PG_URL_ENV, "") or leg_postgres_url()
    require_or_skip(url, f"PostgreSQL snapshot test needs {PG_URL_ENV}")
    base = dj_database_url.parse(url)
    name = f"oversight_export_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    settings = {**base, "NAME": name, "OPTIONS": {}, "CONN_MAX_AGE": 0}
    try:
        with default_database(settings):
            call_command("migrate", verbosity=0, interactive=False)
        yield settings
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_while_exporting(db: dict, team: Team, tasks: dict) -> None:
    """On another thread and connection: edit, submit, note, review, and add a task."""
    failures = []

    def write():
        try:
            with default_database(db):
                editing, approved = tasks["editing"], tasks["approved_later"]
                text = add_events(editing, team.writer1, [EDITED, EDITED + " More."])
                add_note(editing, team.writer1, seq=EditEvent.objects.filter(
                    task=editing).count(), quote="More", text=text, body="Added later.")
                submit(editing, team.writer1)
                editing.status = task_status.SUBMITTED
                editing.save(update_fields=["status"])
                review(approved, team.lead, Review.APPROVE, scores={"factual": 1})
                make_trajectory(team.project, team.writer2, team.reviewer)
        except BaseException as exc:  # reported on the test's thread
            failures.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(timeout=60)
    assert not writer.is_alive(), "the writer was blocked by the export"
    assert not failures, failures


EDITED = "The sky is blue because air scatters violet light most (Rayleigh scattering, 1871) 🌍." \
         " e\u0301 👩\u200d🔬"


def export(team, *, isolate: bool = True):
    return export_records(projects=[team.project], fmt="trajectory", filters=ANY_STATUS,
                          isolate=isolate)


def assert_export_is_a_snapshot(db: dict, *, isolate: bool) -> None:
    with default_database(db):
        team = Team()
        tasks = {"first": make_trajectory(team.project, team.writer1, team.reviewer),
                 "approved_later": make_trajectory(team.project, team.writer2, team.reviewer),
                 "editing": make_trajectory(team.project, team.writer1, team.reviewer,
                                            status=task_status.IN_PROGRESS)}
        before = list(export(team, isolate=isolate))
        records = export(team, isolate=isolate)
        first = next(records)  # the snapshot is taken; the export is under way
        write_while_exporting(db, team, tasks)
        during = [first, *records]
        after = list(export(team, isolate=isolate))
    assert during == before
    # The writes did land, and a new export sees them.
    assert len(after) == len(before) + 1
    changed = {r["task_id"]: r for r in after}
    assert changed[tasks["editing"].pk]["final"] is not None
    assert len(changed[tasks["approved_later"].pk]["reviews"]) == 2


@pytest.fixture
def isolation_alone(monkeypatch):
    """Take the id cut out, so only the transaction can keep later writes out."""
    monkeypatch.setattr(export_module, "cut_record", lambda record, task, snapshot: record)


@pytest.mark.db_vendor("sqlite")
def test_on_sqlite_one_read_transaction_is_a_snapshot_and_writers_carry_on(
        wal_database, isolation_alone):
    assert_export_is_a_snapshot(wal_database, isolate=True)


@pytest.mark.db_vendor("sqlite")
def test_on_sqlite_the_id_cut_alone_keeps_later_writes_out(wal_database):
    assert_export_is_a_snapshot(wal_database, isolate=False)


@pytest.mark.db_vendor("sqlite")
def test_on_sqlite_both_together(wal_database):
    assert_export_is_a_snapshot(wal_database, isolate=True)


@pytest.mark.scaleout
def test_on_postgresql_a_repeatable_read_transaction_is_a_snapshot(pg_database,
                                                                    isolation_alone):
    assert_export_is_a_snapshot(pg_database, isolate=True)


@pytest.mark.scaleout
def test_on_postgresql_the_id_cut_alone_keeps_later_writes_out(pg_database):
    assert_export_is_a_snapshot(pg_database, isolate=False)


def assert_closing_early_ends_the_transaction(db: dict) -> None:
    with default_database(db) as connection:
        team = Team()
        for _ in range(3):
            make_trajectory(team.project, team.writer1, team.reviewer)
        records = export(team)
        next(records)
        assert connection.in_atomic_block
        records.close()  # the client went away
        assert not connection.in_atomic_block and connection.get_autocommit()
        make_trajectory(team.project, team.writer1, team.reviewer)  # and the connection writes


@pytest.mark.db_vendor("sqlite")
def test_on_sqlite_closing_an_export_early_ends_its_transaction(wal_database):
    assert_closing_early_ends_the_transaction(wal_database)


@pytest.mark.scaleout
def test_on_postgresql_closing_an_export_early_ends_its_transaction(pg_database):
    assert_closing_early_ends_the_transaction(pg_database)
