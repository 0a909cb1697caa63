"""The task page's editor in a real Chromium against the live server.

Two writers type at once and converge, see each other's caret and presence, survive
a server restart and a crash; Unicode survives byte for byte; a reviewer cannot edit;
an edit over the message limit is refused once (4413), not retried.
"""

from __future__ import annotations

from contextlib import contextmanager
from itertools import zip_longest

import pytest

from tests.live.helpers import assert_trace_replays_to, create_task, open_as, stored_trace

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
RECONNECT_TIMEOUT_MS = 45_000
# y-protocols renews awareness every 15 s; presence must come back well before that.
PRESENCE_AFTER_RESTART_MS = 8_000

JS_TEXTS = """() => {
  const ed = window.oversightEditor
  return {ytext: ed.ytext.toString(), doc: ed.view.state.doc.toString()}
}"""
JS_SYNCED = """() => {
  const ed = window.oversightEditor
  const el = document.getElementById('connection-status')
  return Boolean(ed && ed.provider.wsconnected && ed.provider.synced
                 && el && el.dataset.state === 'connected')
}"""
JS_HAS_TEXT = """(expected) => {
  const ed = window.oversightEditor
  return ed.ytext.toString() === expected && ed.view.state.doc.toString() === expected
}"""
JS_COUNT_DROPS = """() => {
  window.__liveDrops = 0
  window.oversightEditor.provider.on('status', ({status}) => {
    if (status === 'disconnected') window.__liveDrops++
  })
}"""
JS_RECONNECTED = "() => window.__liveDrops > 0 && (" + JS_SYNCED + ")()"
JS_LABEL_OPACITY = """(name) => {
  const label = [...document.querySelectorAll('.cm-ySelectionInfo')]
    .find((el) => el.textContent === name)
  return label ? Number(getComputedStyle(label).opacity) : -1
}"""


# -- helpers --------------------------------------------------------------------------


class EditorPage:
    """One user's browser context with the task page open."""

    def __init__(self, browser, server, username: str):
        self.server = server
        self.username = username
        self.context, self.page, self.errors = open_as(browser, server, username,
                                                       viewport=(1280, 800),
                                                       timeout_ms=TIMEOUT_MS)

    def open_task(self, task_id: int) -> EditorPage:
        self.page.goto(f"{self.server.base_url}/tasks/{task_id}/")
        self.wait_synced()
        return self

    def wait_synced(self, timeout: int = TIMEOUT_MS) -> None:
        self._wait(JS_SYNCED, None, timeout, "connected and synced")

    def wait_text(self, expected: str, timeout: int = TIMEOUT_MS) -> None:
        self._wait(JS_HAS_TEXT, expected, timeout, f"text {expected!r}")

    def _wait(self, js: str, arg, timeout: int, what: str) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(js, arg=arg, timeout=timeout)
        except PlaywrightTimeout:
            state = self.page.evaluate("""() => ({
              status: document.getElementById('connection-status')?.dataset.state,
              ytext: window.oversightEditor?.ytext.toString()})""")
            raise AssertionError(f"{self.username}: timed out waiting for {what}; "
                                 f"page state {state!r}") from None

    def texts(self) -> dict:
        return self.page.evaluate(JS_TEXTS)

    def ytext(self) -> str:
        return self.texts()["ytext"]

    def focus(self, where: str) -> None:
        """Click into the editor and put the caret at the 'start' or 'end' of the document."""
        self.page.click(".cm-content")
        self.page.keyboard.press("Control+Home" if where == "start" else "Control+End")

    def screenshot(self, directory, name: str) -> None:
        self.page.screenshot(path=str(directory / name), full_page=True)

    def close(self) -> None:
        self.context.close()


@contextmanager
def editor_pages(browser, server, *usernames):
    pages = [EditorPage(browser, server, name) for name in usernames]
    try:
        yield pages
    finally:
        for page in pages:
            page.close()
    for page in pages:
        assert not page.errors, f"uncaught errors in {page.username}'s page: {page.errors}"


def chunks(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


def type_concurrently(a: EditorPage, text_a: str, b: EditorPage, text_b: str) -> None:
    """Interleave short bursts of typing in two pages without waiting for convergence,
    so each writer's keystrokes cross the other's on the wire."""
    for part_a, part_b in zip_longest(chunks(text_a, 3), chunks(text_b, 3)):
        if part_a:
            a.page.keyboard.type(part_a)
        if part_b:
            b.page.keyboard.type(part_b)


def assert_sees_peer(page: EditorPage, peer: str, timeout: int = TIMEOUT_MS) -> None:
    """`page` shows `peer` in the presence list and as a labelled remote caret."""
    page.page.locator(f"#presence-list li[data-user='{peer}']").wait_for(
        state="visible", timeout=timeout)
    label = page.page.locator(".cm-ySelectionInfo", has_text=peer)
    label.first.wait_for(state="visible", timeout=timeout)
    # Playwright counts opacity 0 as visible: check the label can really be read.
    page.page.wait_for_function(f"() => ({JS_LABEL_OPACITY})({peer!r}) >= 0.5",
                                timeout=timeout)


# -- tests ----------------------------------------------------------------------------


def test_two_writers_converge_and_survive_a_restart(chromium, live_app, artifacts_dir):
    draft = "The shared draft."
    task = create_task(live_app, draft, assignees=["writer1", "writer2"])
    with editor_pages(chromium, live_app, "writer1", "writer2") as (w1, w2):
        for page in (w1, w2):
            page.open_task(task["id"])
            assert page.ytext() == draft
        w1.focus("start")
        w2.focus("end")
        typed_1, typed_2 = "Alpha bravo charlie. ", " Delta echo foxtrot."
        type_concurrently(w1, typed_1, w2, typed_2)
        expected = typed_1 + draft + typed_2
        for page in (w1, w2):
            page.wait_text(expected)
            content = page.page.locator(".cm-content")
            assert "Alpha bravo charlie." in content.inner_text()
            assert "Delta echo foxtrot." in content.inner_text()
        assert_sees_peer(w1, "writer2")
        assert_sees_peer(w2, "writer1")
        for page, me in ((w1, "writer1"), (w2, "writer2")):
            page.page.locator(f"#presence-list li[data-user='{me}'][data-self]").wait_for()
        w1.screenshot(artifacts_dir, "editor-two-writers.png")

        # A graceful restart: both pages reconnect to the reloaded room, text intact.
        for page in (w1, w2):
            page.page.evaluate(JS_COUNT_DROPS)
        live_app.restart()
        for page in (w1, w2):
            page._wait(JS_RECONNECTED, None, RECONNECT_TIMEOUT_MS, "a reconnection")
            assert page.texts() == {"ytext": expected, "doc": expected}
        # Peers reappear at once, not at the next awareness renewal (15 s).
        assert_sees_peer(w1, "writer2", timeout=PRESENCE_AFTER_RESTART_MS)
        assert_sees_peer(w2, "writer1", timeout=PRESENCE_AFTER_RESTART_MS)
        w2.focus("end")
        w2.page.keyboard.type(" Golf.")
        expected += " Golf."
        for page in (w1, w2):
            page.wait_text(expected)
        assert_sees_peer(w1, "writer2")
        assert_sees_peer(w2, "writer1")
        w2.screenshot(artifacts_dir, "editor-after-restart.png")

        # A crash (SIGKILL): what was acknowledged is in the log and comes back.
        for page in (w1, w2):
            page.page.evaluate(JS_COUNT_DROPS)
        live_app.restart(crash=True)
        for page in (w1, w2):
            page._wait(JS_RECONNECTED, None, RECONNECT_TIMEOUT_MS, "a reconnection")
            assert page.texts() == {"ytext": expected, "doc": expected}
        w1.focus("end")
        w1.page.keyboard.type(" Hotel.")
        expected += " Hotel."
        for page in (w1, w2):
            page.wait_text(expected)

    trace = stored_trace(live_app, task["id"])
    assert_trace_replays_to(trace, expected)
    assert {e["author"] for e in trace["events"]} == {"writer1", "writer2"}
    # Every keystroke was reported by the editor as typing.
    assert {e["kind"] for e in trace["events"]} == {"input.type"}
    assert trace["status"] == "in_progress"


UNICODE_PIECES = [
    " 数据 日本語テキスト 한국어",
    " thumbs 👍🏽 rtl שלום",
    " combining e\u0301 vs \u00e9, a\u0308\u0304",
    " flag 🇺🇳 math 𝔘𝔫𝔦 zwsp[\u200b]",
    " family 👩\u200d👩\u200d👧",
]
FAMILY = "👩\u200d👩\u200d👧"  # five code points, one grapheme


def test_unicode_is_stored_byte_for_byte(chromium, live_app, artifacts_dir):
    draft = "Unicode: 草稿 👍"
    task = create_task(live_app, draft, assignees=["writer1"])
    expected = draft
    with editor_pages(chromium, live_app, "writer1", "lead1") as (w1, lead):
        w1.open_task(task["id"])
        w1.focus("end")
        for piece in UNICODE_PIECES:
            w1.page.keyboard.insert_text(piece)
            expected += piece
            w1.wait_text(expected)
        # An edit between astral characters: code-point offsets must stay right.
        w1.focus("end")
        w1.page.keyboard.press("ArrowLeft")  # one grapheme back: before the whole family
        w1.page.keyboard.insert_text("!")
        assert expected.endswith(FAMILY)
        expected = expected[:-len(FAMILY)] + "!" + FAMILY
        w1.wait_text(expected)
        w1.screenshot(artifacts_dir, "editor-unicode.png")
        # A fresh page gets exactly the same text from the server (hence it is stored:
        # the room relays and serves only what it has committed).
        lead.open_task(task["id"])
        lead.wait_text(expected)

    # After a restart the room comes back from the database alone.
    live_app.restart()
    with editor_pages(chromium, live_app, "writer1") as (again,):
        again.open_task(task["id"])
        assert again.texts() == {"ytext": expected, "doc": expected}

    trace = stored_trace(live_app, task["id"])
    assert_trace_replays_to(trace, expected)
    assert "e\u0301" in trace["log_text"]  # not normalised to é


def test_a_reviewer_follows_read_only(chromium, live_app, artifacts_dir):
    draft = "Only writers change this."
    task = create_task(live_app, draft, assignees=["writer1"])
    with editor_pages(chromium, live_app, "reviewer1", "writer1") as (reviewer, writer):
        writer.open_task(task["id"])
        writer.focus("end")  # so the writer's caret is shown to others
        reviewer.open_task(task["id"])
        page = reviewer.page
        page.get_by_test_id("read-only").wait_for(state="visible")
        assert page.get_attribute(".cm-content", "contenteditable") == "false"

        page.click(".cm-content")
        page.keyboard.type("reviewer was here")
        page.keyboard.press("Backspace")
        assert reviewer.texts() == {"ytext": draft, "doc": draft}
        assert "reviewer was here" not in page.locator(".cm-content").inner_text()
        assert_sees_peer(reviewer, "writer1")  # followers still see who edits
        reviewer.screenshot(artifacts_dir, "editor-read-only.png")

        # Even an update forged past the UI is refused by the server, with a message.
        page.evaluate("() => window.oversightEditor.ytext.insert(0, 'forged ')")
        page.locator(".editor-banner[data-kind=error]").wait_for(state="visible")
        writer.focus("end")
        writer.page.keyboard.type(" Writer ok.")
        writer.wait_text(draft + " Writer ok.")
        # The reviewer follows the writer (its own forged text stays local to it).
        reviewer.wait_text("forged " + draft + " Writer ok.")

    trace = stored_trace(live_app, task["id"])
    assert_trace_replays_to(trace, draft + " Writer ok.")
    assert "forged" not in trace["log_text"]
    assert {e["author"] for e in trace["events"]} == {"writer1"}


JS_COUNT_CONNECTS = """() => {
  window.__liveConnects = 0
  window.oversightEditor.provider.on('status', ({status}) => {
    if (status === 'connecting') window.__liveConnects++
  })
}"""
JS_REFUSED_TOO_BIG = """() => {
  const el = document.getElementById('connection-status')
  return el && el.dataset.state === 'error' && el.textContent.includes('(4413)')
}"""


def test_an_edit_over_the_message_limit_is_refused_once_not_retried(chromium, live_app,
                                                                    artifacts_dir):
    draft = "Small draft.\n"
    task = create_task(live_app, draft, assignees=["writer1"])
    with editor_pages(chromium, live_app, "writer1") as (writer,):
        writer.open_task(task["id"])
        writer.page.evaluate(JS_COUNT_CONNECTS)
        # One paste larger than EDITOR_MAX_MESSAGE_BYTES (1 MiB here): one update message.
        writer.page.evaluate("""(n) => {
          const view = window.oversightEditor.view
          view.dispatch({changes: {from: 0, insert: 'x'.repeat(n)}, userEvent: 'input.paste'})
        }""", 1_100_000)
        writer._wait(JS_REFUSED_TOO_BIG, None, TIMEOUT_MS, "the 4413 refusal on the page")
        connects = writer.page.evaluate("() => window.__liveConnects")
        # No reconnect into the same wall: wait as long as y-websocket's backoff would.
        writer.page.wait_for_timeout(3000)
        assert writer.page.evaluate("() => window.__liveConnects") == connects == 0
        assert writer.page.evaluate("() => window.oversightEditor.provider.wsconnected") is False
        # The viewport only: the page holds a million characters.
        writer.page.screenshot(path=str(artifacts_dir / "editor-refused-too-big-1280.png"))
        writer.page.set_viewport_size({"width": 1920, "height": 1080})
        writer.page.screenshot(path=str(artifacts_dir / "editor-refused-too-big-1920.png"))
    assert stored_trace(live_app, task["id"])["log_text"] == draft
