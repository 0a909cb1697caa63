"""The editor-first task page in a real Chromium: the document gets the width, the brief
and notes are side panels that collapse and resize and are remembered per user, code
lines wrap on request, and the page is usable from 800 px to 2560 px wide."""

from __future__ import annotations

import pytest

from tests.live.helpers import create_task, open_as

pytestmark = pytest.mark.browser

LONG_LINE = "    return a + b  # " + "a rather long comment that goes on " * 6
CODE = "def add(a, b):\n" + LONG_LINE + "\n"

JS_BOX = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width} }"""
JS_PAGE_OVERFLOW = """() => document.documentElement.scrollWidth
  - document.documentElement.clientWidth"""
JS_SCROLLER_OVERFLOW = """() => { const s = document.querySelector('.cm-scroller');
  return s.scrollWidth - s.clientWidth }"""


def _open(browser, server, task_id, width, height, user="writer1"):
    context, page, errors = open_as(browser, server, user, viewport=(width, height))
    page.goto(f"{server.base_url}/tasks/{task_id}/")
    page.locator(".task-layout.panels-ready").wait_for()
    # The document's text arrives with the sync: measure only then.
    page.wait_for_function("() => window.oversightEditor?.provider.synced"
                           " && window.oversightEditor.view.state.doc.length > 0")
    return context, page, errors


def _open_panel(page, name):
    return page.locator(f"[data-panel='{name}']:not(.panel-collapsed) .panel-body")


@pytest.mark.parametrize("width,height", [(1280, 800), (1920, 1080), (2560, 1440)])
def test_the_document_gets_the_width(chromium, live_app, artifacts_dir, width, height):
    task = create_task(live_app, CODE, project="pyfuncs")
    context, page, errors = _open(chromium, live_app, task["id"], width, height)
    try:
        editor = page.evaluate(JS_BOX, "#editor")
        # Both panels open beside it, and still the editor has more than half the window.
        assert _open_panel(page, "brief").is_visible() and _open_panel(page, "notes").is_visible()
        assert editor["width"] > 0.5 * width, editor
        # It fills the window's height below the bars, and the page never scrolls sideways.
        assert editor["bottom"] >= height - 2, editor
        assert page.evaluate(JS_PAGE_OVERFLOW) <= 0
        assert page.locator("#submit-task").is_visible()
        page.screenshot(path=str(artifacts_dir / f"task-layout-{width}.png"))
        assert not errors
    finally:
        context.close()


def test_panels_collapse_resize_and_are_remembered_per_user(chromium, live_app, artifacts_dir):
    task = create_task(live_app, CODE, project="pyfuncs")
    context, page, errors = _open(chromium, live_app, task["id"], 1400, 900)
    try:
        before = page.evaluate(JS_BOX, "#editor")["width"]
        toggle = page.locator("[data-panel-toggle=brief]")
        assert toggle.get_attribute("aria-expanded") == "true"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("#panel-body-brief").is_visible()
        collapsed = page.evaluate(JS_BOX, "#editor")["width"]
        assert collapsed > before + 150  # the brief's width went to the document

        # The notes dock's handle resizes it by keyboard (towards the editor = wider).
        handle = page.locator("[data-dock=right] .dock-resizer")
        start = page.evaluate(JS_BOX, "[data-dock=right]")["width"]
        handle.focus()
        for _ in range(5):
            page.keyboard.press("ArrowLeft")
        wider = page.evaluate(JS_BOX, "[data-dock=right]")["width"]
        assert wider == pytest.approx(start + 80, abs=2)
        assert int(handle.get_attribute("aria-valuenow")) == round(wider)

        page.reload()
        page.locator(".task-layout.panels-ready").wait_for()
        assert page.locator("[data-panel-toggle=brief]").get_attribute("aria-expanded") == "false"
        assert page.evaluate(JS_BOX, "[data-dock=right]")["width"] == pytest.approx(wider, abs=2)
        assert not errors
    finally:
        context.close()

    # Another user on the same browser profile has their own layout.
    other, page2, _ = _open(chromium, live_app, task["id"], 1400, 900, user="lead1")
    try:
        assert page2.locator("[data-panel-toggle=brief]").get_attribute("aria-expanded") == "true"
    finally:
        other.close()


def test_code_wraps_on_request_and_prose_always(chromium, live_app):
    task = create_task(live_app, CODE, project="pyfuncs")
    context, page, errors = _open(chromium, live_app, task["id"], 1280, 800)
    try:
        assert page.evaluate(JS_SCROLLER_OVERFLOW) > 0  # the long line runs past the edge
        page.check("#wrap-lines")
        page.wait_for_function(f"() => ({JS_SCROLLER_OVERFLOW})() <= 0")
        page.reload()
        page.wait_for_function("() => window.oversightEditor?.provider.synced"
                               " && window.oversightEditor.view.state.doc.length > 0")
        assert page.is_checked("#wrap-lines")
        assert page.evaluate(JS_SCROLLER_OVERFLOW) <= 0
    finally:
        context.close()
    prose = create_task(live_app, "A sentence that keeps going " * 30)
    context, page, errors = _open(chromium, live_app, prose["id"], 1280, 800)
    try:
        assert page.locator("#wrap-lines").count() == 0
        assert page.evaluate(JS_SCROLLER_OVERFLOW) <= 0
        assert not errors
    finally:
        context.close()


def test_at_800_px_the_editor_is_in_sight_and_panels_open_over_it(chromium, live_app,
                                                                  artifacts_dir):
    task = create_task(live_app, CODE, project="pyfuncs")
    context, page, errors = _open(chromium, live_app, task["id"], 800, 1000)
    try:
        editor = page.evaluate(JS_BOX, "#editor")
        assert editor["top"] < 200 and editor["width"] > 650, editor
        assert not page.locator("#panel-body-brief").is_visible()
        assert page.evaluate(JS_PAGE_OVERFLOW) <= 0
        page.click("[data-panel-toggle=brief]")
        assert page.locator("#panel-body-brief").is_visible()
        page.screenshot(path=str(artifacts_dir / "task-layout-800-brief.png"))
        # Opening another panel closes the first (one overlay at a time); Escape closes it.
        page.click("[data-panel-toggle=notes]")
        assert not page.locator("#panel-body-brief").is_visible()
        page.keyboard.press("Tab")  # into the panel's content
        assert page.evaluate("() => Boolean(document.activeElement.closest('[data-panel=notes]'))")
        page.keyboard.press("Escape")
        assert not page.locator("#panel-body-notes").is_visible()
        assert page.evaluate("() => document.activeElement.dataset.panelToggle") == "notes"
        assert page.evaluate(JS_PAGE_OVERFLOW) <= 0
        assert not errors
    finally:
        context.close()
