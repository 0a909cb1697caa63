"""The review workbench in a real Chromium against the live server.

A writer edits a task in the editor (typing and one paste), writes a note and
submits through the API; the lead opens the queue, claims the task, plays the
trajectory, seeks (checked against the server's text at every point), jumps to
the note, reads the diff, scores the rubric with an anchored comment and approves;
the writer then sees the verdict on their home page and their task page.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from tests.live.helpers import create_task, open_as, replay_events

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
DRAFT = ("The sky is blue because the air is blue.\n\n"
         "At sunset the light travels through less air, so it looks red.")
TYPED = " Sunlight scatters off air molecules; blue scatters most (Rayleigh scattering)."
PASTED = "\n\nSee also: why the ocean looks blue."
MORE = " Our eyes are less sensitive to violet."

JS_SYNCED = """() => {
  const ed = window.oversightEditor
  return Boolean(ed && ed.provider.wsconnected && ed.provider.synced)
}"""
JS_PASTE = """(text) => {
  const view = window.oversightEditor.view
  const end = view.state.doc.length
  view.dispatch({changes: {from: end, insert: text}, userEvent: 'input.paste'})
}"""
JS_PLAYER_STATE = """() => {
  const player = window.oversightPlayer
  return {seq: player.seq, text: player.doc.toString()}
}"""
JS_SERVER_TEXT = """async ([taskId, seq]) => {
  const url = `/api/tasks/${taskId}/text/?seq=${seq}`
  const response = await fetch(url, {credentials: 'same-origin'})
  return (await response.json()).text
}"""
JS_SELECT = """(quote) => {
  const pre = document.getElementById('final-text')
  const node = pre.firstChild
  const at = node.textContent.indexOf(quote)
  const range = document.createRange()
  range.setStart(node, at)
  range.setEnd(node, at + quote.length)
  const selection = window.getSelection()
  selection.removeAllRanges()
  selection.addRange(range)
  pre.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}))
}"""


class Api:
    """A token client for the live server's REST API."""

    def __init__(self, server, username: str):
        self.base = server.base_url + "/api"
        self.token = server.api_token(username)

    def call(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(
            self.base + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")


def wait_stored(api: Api, task_id: int, expected: str) -> dict:
    """Wait until the server's events replay to `expected`; return the trajectory."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        record = api.call("GET", f"/tasks/{task_id}/trajectory/")
        if replay_events(record["draft"]["text"], record["events"]) == expected:
            return record
        assert time.monotonic() < deadline, "the typed text never reached the server's events"
        time.sleep(0.2)


def write_and_submit(browser, server, task_id: int) -> str:
    """Have writer1 type, paste, note and submit; return the final text."""
    api = Api(server, "writer1")
    context, page, errors = open_as(browser, server, "writer1")
    try:
        page.goto(f"{server.base_url}/tasks/{task_id}/")
        page.wait_for_function(JS_SYNCED)
        page.click(".cm-content")
        page.keyboard.press("Control+Home")
        page.keyboard.press("End")  # the end of the first line
        page.keyboard.type(TYPED, delay=15)
        page.evaluate(JS_PASTE, PASTED)
        lines = DRAFT.split("\n\n")
        expected = lines[0] + TYPED + "\n\n" + lines[1] + PASTED
        record = wait_stored(api, task_id, expected)
        at = expected.index("Rayleigh scattering")
        api.call("POST", f"/tasks/{task_id}/notes/", {
            "body": "The draft's reason was circular; name the mechanism.",
            "start": at, "end": at + len("Rayleigh scattering"), "quote": "Rayleigh scattering",
            "principle": "factual", "seq": len(record["events"])})
        page.keyboard.press("Control+End")
        page.keyboard.type(MORE, delay=15)
        expected += MORE
        wait_stored(api, task_id, expected)
        api.call("POST", f"/tasks/{task_id}/submit/")
    finally:
        context.close()
    assert not errors, f"uncaught errors in the writer's page: {errors}"
    return expected


def check_matches_server(page, task_id: int) -> int:
    """The player's text at its seq is exactly the server's text at that seq."""
    state = page.evaluate(JS_PLAYER_STATE)
    assert state["text"] == page.evaluate(JS_SERVER_TEXT, [task_id, state["seq"]])
    return state["seq"]


def test_a_lead_reviews_a_trajectory_and_the_writer_sees_the_verdict(
        live_app, chromium, artifacts_dir):
    task = create_task(live_app, DRAFT, assignees=["writer1"])
    task_id = task["id"]
    final = write_and_submit(chromium, live_app, task_id)

    context, page, errors = open_as(chromium, live_app, "lead1")
    try:
        # The queue: the task waits, with its writer; the lead claims it.
        page.goto(f"{live_app.base_url}/review/")
        page.get_by_role("link", name="Explanations for a general reader").click()
        row = page.locator(f"tr[data-task='{task_id}']")
        assert "writer1" in row.inner_text()
        row.get_by_test_id(f"claim-{task_id}").click()
        page.get_by_test_id(f"claimed-{task_id}").wait_for()
        page.screenshot(path=str(artifacts_dir / "review-queue.png"), full_page=True)
        page.get_by_test_id(f"open-{task_id}").click()

        # The player: it loads the trajectory, plays, and every seek lands on the truth.
        page.wait_for_selector("#player[data-ready=true]")
        assert "Claimed by lead1" in page.locator("#claim-box").inner_text()
        last = page.evaluate("() => window.oversightPlayer.timeline.last")
        assert last > len(TYPED)
        page.select_option("#speed", "64")
        page.click("#play-button")
        page.wait_for_function("() => window.oversightPlayer.seq > 5")
        page.keyboard.press("Space")  # pause
        check_matches_server(page, task_id)
        strip = page.locator("#strip svg").bounding_box()
        seen = set()
        for share in (0.9, 0.2, 0.6, 0.05, 0.999):
            page.mouse.click(strip["x"] + strip["width"] * share, strip["y"] + 20)
            page.wait_for_function("() => !window.oversightPlayer.loading")
            seen.add(check_matches_server(page, task_id))
        assert len(seen) == 5
        page.keyboard.press("End")
        assert check_matches_server(page, task_id) == last
        page.keyboard.press("Home")
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        assert check_matches_server(page, task_id) == 3
        page.keyboard.press("ArrowLeft")
        assert check_matches_server(page, task_id) == 2

        # L jumps to the note: it appears, its quote is outlined in the document.
        page.keyboard.press("l")
        note = page.locator("#notes li.note.active")
        note.wait_for()
        assert "name the mechanism" in note.inner_text()
        assert "".join(page.locator("#doc .quote").all_inner_texts()) == "Rayleigh scattering"
        assert page.locator("#doc .recent").count() > 0  # recent edits in writer1's colour
        check_matches_server(page, task_id)

        # The diff, draft → final, inline then side by side.
        inserted = page.locator("#diff-out .d-ins")
        inserted.first.wait_for()
        assert "Rayleigh" in " ".join(inserted.all_inner_texts())
        page.locator("#diff-out").scroll_into_view_if_needed()
        page.locator("#player").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir / "review-player.png"), full_page=True)
        page.check("input[name=view][value=side]")
        page.locator("#diff-out table.diff-side").wait_for()

        # Score the rubric, comment on a passage of the final, approve.
        for fieldset in page.locator("fieldset.principle").all():
            fieldset.locator("input[type=radio][value='5']").check()
        page.locator("fieldset.principle[data-key=factual] input[type=text]").fill(
            "Names the mechanism.")
        page.evaluate(JS_SELECT, "blue scatters most")
        page.fill("#anchor-body", "Good: short and right.")
        page.click("#anchor-add")
        assert page.locator("#final-text mark").inner_text() == "blue scatters most"
        page.check("input[name=verdict][value=approve]")
        page.fill("textarea[name=comment]", "Clear and correct now.")
        page.get_by_test_id("submit-review").click()
        history = page.get_by_test_id("review-history")
        history.get_by_text("Clear and correct now.").wait_for()
        assert page.get_by_test_id("task-status").inner_text() == "Approved"
        assert "Good: short and right." in history.inner_text()

        # The writer dashboard counts the approval, with its plots drawn on the server.
        page.goto(f"{live_app.base_url}/review/explain/writers/")
        writer_row = page.locator("tr[data-writer=writer1]")
        # approval bar, trust trend, rubric bars, flags per week
        assert writer_row.locator("svg").count() == 4
        assert "Trust by week" in writer_row.get_by_test_id("trust-writer1").inner_html()
        assert "100% of" in writer_row.inner_text()
        page.screenshot(path=str(artifacts_dir / "review-writers.png"), full_page=True)
    finally:
        context.close()
    assert not errors, f"uncaught errors in the lead's page: {errors}"

    # The writer sees the verdict at home and the review on their task page.
    context, page, errors = open_as(chromium, live_app, "writer1")
    try:
        page.goto(f"{live_app.base_url}/")
        assert page.get_by_test_id(f"verdict-{task_id}").inner_text() == "Approve"
        page.get_by_test_id(f"verdict-{task_id}").click()
        reviews = page.get_by_test_id("task-reviews")
        reviews.wait_for()
        text = reviews.inner_text()
        assert "Approve" in text and "lead1" in text and "Clear and correct now." in text
        assert "blue scatters most" in text and "Good: short and right." in text
        page.wait_for_function(JS_SYNCED)
        page.get_by_text("name the mechanism").first.wait_for()
        page.screenshot(path=str(artifacts_dir / "writer-dashboard.png"), full_page=True)
    finally:
        context.close()
    assert not errors, f"uncaught errors in the writer's page: {errors}"

    record = Api(live_app, "lead1").call("GET", f"/tasks/{task_id}/trajectory/")
    assert record["final"]["text"] == final
    assert [r["verdict"] for r in record["reviews"]] == ["approve"]

