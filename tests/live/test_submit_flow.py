"""Submit with a summary: an untouched draft is never submitted with one click."""

from __future__ import annotations

import pytest

from tests.live.helpers import create_task, open_as, stored_trace

pytestmark = pytest.mark.browser


def test_an_unchanged_draft_warns_and_cancel_changes_nothing(chromium, live_app, artifacts_dir):
    task = create_task(live_app, "A draft nobody touched.")
    context, page, errors = open_as(chromium, live_app, "writer1", viewport=(1280, 800))
    try:
        page.goto(f"{live_app.base_url}/tasks/{task['id']}/")
        page.wait_for_function("() => window.oversightEditor?.provider.synced")
        page.click("#submit-task")
        dialog = page.locator("#submit-dialog")
        dialog.wait_for(state="visible")
        assert dialog.locator("[data-summary=unchanged]").is_visible()
        assert "No character changed from the draft." in dialog.inner_text()
        assert "No notes yet." in dialog.inner_text()
        assert page.locator("#submit-confirm").inner_text() == "Submit unchanged"
        # The safe choice has focus; Escape (or Keep editing) leaves everything as it was.
        assert page.evaluate("() => document.activeElement.id") == "submit-cancel"
        page.screenshot(path=str(artifacts_dir / "submit-unchanged.png"))
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        assert page.evaluate("() => document.activeElement.id") == "submit-task"
        assert stored_trace(live_app, task["id"])["status"] == "open"
        assert not errors
    finally:
        context.close()
