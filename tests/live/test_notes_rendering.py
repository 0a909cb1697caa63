"""One markdown dialect, rendered by the server, in the editor's notes panel and in the
player; long notes fold with "more"; the note form counts towards the length limit."""

from __future__ import annotations

import pytest

from tests.live.helpers import create_task, open_as

pytestmark = pytest.mark.browser

LONG_BODY = "**Bold claim fixed.** " + "A long explanation line.\n" * 30


def _task_with_note(server) -> dict:
    task = create_task(server, "The sky is violet. Air scatters light.")
    server.shell(f"""
from django.contrib.auth import get_user_model
from oversight.traces.services import note_create
from oversight.workspace.models import Task
task = Task.objects.get(pk={task["id"]})
note_create(task=task, author=get_user_model().objects.get(username="writer1"),
            body={LONG_BODY!r}, start=0, end=7, quote="The sky")
""")
    return task


def _check_note(page, selector: str) -> None:
    note = page.locator(selector).first
    note.wait_for()
    assert note.locator(".note-body strong").inner_text() == "Bold claim fixed."
    assert "**" not in note.locator(".note-body").inner_text()
    more = note.locator(".note-more")
    assert more.get_attribute("aria-expanded") == "false"
    folded = note.bounding_box()["height"]
    assert folded < 260, folded
    more.click()
    assert more.get_attribute("aria-expanded") == "true"
    assert note.bounding_box()["height"] > folded + 200


def test_notes_render_the_same_markdown_in_the_editor_and_the_player(chromium, live_app,
                                                                   artifacts_dir):
    task = _task_with_note(live_app)
    context, page, errors = open_as(chromium, live_app, "writer1", viewport=(1280, 800))
    try:
        page.goto(f"{live_app.base_url}/tasks/{task['id']}/")
        _check_note(page, "#notes-list li.note")
        # The form counts towards the limit; an oversized note is refused, not cut.
        page.click(".cm-content")
        page.keyboard.press("Control+a")
        page.click("#add-note")
        page.fill("#note-body", "x" * 10_001)
        assert page.inner_text("#note-counter") == "10,001 / 10,000"
        assert page.get_attribute("#note-counter", "data-over") is not None
        page.click("#note-save")
        assert "at most 10,000 characters" in page.inner_text(".note-form-error")
        assert len(page.input_value("#note-body")) == 10_001  # nothing was cut
        assert not errors
    finally:
        context.close()
    context, page, errors = open_as(chromium, live_app, "lead1", viewport=(1280, 800))
    try:
        page.goto(f"{live_app.base_url}/review/tasks/{task['id']}/")
        page.keyboard.press("End")  # to the last event: every note is visible
        _check_note(page, "#notes li.note")
        page.screenshot(path=str(artifacts_dir / "player-notes.png"))
        assert not errors
    finally:
        context.close()
