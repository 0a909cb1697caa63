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


def test_a_trace_that_disagrees_with_its_log_is_refused_on_the_page(chromium, live_app,
                                                                    artifacts_dir):
    # The writer types; then an event's inserted text is changed behind the editor's
    # back (as a recorder bug would). Submit must refuse in words, and freeze nothing.
    task = create_task(live_app, "The sky is blue.")
    context, page, errors = open_as(chromium, live_app, "writer1", viewport=(1366, 768))
    try:
        page.goto(f"{live_app.base_url}/tasks/{task['id']}/")
        page.wait_for_function("() => window.oversightEditor?.provider.synced")
        page.click(".cm-content")
        page.keyboard.press("Control+End")
        page.keyboard.type(" Air scatters it.")
        page.wait_for_function(
            "() => document.getElementById('save-status').dataset.state === 'saved'")
        live_app.query(f"""
from oversight.traces.models import EditEvent
event = EditEvent.objects.filter(task_id={task['id']}).order_by("seq").last()  # the "."
event.ops = [{{**op, "insert": "#"}} if "insert" in op else op for op in event.ops]
event.save(update_fields=["ops"])
result = event.seq
""")
        page.click("#submit-task")
        page.locator("#submit-dialog").wait_for(state="visible")
        page.click("#submit-confirm")
        status = page.locator("#submit-status[data-kind=error]")
        status.wait_for()
        message = status.inner_text()
        typed = "The sky is blue. Air scatters it."
        assert message.startswith("Submission refused: the document's update log and the "
                                  f"recorded events disagree at code point {len(typed) - 1} "
                                  "(the log: '.'; the events: '#')")
        assert "Nothing was frozen" in message
        assert status.get_attribute("role") == "alert"
        page.screenshot(path=str(artifacts_dir / "submit-trace-mismatch.png"))
        assert stored_trace(live_app, task["id"])["status"] == "in_progress"
        assert page.locator("#submit-task").is_visible()  # still the writer's to fix or report
        assert not errors
    finally:
        context.close()
