"""Evidence from the browser, in a real Chromium: focus lost, untrusted input, silent inserts.

A writer types (trusted keys), the window loses focus and gets it back, and an outside
answer is pasted right then; a script dispatches a paste event (untrusted) and writes
into the Yjs document directly (silent: no key behind it). The trajectory export
carries each mark on its event, every paste's source and the focus-lost interval; the
signals raise `untrusted_input` and say the external paste followed a return to the
window; the player shades the interval and marks the inserts (screenshots at 1366x768
and 1920x1080 in test-artifacts/).
"""

from __future__ import annotations

import pytest

from tests.live.helpers import create_task, open_as
from tests.live.test_trace_browser import JS_SYNCED, JS_SYNTHETIC_PASTE, Page

pytestmark = pytest.mark.browser

DRAFT = "The sky is violet because air scatters violet light.\n"
TYPED = " Blue, in fact."
OUTSIDE = ("Rayleigh scattering grows as the inverse fourth power of the wavelength, so the "
           "diffuse skylight at noon is dominated by the blue end of the spectrum.")
SCRIPTED_PASTE = "A paste dispatched by a script, not by the writer."
SILENT = "Written straight into the document by a script. "
JS_HAS = "(now, t) => now.includes(t)"
# The server's record holds the text: the last insert is stored.
JS_STORED = """async ([url, text]) => {
  const record = await (await fetch(url)).json()
  return JSON.stringify(record.events).includes(JSON.stringify(text).slice(1, -1))
}"""


def test_focus_untrusted_and_silent_inserts_reach_the_export_and_the_player(
        live_app, chromium, artifacts_dir):
    task = create_task(live_app, DRAFT, assignees=["writer1"])
    writer = Page(chromium, live_app, "writer1")
    page = writer.page
    try:
        writer.open_task(task["id"])
        page.click(".cm-content")
        page.keyboard.press("Control+End")
        page.keyboard.type(TYPED, delay=40)
        writer.wait_text(JS_HAS, TYPED)
        # Another application takes the focus, then the writer comes back and pastes.
        page.evaluate("() => window.dispatchEvent(new Event('blur'))")
        page.wait_for_timeout(300)  # the interval being measured: time must pass
        page.evaluate("() => window.dispatchEvent(new Event('focus'))")
        page.keyboard.press("Enter")
        page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                       origin=live_app.base_url)
        page.evaluate("(t) => navigator.clipboard.writeText(t)", OUTSIDE)
        page.keyboard.press("Control+V")
        try:
            writer.wait_text(JS_HAS, OUTSIDE)
        except Exception:  # headless Chromium without a usable clipboard: a paste event
            page.evaluate(JS_SYNTHETIC_PASTE, OUTSIDE)
            writer.wait_text(JS_HAS, OUTSIDE)
        # A script pastes through a dispatched (untrusted) event.
        page.evaluate(JS_SYNTHETIC_PASTE, "\n" + SCRIPTED_PASTE)
        writer.wait_text(JS_HAS, SCRIPTED_PASTE)
        # A script writes into the shared document, a second after the last input event.
        page.wait_for_timeout(1_200)  # silence is the absence of input for a while
        page.evaluate("(t) => window.oversightEditor.ytext.insert(0, t)", SILENT)
        writer.wait_text(JS_HAS, SILENT)
        url = f"{live_app.base_url}/api/tasks/{task['id']}/trajectory/"
        page.wait_for_function(JS_STORED, arg=[url, SILENT], polling=300)
        record = page.request.get(url).json()
    finally:
        writer.context.close()

    events = record["events"]
    by_text = {}
    for e in events:
        inserted = "".join(op.get("insert", "") for op in e["ops"])
        by_text.setdefault(inserted, e)
    typed = [e for e in events if e["kind"] == "input.type"]
    assert typed and not any(e.get("untrusted") or e.get("silent") for e in typed)
    pasted = by_text[OUTSIDE]
    assert pasted["kind"] == "input.paste" and pasted["after_refocus"] is True
    assert pasted["paste_source"] == "external"
    scripted = next(e for e in events if SCRIPTED_PASTE in str(e["ops"]))
    assert scripted["untrusted"] is True and scripted["kind"] == "input.paste"
    silent = by_text[SILENT]
    assert silent["silent"] is True and silent["kind"] == "" and "untrusted" not in silent
    assert silent["paste_source"] == "external"  # a silent insert counts as a paste
    [away] = record["focus"]
    assert away["author"] == "writer1" and away["back_t_ms"] - away["lost_t_ms"] >= 250
    assert away["lost_t_ms"] <= pasted["t_ms"]
    metrics = record["metrics"]
    assert "untrusted_input" in metrics["flags"]
    assert metrics["flag_moments"]["untrusted_input"] == [scripted["seq"]]
    assert "right after the window got focus back" in metrics["flag_reasons"]["external_paste"]

    context, lead, errors = open_as(chromium, live_app, "lead1", viewport=(1366, 768))
    try:
        lead.goto(f"{live_app.base_url}/review/tasks/{task['id']}/#seq={silent['seq']}")
        lead.wait_for_selector("#player[data-ready=true]")
        assert lead.locator("#strip .focus-lost rect").count() == 1
        assert lead.locator("#strip .evidence-marks path").count() == 2  # untrusted, silent
        lead.wait_for_function("(n) => document.getElementById('position').textContent"
                               ".includes(`event ${n} of`)", arg=silent["seq"])
        assert "silent insert" in lead.locator("#position").inner_text()
        assert "pasted (external)" in lead.locator("#position").inner_text()
        assert "untrusted" in lead.get_by_test_id("evidence").inner_text()
        lead.screenshot(path=str(artifacts_dir / "evidence-player-1366.png"))
        lead.set_viewport_size({"width": 1920, "height": 1080})
        lead.screenshot(path=str(artifacts_dir / "evidence-player-1920.png"))
        # A click inside the grey band: the moment the writer's window was away.
        band = lead.locator("#strip .focus-lost rect").bounding_box()
        lead.mouse.click(band["x"] + band["width"] / 2, band["y"] + band["height"] / 2)
        lead.wait_for_function("() => document.getElementById('position').textContent"
                               ".includes('window unfocused')")
        assert not errors
    finally:
        context.close()


def test_the_page_reports_nothing_for_plain_typing(live_app, chromium):
    """Honest typing carries no mark: no false evidence from the editor itself."""
    task = create_task(live_app, DRAFT, assignees=["writer1"])
    context, page, _ = open_as(chromium, live_app, "writer1", viewport=(1366, 768))
    try:
        page.goto(f"{live_app.base_url}/tasks/{task['id']}/")
        page.wait_for_function(JS_SYNCED)
        page.click(".cm-content")
        page.keyboard.press("Control+End")
        page.keyboard.type("Typed by hand!", delay=30)
        page.keyboard.press("Backspace")
        page.keyboard.type(".", delay=30)
        page.wait_for_function("(t) => window.oversightEditor.ytext.toString().includes(t)",
                               arg="Typed by hand.")
        # "All changes saved": the server confirmed storing every local change.
        page.wait_for_function("() => document.getElementById('save-status')"
                               ".dataset.state === 'saved'")
        record = page.request.get(
            f"{live_app.base_url}/api/tasks/{task['id']}/trajectory/").json()
    finally:
        context.close()
    assert record["events"]
    assert not any(e.get(k) for e in record["events"]
                   for k in ("untrusted", "silent", "after_refocus"))
    assert record["focus"] == [] and "untrusted_input" not in record["metrics"]["flags"]
