"""A lead sets up a webhook in the browser; a real worker delivers to a loopback receiver."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.helpers import open_as, publish_docs_screenshot
from tests.live.server import _PRCTL, ROOT, LiveServer, _die_with_parent
from tests.loopback import serving
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.browser
SIZES = [(1280, 800), (1920, 1080)]


@pytest.fixture(scope="module")
def hooks_app(tmp_path_factory):
    """The app with loopback receivers allowed, and one db_worker beside it."""
    server = LiveServer(tmp_path_factory.mktemp("live-webhooks"),
                        extra_env={"WEBHOOKS_ALLOW_PRIVATE": "true",
                                   "WEBHOOKS_TIMEOUT_SECONDS": "2"})
    server.prepare()
    server.start()
    log = server.log_path.open("ab")
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--queue-name", "webhooks",
         "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=server.env, stdout=log, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent if _PRCTL is not None else None)
    log.close()
    yield server
    worker.terminate()
    worker.wait(15)
    server.stop()


@pytest.fixture
def receiver():
    server = Receiver()
    with serving(server):
        yield server


def reload_once_logged(page, text: str) -> None:
    """Reload when the page would show `text`: the worker records an attempt after sending."""
    page.wait_for_function(
        "async (text) => (await (await fetch(location.href)).text()).includes(text)", arg=text)
    page.reload()


def shoot(page, artifacts_dir: Path, name: str) -> None:
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(artifacts_dir / f"{name}-{width}x{height}.png"), full_page=True)


def test_a_lead_adds_a_webhook_sends_a_test_event_and_redelivers(
        chromium, hooks_app, receiver, artifacts_dir):
    context, page, errors = open_as(chromium, hooks_app, "lead1")
    try:
        page.goto(f"{hooks_app.base_url}/review/explain/")
        page.click("[data-testid=webhooks-link]")
        page.wait_for_url("**/review/explain/webhooks/")
        form = page.locator("[data-testid=webhook-create]")
        receiver.secret = form.locator("input[name=secret]").input_value()
        assert len(receiver.secret) >= 16
        form.locator("input[name=url]").fill(receiver.url())
        form.locator("input[value='task.imported']").uncheck()
        form.locator("button[type=submit]").click()
        page.wait_for_url("**/review/explain/webhooks/*/")
        assert receiver.secret not in page.content()

        page.click("[data-testid=send-test]")
        page.wait_for_selector(".messages li.success")
        [test_event] = receiver.wait_for(1)
        assert test_event["verified"] and test_event["json"]["event"] == "webhook.test"
        assert test_event["json"]["project"] == "explain"

        receiver.answer(500)
        reload_once_logged(page, 'data-testid="redeliver-')
        page.locator("[data-testid^=redeliver-]").first.click()
        page.wait_for_selector(".messages li.success")
        receiver.wait_for(2)
        reload_once_logged(page, "HTTP 500")
        log = page.locator("[data-testid=deliveries]")
        assert "HTTP 500" in log.inner_text() and "attempt 2 of 6 at" in log.inner_text()
        assert "redelivery of #" in log.inner_text()
        shoot(page, artifacts_dir, "webhook")
        # docs/webhooks.md shows this one: refreshed only when asked (make screenshots).
        page.set_viewport_size({"width": 1280, "height": 800})
        shot = artifacts_dir / "webhook-log.png"
        page.screenshot(path=str(shot), full_page=True)
        publish_docs_screenshot(shot)

        page.goto(f"{hooks_app.base_url}/review/explain/webhooks/")
        assert receiver.url() in page.locator("[data-testid=webhooks]").inner_text()
        shoot(page, artifacts_dir, "webhooks")
        assert errors == []
    finally:
        context.close()


