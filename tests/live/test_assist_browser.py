"""Model help and provenance in a real Chromium, against a loopback fake model.

A writer selects a passage, asks for a rewrite (streamed from a real chat-completions
server on loopback), accepts it, types inside it, pastes another paragraph and submits;
then the provenance endpoint, the metrics and the exported records agree with what
happened, character for character.
"""

from __future__ import annotations

import json
import threading

import pytest

from tests.live.helpers import create_task, open_as
from tests.live.server import LiveServer
from tests.live.test_trace_browser import JS_SELECT, Page, paste
from tests.loopback import serving
from tests.provider_server import ProviderServer

pytestmark = pytest.mark.browser

DRAFT = "The sky is violet because air scatters violet light.\nIt is so."
PASSAGE = "The sky is violet because air scatters violet light."
REWRITE = ["The sky looks blue ", "because air scatters ", "short wavelengths most."]
TYPED = "XYZ"
PASTED = "\nSunlight mixes every colour; our eyes favour blue over violet."

JS_API = """async ([path]) => {
  const res = await fetch('/api' + path, {credentials: 'same-origin'})
  return {status: res.status, body: await res.text()}
}"""


@pytest.fixture(scope="module")
def fake_model():
    server = ProviderServer()
    server.mode = "stream"
    server.pieces = list(REWRITE)
    with serving(server):
        yield server


@pytest.fixture(scope="module")
def assist_app(tmp_path_factory, fake_model):
    server = LiveServer(tmp_path_factory.mktemp("assist-live"), extra_env={
        "DRAFT_PROVIDER_BASE_URL": fake_model.base_url, "DRAFT_PROVIDER_MODEL": "fake-model",
        "DRAFT_PROVIDER_TIMEOUT": "10"})
    server.prepare()
    server.shell("from oversight.workspace.models import Project\n"
                 "Project.objects.filter(slug='explain').update(model_help='all', "
                 "notes_per_changed_chars=0)")
    server.start()
    yield server
    server.stop()


def api(page, path: str):
    answer = page.evaluate(JS_API, [path])
    assert answer["status"] == 200, answer
    text = answer["body"]
    return [json.loads(line) for line in text.splitlines()] if path.startswith("/export") \
        else json.loads(text)


def expand(runs: list[dict]) -> list[tuple[str, str]]:
    out = []
    for run in runs:
        out += [(run["origin"], run["author"])] * (run["end"] - run["start"])
    return out


def test_rewrite_accept_type_paste_submit_and_every_character_has_its_origin(
        assist_app, chromium, fake_model, artifacts_dir):
    task = create_task(assist_app, DRAFT)
    writer = Page(chromium, assist_app, "writer1")
    page = writer.page
    try:
        writer.open_task(task["id"])
        page.evaluate(JS_SELECT, PASSAGE)
        page.click("#assist-open")
        page.fill("#assist-instruction", "Make it correct.")
        page.click("#assist-panel button[data-action=rewrite]")
        page.wait_for_function("() => !document.getElementById('assist-accept').disabled")
        answer = "".join(REWRITE)
        assert page.input_value("#assist-answer") == answer
        sent = fake_model.requests[-1]["json"]
        assert sent["stream"] is True and PASSAGE in sent["messages"][-1]["content"]
        assert "Make it correct." in sent["messages"][-1]["content"]
        page.screenshot(path=str(artifacts_dir / "assist-panel-1400.png"))
        page.click("#assist-accept")
        page.wait_for_function("() => /Inserted/.test(document.querySelector("
                               "'#assist-panel .assist-status').textContent)")
        expected_text = answer + DRAFT[len(PASSAGE):]
        assert writer.text() == expected_text

        # Type inside the model's text: after "The sky looks ".
        at = len("The sky looks ")
        page.evaluate("(at) => { const {view} = window.oversightEditor; "
                      "view.dispatch({selection: {anchor: at}}); view.focus() }", at)
        page.keyboard.type(TYPED)
        writer.wait_text("(now, t) => now.includes(t)", TYPED)
        # Paste another paragraph at the end.
        page.evaluate("() => { const {view} = window.oversightEditor; "
                      "view.dispatch({selection: {anchor: view.state.doc.length}}); view.focus() }")
        paste(writer, PASTED)
        final = answer[:at] + TYPED + answer[at:] + DRAFT[len(PASSAGE):] + PASTED
        writer.wait_text("(now, want) => now === want", final)

        page.click("#provenance-toggle")
        page.wait_for_selector(".origin-model-assist")
        page.screenshot(path=str(artifacts_dir / "assist-origins-1400.png"))
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=str(artifacts_dir / "assist-origins-1280.png"))
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.screenshot(path=str(artifacts_dir / "assist-origins-1920.png"))
        title = page.locator(".cm-content .origin-model-assist").first.get_attribute("title")
        assert title.startswith("Model suggestion by writer1")

        page.click("#submit-task")
        page.click("#submit-confirm")  # the summary dialog: confirm the submission
        page.wait_for_selector("#submit-status[data-kind=ok]")
        assert not writer.errors
    finally:
        writer.context.close()

    # Character by character, what happened: draft tail, model text split by typing, paste.
    expected = ([("model.assist", "writer1")] * at + [("typed", "writer1")] * len(TYPED)
                + [("model.assist", "writer1")] * (len(answer) - at)
                + [("draft", "live-test")] * len(DRAFT[len(PASSAGE):])
                + [("pasted", "writer1")] * len(PASTED))
    lead, page = open_as(chromium, assist_app, "lead1")[:2]
    try:
        runs = api(page, f"/tasks/{task['id']}/provenance/")
        assert expand(runs) == expected
        metrics = api(page, f"/tasks/{task['id']}/metrics/")
        n = len(final)
        assert metrics["final_share_model"] == len(answer) / n
        assert metrics["final_share_typed"] == len(TYPED) / n
        assert metrics["final_share_pasted"] == len(PASTED) / n
        assert metrics["final_share_draft"] == len(DRAFT[len(PASSAGE):]) / n
        [record] = [r for r in api(page, "/export/?project=explain&status=submitted")
                    if r["task_id"] == task["id"]]
        assert record["final"]["text"] == final
        assert record["final"]["provenance"] == runs
        shares = ("final_share_draft", "final_share_typed", "final_share_pasted",
                  "final_share_model")
        assert {k: record["metrics"][k] for k in shares} == {k: metrics[k] for k in shares}
        [assist] = record["assists"]
        assert (assist["action"], assist["outcome"], assist["kept_text"]) == (
            "rewrite", "accepted", answer)
        assist_event = next(e for e in record["events"] if e["seq"] == assist["result_seq"])
        assert assist_event["kind"] == "model.assist" and assist["selection"]["quote"] == PASSAGE
        [feedback] = [r for r in api(page, "/export/?project=explain&status=submitted"
                                           "&format=assist") if r["meta"]["task_id"] == task["id"]]
        assert feedback["accepted"] is True and feedback["response"] == answer

        # The player colours the final by the same runs.
        page.goto(f"{assist_app.base_url}/review/tasks/{task['id']}/")
        page.wait_for_selector("#player[data-ready=true]")
        page.keyboard.press("End")
        page.click("#origins-toggle")
        page.wait_for_selector("#doc .origin-pasted")
        spans = page.eval_on_selector_all(
            "#doc .origin", "els => els.map(e => [e.dataset.origin, e.textContent])")
        assert "".join(text for _, text in spans) == final
        assert [origin for origin, _ in spans] == [r["origin"] for r in runs]
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=str(artifacts_dir / "player-origins-1280.png"))
    finally:
        lead.close()


@pytest.mark.parametrize("mode", ["stream_cut", "error"])
def test_a_provider_failure_shows_a_plain_message_and_leaves_the_room_alone(
        assist_app, chromium, fake_model, mode):
    task = create_task(assist_app, DRAFT)
    writer = Page(chromium, assist_app, "writer1")
    page = writer.page
    fake_model.mode = mode
    try:
        writer.open_task(task["id"])
        page.evaluate(JS_SELECT, PASSAGE)
        page.keyboard.press("Control+Alt+k")  # the shortcut opens the panel
        page.click("#assist-panel button[data-action=rewrite]")
        status = page.locator("#assist-panel .assist-status[data-kind=error]")
        status.wait_for()
        assert status.inner_text().startswith("The model could not answer:")
        assert writer.text() == DRAFT
        assert page.locator("#assist-accept").is_disabled()
        # The room carries on: the socket is still up and an edit is stored.
        assert page.locator("#connection-status").get_attribute("data-state") == "connected"
        page.evaluate("() => { const {view} = window.oversightEditor; "
                      "view.dispatch({selection: {anchor: view.state.doc.length}}); view.focus() }")
        page.keyboard.type("!")
        answer = page.evaluate(JS_API, [f"/tasks/{task['id']}/assists/"])
        [assist] = json.loads(answer["body"])
        assert assist["outcome"] == "failed" and assist["error"]
        page.wait_for_function(
            "async ([id, want]) => (await (await fetch(`/api/tasks/${id}/text/?seq=1`))"
            ".json()).text === want", arg=[task["id"], DRAFT + "!"])
        assert not writer.errors
    finally:
        fake_model.mode = "stream"
        writer.context.close()


def test_the_answer_streams_into_the_panel_as_the_model_writes_it(
        assist_app, chromium, fake_model, artifacts_dir):
    task = create_task(assist_app, DRAFT)
    writer = Page(chromium, assist_app, "writer1")
    page = writer.page
    fake_model.mode, fake_model.gate = "stream_gated", threading.Event()
    try:
        writer.open_task(task["id"])
        page.evaluate(JS_SELECT, PASSAGE)
        page.click("#assist-open")
        page.click("#assist-panel button[data-action=continue]")
        # Through daphne and the browser's stream reader, before the model sends the rest.
        page.wait_for_function("(want) => document.getElementById('assist-answer').value "
                               "=== want", arg=REWRITE[0])
        assert page.locator("#assist-accept").is_disabled()
        fake_model.gate.set()
        page.wait_for_function("() => !document.getElementById('assist-accept').disabled")
        assert page.input_value("#assist-answer") == "".join(REWRITE)
        page.click("#assist-dismiss")
        page.wait_for_function("() => /Dismissed/.test(document.querySelector("
                               "'#assist-panel .assist-status').textContent)")
        assert writer.text() == DRAFT
    finally:
        fake_model.mode = "stream"
        fake_model.gate.set()
        writer.context.close()
    lead, page = open_as(chromium, assist_app, "lead1")[:2]
    try:
        [assist] = api(page, f"/tasks/{task['id']}/assists/")
        assert (assist["action"], assist["outcome"]) == ("continue", "dismissed")
        for width, height in ((1280, 800), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{assist_app.base_url}/projects/explain/model-help/")
            page.screenshot(path=str(artifacts_dir / f"model-help-settings-{width}.png"))
        page.select_option("select[name=model_help]", "critique")
        page.click("form[data-testid=model-help-form] button[type=submit]")
        page.wait_for_selector("text=Model-help settings saved.")
        assert api(page, "/projects/explain/")["model_help"] == "critique"
        page.select_option("select[name=model_help]", "all")
        page.click("form[data-testid=model-help-form] button[type=submit]")
        page.wait_for_selector("text=Model-help settings saved.")
    finally:
        lead.close()
