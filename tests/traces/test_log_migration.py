"""The update log moved from the editor app to traces in migration state only: no row moves.

From the schema before the move (editor 0003, traces 0004), with a log stored by the
editor's historical models, migrating forward leaves every table and row where it was,
and the traces models read them.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from oversight.traces.models import DocClient, DocSnapshot, DocState, DocUpdate
from tests.factories import Team

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("editor", "0003_yjs_client_bindings"), ("traces", "0004_submission_provenance")]
TABLES = {"editor_docstate", "editor_docupdate", "editor_docsnapshot", "editor_docclient"}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def fully_migrated_after():
    """Whatever the test does to the schema, the next test finds it fully migrated."""
    yield
    migrate(leaves())


def test_the_log_moves_in_state_only_and_keeps_its_rows(fully_migrated_after):
    old = migrate(BEFORE)
    assert TABLES <= set(connection.introspection.table_names())
    # The workspace stays migrated: its current models write its tables.
    task = Team().task1
    old.get_model("editor", "DocState").objects.create(task_id=task.pk, last_position=2,
                                                       last_seq=1)
    for position in (1, 2):
        old.get_model("editor", "DocUpdate").objects.create(
            task_id=task.pk, position=position, client_id=7, server_ms=position,
            data=b"\x00\x00")
    old.get_model("editor", "DocSnapshot").objects.create(task_id=task.pk, position=1,
                                                          state=b"s")
    old.get_model("editor", "DocClient").objects.create(task_id=task.pk, client_id=7,
                                                        first_position=1)

    new = migrate(leaves())
    assert TABLES <= set(connection.introspection.table_names())
    assert not [m for m in new.get_models() if m._meta.app_label == "editor"]
    assert {"docstate", "docupdate", "docsnapshot", "docclient"} <= {
        m._meta.model_name for m in new.get_models() if m._meta.app_label == "traces"}
    assert {m._meta.db_table for m in (DocState, DocUpdate, DocSnapshot, DocClient)} == TABLES
    state = DocState.objects.get(task_id=task.pk)
    assert (state.last_position, state.last_seq) == (2, 1)
    assert list(DocUpdate.objects.filter(task_id=task.pk).values_list("position", "client_id")) \
        == [(1, 7), (2, 7)]
    assert bytes(DocSnapshot.objects.get(task_id=task.pk).state) == b"s"
    assert DocClient.objects.get(task_id=task.pk).client_id == 7


def test_the_move_runs_no_sql():
    from io import StringIO

    from django.core.management import call_command

    for app, name in (("editor", "0004_update_log_moves_to_traces"),
                      ("traces", "0005_update_log_from_editor")):
        out = StringIO()
        call_command("sqlmigrate", app, name, stdout=out)
        statements = [line for line in out.getvalue().splitlines()
                      if line.strip() and not line.startswith("--")
                      and line.strip().upper() not in ("BEGIN;", "COMMIT;")]
        assert statements == [], (app, name, statements)
