"""The writer's whole flow by keyboard alone, and the player's strip by keyboard."""

from __future__ import annotations

import pytest

from tests.live.helpers import create_task, open_as, stored_trace

pytestmark = pytest.mark.browser

ACTIVE = "() => document.activeElement && (document.activeElement.id || " \
         "document.activeElement.className || document.activeElement.tagName)"


def _tab_to(page, predicate_js: str, key: str = "Tab", limit: int = 40) -> int:
    for n in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate(predicate_js):
            return n
    raise AssertionError(f"{predicate_js} not reached in {limit} presses of {key}")


def test_open_edit_note_submit_by_keyboard_alone(chromium, live_app, artifacts_dir):
    draft = "The sky is violet."
    task = create_task(live_app, draft)
    context, page, errors = open_as(chromium, live_app, "writer1", viewport=(1280, 800))
    try:
        page.goto(f"{live_app.base_url}/tasks/{task['id']}/")
        page.wait_for_function("() => window.oversightEditor?.provider.synced")
        _tab_to(page, "() => document.activeElement.classList.contains('cm-content')")
        # A visible focus indicator (CodeMirror marks focus a moment after the event).
        page.wait_for_function("() => window.oversightEditor.view.hasFocus")
        page.evaluate("() => window.oversightEditor.view.requestMeasure()")
        page.wait_for_function("() => { const ed = document.querySelector('.cm-editor.cm-focused');"
                               " return ed && getComputedStyle(ed).outlineStyle === 'solid' }",
                               timeout=5_000)
        page.keyboard.press("Control+End")
        page.keyboard.press("Shift+Home")
        page.keyboard.type("The sky is blue.")
        page.keyboard.press("Shift+Home")
        page.keyboard.press("Control+Alt+m")
        assert page.evaluate("() => document.activeElement.id") == "note-body"
        page.keyboard.type("Violet was wrong: Rayleigh scattering.")
        page.keyboard.press("Control+Enter")
        page.locator("#notes-list li.note").first.wait_for()
        # After the note, focus is back in the text, and Submit is a few keys away.
        assert page.evaluate("() => document.activeElement.classList.contains('cm-content')")
        presses = _tab_to(page, "() => document.activeElement.id === 'submit-task'", "Shift+Tab")
        assert presses <= 3, presses
        page.keyboard.press("Enter")
        page.locator("#submit-dialog").wait_for(state="visible")
        assert page.evaluate("() => document.activeElement.id") == "submit-confirm"
        page.keyboard.press("Enter")
        page.locator("#submit-status[data-kind=ok]").wait_for()
        focused = page.evaluate("() => document.activeElement.dataset.testid || "
                                "document.activeElement.className")
        assert focused in ("next-task", "submit-done")
        assert stored_trace(live_app, task["id"])["status"] == "submitted"
        assert not errors
    finally:
        context.close()


def test_the_player_strip_seeks_by_keyboard(chromium, live_app):
    ids = live_app.query("""
from oversight.workspace.models import Task
result = Task.objects.get(external_id="explain-sky-blue").pk
""")
    context, page, errors = open_as(chromium, live_app, "lead1", viewport=(1280, 800))
    try:
        page.goto(f"{live_app.base_url}/review/tasks/{ids}/")
        page.locator("#player[data-ready=true]").wait_for()
        strip = page.locator(".strip-svg")
        strip.focus()
        duration = page.evaluate("() => window.oversightPlayer.timeline.duration")
        page.keyboard.press("PageUp")
        page.wait_for_function(f"() => Math.abs(window.oversightPlayer.t - {duration} * 0.1) "
                               f"<= {duration} * 0.011")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => window.oversightPlayer.t >= {duration} * 0.105")
        page.keyboard.press("End")
        page.wait_for_function("() => window.oversightPlayer.seq === "
                               "window.oversightPlayer.timeline.last")
        assert int(strip.get_attribute("aria-valuenow")) == page.evaluate(
            "() => window.oversightPlayer.timeline.last")
        assert not errors
    finally:
        context.close()


def test_the_player_scrolls_to_the_edit_after_a_seek(chromium, live_app):
    lines = "\n".join(f"Line {n} of a long document." for n in range(120))
    task = create_task(live_app, lines)
    live_app.shell(f"""
from django.contrib.auth import get_user_model
from oversight.workspace.models import Task
from tests.factories import add_edits
task = Task.objects.get(pk={task["id"]})
add_edits(task, get_user_model().objects.get(username="writer1"),
          task.draft.text + " The end, edited.", checkpoint=True)
""")
    context, page, errors = open_as(chromium, live_app, "lead1", viewport=(1280, 800))
    try:
        page.goto(f"{live_app.base_url}/review/tasks/{task['id']}/")
        page.locator("#player[data-ready=true]").wait_for()
        assert page.evaluate("() => document.getElementById('doc').scrollTop") == 0
        page.locator(".strip-svg").focus()
        page.keyboard.press("End")
        page.wait_for_function("""() => {
          const doc = document.getElementById('doc'), caret = doc.querySelector('.caret')
          if (!caret || doc.scrollTop === 0) return false
          const d = doc.getBoundingClientRect(), c = caret.getBoundingClientRect()
          return c.top >= d.top && c.bottom <= d.bottom }""")
        assert not errors
    finally:
        context.close()
