"""A writer's whole trace in a real Chromium: paste, type, delete, undo, a reasoning note
with a principle, Submit; then the trajectory says exactly that, and replays.

A reviewer's page watches alongside: notes appear there live ({"t":"notes"}), without Edit buttons.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.live.helpers import assert_gapless, create_task, open_as, replay_events

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
# An astral character before everything noted: offsets in UTF-16 and in code points differ.
DRAFT = "🌍 The sky is violet because air scatters violet light.\n"
PASTED = "Sunlight is a mix of colours; air molecules scatter short wavelengths most.\n"
TYPED = " Rayleigh"
LAST_WORDS = " (1871)"
NOTE_QUOTE = "violet because"
NOTE_BODY = "The draft blamed **violet** light.\nBlue wins because our eyes favour it."

JS_SYNCED = """() => {
  const ed = window.oversightEditor
  const el = document.getElementById('connection-status')
  return Boolean(ed && ed.provider.wsconnected && ed.provider.synced
                 && el && el.dataset.state === 'connected')
}"""
JS_TEXT = "() => window.oversightEditor.ytext.toString()"
# Select the first occurrence of a string (CodeMirror positions are UTF-16, like indexOf).
JS_SELECT = """(quote) => {
  const {view} = window.oversightEditor
  const at = view.state.doc.toString().indexOf(quote)
  view.dispatch({selection: {anchor: at, head: at + quote.length}})
  view.focus()
  return at
}"""
JS_SYNTHETIC_PASTE = """(text) => {
  const data = new DataTransfer()
  data.setData('text/plain', text)
  document.querySelector('.cm-content').dispatchEvent(
    new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}))
}"""
JS_READ_ONLY = """() => {
  const {view} = window.oversightEditor
  return view.state.readOnly && document.querySelector('.cm-content').contentEditable === 'false'
}"""
class Page:
    def __init__(self, browser, server, username: str):
        self.server = server
        self.username = username
        self.context, self.page, self.errors = open_as(browser, server, username,
                                                       viewport=(1400, 900),
                                                       timeout_ms=TIMEOUT_MS)

    def open_task(self, task_id: int) -> None:
        self.page.goto(f"{self.server.base_url}/tasks/{task_id}/")
        self.page.wait_for_function(JS_SYNCED)

    def text(self) -> str:
        return self.page.evaluate(JS_TEXT)

    def wait_text(self, predicate_js: str, arg) -> None:
        self.page.wait_for_function(
            f"(arg) => ({predicate_js})(window.oversightEditor.ytext.toString(), arg)", arg=arg)


def paste(writer: Page, text: str) -> str:
    """Paste `text` at the caret through the clipboard (Control+V); return how."""
    page = writer.page
    before = writer.text()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=writer.server.base_url)
    page.evaluate("(t) => navigator.clipboard.writeText(t)", text)
    page.keyboard.press("Control+V")
    try:
        writer.wait_text("(now, [before, t]) => now.length === before.length + t.length",
                         [before, text])
        return "clipboard"
    except Exception:  # headless Chromium without a usable clipboard: a real paste event
        page.evaluate(JS_SYNTHETIC_PASTE, text)
        writer.wait_text("(now, [before, t]) => now.length === before.length + t.length",
                         [before, text])
        return "paste-event"


def add_note(writer: Page, quote: str, body: str, principle: str = "", *, shortcut=False) -> dict:
    """Select `quote`, open the form (button or Ctrl+Alt+M), save; return the POSTed JSON."""
    page = writer.page
    page.evaluate(JS_SELECT, quote)
    if shortcut:
        page.keyboard.press("Control+Alt+m")
    else:
        page.click("#add-note")
    page.locator("#note-form").wait_for(state="visible")
    assert page.locator("#note-form .note-quote").inner_text() == quote
    page.fill("#note-body", body)
    if principle:
        page.select_option("#note-principle", principle)
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/notes/")) as req:
        page.click("#note-save")
    page.locator("#note-form").wait_for(state="hidden")
    return json.loads(req.value.post_data)


def assert_kinds_in_order(kinds: list[str], wanted: list[str]) -> None:
    at = 0
    for kind in wanted:
        assert kind in kinds[at:], f"{kind!r} missing after position {at} in {kinds}"
        at = kinds.index(kind, at) + 1


def test_a_writer_pastes_types_deletes_undoes_notes_and_submits(live_app, chromium, artifacts_dir):
    task = create_task(live_app, DRAFT, assignees=["writer1"])
    writer = Page(chromium, live_app, "writer1")
    reviewer = Page(chromium, live_app, "reviewer1")
    try:
        writer.open_task(task["id"])
        reviewer.open_task(task["id"])
        page = writer.page
        assert writer.text() == DRAFT
        assert page.locator("#add-note").is_disabled()  # nothing selected yet
        assert reviewer.page.locator("#add-note").count() == 0
        assert reviewer.page.locator("#submit-task").count() == 0

        # Edit: paste a block at the end, type, delete two characters, undo.
        page.click(".cm-content")
        page.keyboard.press("Control+End")
        how = paste(writer, PASTED)
        page.keyboard.type(TYPED, delay=20)
        writer.wait_text("(now, t) => now.endsWith(t)", PASTED + TYPED)
        page.wait_for_timeout(700)  # past Y.UndoManager's 500 ms merge window
        page.keyboard.press("Backspace")
        page.keyboard.press("Backspace")
        writer.wait_text("(now, t) => now.endsWith(t)", PASTED + TYPED[:-2])
        page.wait_for_timeout(700)
        page.keyboard.press("Control+z")
        writer.wait_text("(now, t) => now.endsWith(t)", PASTED + TYPED)
        edited = writer.text()
        assert edited == DRAFT + PASTED + TYPED

        # A note with a principle; offsets must arrive in code points (the emoji is one).
        sent = add_note(writer, NOTE_QUOTE, NOTE_BODY, "factual")
        start = edited.index(NOTE_QUOTE)
        assert (sent["start"], sent["end"], sent["quote"]) == (start, start + len(NOTE_QUOTE),
                                                               NOTE_QUOTE)
        assert sent["principle"] == "factual" and set(sent["anchor"]) == {"start", "end"}
        note = page.locator("#notes-list li.note").first
        note.wait_for()
        assert "Factual" in note.locator(".note-principle").inner_text()
        assert note.locator(".note-quote").inner_text() == NOTE_QUOTE
        assert note.locator(".note-body strong").inner_text() == "violet"  # markdown, as DOM
        page.locator(".cm-note-highlight").first.wait_for()
        assert page.locator(".cm-note-highlight").inner_text() == NOTE_QUOTE

        # Live for everyone: the reviewer's panel and highlight, without reloading.
        reviewer.page.locator("#notes-list li.note").first.wait_for()
        reviewer.page.locator(".cm-note-highlight").first.wait_for()
        assert reviewer.page.locator("#notes-list .note-edit").count() == 0

        # A second note by the shortcut, edited then withdrawn: kept, struck through.
        add_note(writer, "short wavelengths", "Too vague?", shortcut=True)
        second = page.locator("#notes-list li.note").nth(1)
        second.wait_for()
        second.locator(".note-edit").click()
        page.fill("#note-body", "Not vague: it is the physics.")
        page.click("#note-save")
        page.locator("#notes-list li.note", has_text="Not vague").wait_for()
        page.locator("#notes-list li.note", has_text="Not vague").locator(".note-withdraw").click()
        page.locator("#notes-list li.note[data-withdrawn]").wait_for()
        assert page.locator(".cm-note-highlight").count() == 1

        # Clicking a note selects its text.
        page.locator("#notes-list li.note").first.locator(".note-quote").click()
        selected = page.evaluate("""() => {
          const {view} = window.oversightEditor, s = view.state.selection.main
          return view.state.sliceDoc(s.from, s.to)}""")
        assert selected == NOTE_QUOTE

        # Type and submit at once: Submit waits until the server holds every keystroke.
        page.keyboard.press("Control+End")
        page.keyboard.type(LAST_WORDS)
        page.click("#submit-task")
        edited += LAST_WORDS
        # A summary to confirm first: what changed, how many notes.
        dialog = page.locator("#submit-dialog")
        dialog.wait_for(state="visible")
        assert "characters changed from the draft" in dialog.inner_text()
        assert "1 note saying why." in dialog.inner_text()  # the other one was withdrawn
        assert dialog.locator("[data-summary=unchanged]").is_hidden()
        page.click("#submit-confirm")
        status = page.locator("#submit-status[data-kind=ok]")
        status.wait_for()
        sha = hashlib.sha256(edited.encode("utf-8")).hexdigest()
        # Readable words, not a hash (the hash stays at hand as the message's title).
        assert "Submitted round 1. A reviewer will read it next" in status.inner_text()
        assert sha not in status.inner_text()
        assert sha in page.locator("#submit-status .submit-done").get_attribute("title")
        # The writer's next task is offered, and focus is on it (not lost to <body>).
        next_link = page.get_by_test_id("next-task")
        assert next_link.is_visible()
        assert page.evaluate("() => document.activeElement.dataset.testid") == "next-task"
        page.wait_for_function(JS_READ_ONLY)
        assert page.locator("#submit-task").is_hidden() and page.locator("#add-note").is_hidden()
        assert page.locator("#notes-list .note-edit").count() == 0
        page.click(".cm-content")
        page.keyboard.type("late")
        assert writer.text() == edited
        reviewer.page.wait_for_function(JS_READ_ONLY)
        page.screenshot(path=str(artifacts_dir / "editor-notes.png"), full_page=True)

        # The trajectory, read with the writer's session.
        response = page.request.get(f"{live_app.base_url}/api/tasks/{task['id']}/trajectory/")
        assert response.ok, response.text()
        record = response.json()
        events = record["events"]
        assert_gapless(events)
        kinds = [e["kind"] for e in events]
        assert_kinds_in_order(kinds, ["input.paste", "input.type", "delete.backward", "undo"])
        assert kinds.count("delete.backward") == 2
        assert all(e["author"] == "writer1" for e in events)
        final = record["final"]
        assert final["text"] == edited
        assert final["sha256"] == hashlib.sha256(final["text"].encode("utf-8")).hexdigest() == sha
        assert final["submitted_by"] == "writer1"
        assert replay_events(record["draft"]["text"], events) == final["text"]

        notes = {n["quote"]: n for n in record["notes"]}
        first, withdrawn = notes[NOTE_QUOTE], notes["short wavelengths"]
        assert (first["principle"], first["body"]) == ("factual", NOTE_BODY)
        assert not first["orphaned"]
        assert 1 <= first["seq"] <= len(events)
        text_then = replay_events(record["draft"]["text"], events[:first["seq"]])
        assert text_then[first["start"]:first["end"]] == NOTE_QUOTE
        assert [v["withdrawn"] for v in withdrawn["versions"]] == [False, False, True]
        assert withdrawn["versions"][1]["body"] == "Not vague: it is the physics."
        assert withdrawn["seq"] <= len(events)
        print(f"paste went through: {how}")
    finally:
        for p in (writer, reviewer):
            p.context.close()
    for p in (writer, reviewer):
        assert not p.errors, f"uncaught errors in {p.username}'s page: {p.errors}"
