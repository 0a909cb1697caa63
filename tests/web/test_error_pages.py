"""Styled error pages (400/403/404/500) for people whatever DEBUG says; refusals are
logged as one line, server errors with their traceback."""

import logging

import pytest
from django.test import Client, override_settings

from tests.factories import make_user

DEBUG_MARKS = ("Traceback", "URLconf", "DEBUG = True", "hunter2", "settings.py", "Django tried")
BOOM_URLS = "tests.web.boom_urls"


def _client(user, **kwargs) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    client.force_login(user)
    return client


def _assert_styled(response, status: int, title: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert f'data-status="{status}"' in page and title in page
    assert 'class="topbar"' in page  # the app's own look
    for mark in DEBUG_MARKS:
        assert mark not in page, f"debug output {mark!r} on the {status} page"
    return page


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.urls(BOOM_URLS)
def test_every_error_is_a_styled_page_for_a_normal_user(team, settings, debug):
    settings.DEBUG = debug
    client = _client(team.writer1)
    _assert_styled(client.get("/no/such/page/"), 404, "Not found")
    _assert_styled(client.get(f"/tasks/{team.task2.pk}/"), 404, "Not found")  # not theirs
    page = _assert_styled(client.get(f"/review/{team.project.slug}/"), 403, "Not allowed")
    assert 'data-testid="forbidden"' in page
    page = _assert_styled(client.get("/suspicious/"), 400, "Bad request")
    assert "This request is malformed." in page
    page = _assert_styled(client.get("/boom/"), 500, "Something went wrong")
    assert "secret internals" not in page


@pytest.mark.urls(BOOM_URLS)
def test_unknown_api_urls_answer_the_apis_json_error(team, settings):
    settings.DEBUG = True
    response = _client(team.writer1).get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.urls(BOOM_URLS)
def test_a_superuser_still_gets_djangos_debug_page_while_debug_is_on(db, settings):
    settings.DEBUG = True
    admin = make_user("root-dev")
    admin.is_superuser = True
    admin.save()
    response = _client(admin).get("/boom/")
    assert response.status_code == 500 and b"Boom" in response.content  # the technical page


@override_settings(DEBUG=False)
@pytest.mark.urls(BOOM_URLS)
def test_refusals_log_one_line_and_server_errors_their_traceback(team, caplog):
    from oversight.errorpages import OneLineRefusals

    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Keep()
    handler.addFilter(OneLineRefusals())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    loggers = [logging.getLogger("django.request"), logging.getLogger("oversight.errors")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        client = _client(team.writer1)
        client.get(f"/review/{team.project.slug}/")
        refusals = [r for r in records if "Forbidden" in r]
        assert refusals and all("\n" not in r for r in refusals), records
        records.clear()
        client.get("/boom/")
        assert any("Traceback" in r and "Boom" in r for r in records), records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def test_the_settings_install_the_filter_on_the_console_handler():
    from django.conf import settings

    assert "one_line_refusals" in settings.LOGGING["handlers"]["console"]["filters"]
