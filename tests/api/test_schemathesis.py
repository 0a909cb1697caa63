"""Schemathesis over the whole OpenAPI schema: no 5xx, every response as documented.

Every operation is called with generated data (valid and invalid) by an admin with an
API token, against real seeded tasks (path ids are mapped onto them, so the calls reach
the handlers instead of stopping at 404). The checks are the schema's own: no server
error, only documented status codes and content types, bodies matching their schemas.
The draft provider is a real loopback server, so generating a draft succeeds. Bounded:
EXAMPLES cases an operation (about a minute on 2 cores).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from oversight.workspace.models import Membership
from tests.factories import Team, add_member, make_task, make_user, token_for
from tests.provider_server import (
    configured_provider,  # noqa: F401 (a fixture)
    provider_server,  # noqa: F401 (a fixture)
)
from tests.review.traces import careful_work

EXAMPLES = min(25, settings.default.max_examples)  # fewer in the dev profile
CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance,
          content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_the_test_connection():
    # Like Django's test client: a finished request must not close the test's connection
    # (its transaction holds the seeded rows).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def seeded(db, configured_provider, keep_the_test_connection):  # noqa: F811
    team = Team()
    careful_work(team.task1, team.writer1)
    admin = make_user()
    admin.is_superuser = True
    admin.save()
    add_member(admin, team.project, Membership.LEAD)
    undrafted = make_task(team.project, draft_text=None, assignees=[team.writer1])
    ids = [team.task1.pk, team.task2.pk, undrafted.pk]
    SEEDED.update(token=token_for(admin), ids=ids,
                  note_ids=list(team.task1.notes.values_list("pk", flat=True)))
    yield SEEDED
    SEEDED.clear()


# Loaded at collection: generating the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
SEEDED: dict = {}


@schema.hook("map_path_parameters")
def onto_seeded_rows(context, path_parameters):
    if SEEDED and path_parameters and isinstance(path_parameters.get("id"), int):
        known = SEEDED["note_ids"] if "/notes/{id}" in context.operation.path else SEEDED["ids"]
        # Mostly real rows; one id in five as generated (usually a row that does not exist).
        value = path_parameters["id"]
        path_parameters["id"] = known[value % len(known)] if value % 5 else value
    return path_parameters


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_its_schema_says(case, seeded):
    # identity: the WSGI transport does not undo the gzip the server applies on request.
    case.call_and_validate(headers={"Authorization": f"Token {seeded['token']}",
                                    "Accept-Encoding": "identity"},
                           checks=CHECKS)
