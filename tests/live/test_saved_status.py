"""'Saved' means stored: the task page says "All changes saved" only once the server
has told this client its edits are in the database, "Saving…" while they travel, and
"Offline — N changes waiting" while the server is out of reach."""

from __future__ import annotations

import pytest

from tests.live.helpers import create_task, open_as, stored_trace

pytestmark = pytest.mark.browser

JS_SAVE = "() => { const el = document.getElementById('save-status'); " \
          "return {state: el.dataset.state, text: el.textContent} }"


def _wait_state(page, state: str, timeout: int = 30_000) -> dict:
    page.wait_for_function(
        f"() => document.getElementById('save-status').dataset.state === {state!r}",
        timeout=timeout)
    return page.evaluate(JS_SAVE)


def test_saved_follows_what_the_server_stored(chromium, live_app, artifacts_dir):
    draft = "Saved means stored."
    task = create_task(live_app, draft)
    context, page, errors = open_as(chromium, live_app, "writer1", viewport=(1280, 800))
    try:
        page.goto(f"{live_app.base_url}/tasks/{task['id']}/")
        page.wait_for_function("() => window.oversightEditor?.provider.synced")
        assert page.evaluate(JS_SAVE) == {"state": "saved", "text": "All changes saved"}

        page.click(".cm-content")
        page.keyboard.press("Control+End")
        page.keyboard.type(" Typed.")
        assert _wait_state(page, "saved")["text"] == "All changes saved"
        assert stored_trace(live_app, task["id"])["log_text"] == draft + " Typed."
        # The server moved the task in progress as it stored the edit: the badge follows.
        assert page.inner_text("#task-status") == "In progress"

        live_app.stop()
        page.wait_for_function("() => !window.oversightEditor.provider.wsconnected")
        page.keyboard.type(" Off")
        offline = _wait_state(page, "offline")
        assert offline["text"] == "Offline — 4 changes waiting"
        page.screenshot(path=str(artifacts_dir / "saved-offline.png"))

        live_app.start()
        assert _wait_state(page, "saved", timeout=60_000)["text"] == "All changes saved"
        assert stored_trace(live_app, task["id"])["log_text"] == draft + " Typed. Off"
        assert not errors
    finally:
        context.close()
