"""A stock y-websocket client (Node) replays a real editing trace through the live server."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request

import pytest

from tests.live.helpers import (
    assert_gapless,
    assert_trace_replays_to,
    create_task,
    replay_events,
    stored_trace,
)
from tests.live.server import ROOT, LiveServer

pytestmark = pytest.mark.node

SAMPLE = ROOT / "tests" / "data" / "sveltecomponent-sample.json"
REPLAY_TIMEOUT_S = 120
MESSAGE_LIMIT = 2 * 1024 * 1024


def api_get(server, path: str, token: str):
    """GET an API path with a token; return (status, parsed JSON or None)."""
    request = urllib.request.Request(f"{server.base_url}{path}", headers={
        "Authorization": f"Token {token}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return exc.code, None


def trajectory_from_api(server, task_id: int, token: str) -> dict | None:
    """The task's `oversight.trajectory/v1` record from the API, or None if the endpoint
    does not exist (404 for a task the API just showed)."""
    status, record = api_get(server, f"/api/tasks/{task_id}/trajectory/", token)
    if status == 404:
        return None
    assert status == 200, f"trajectory endpoint answered {status}"
    assert record.get("schema") == "oversight.trajectory/v1", str(record)[:300]
    return record


def test_stock_yjs_client_replays_the_sample_trace(node_interop, live_app):
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    task = create_task(live_app, sample["startContent"], assignees=["writer1"])
    writer_token = live_app.api_token("writer1")
    observer_token = live_app.api_token("lead1")  # the relay reaches another user too

    proc = subprocess.run(
        ["node", str(node_interop / "replay_sample.mjs"), "--url", live_app.ws_url,
         "--room", task["doc_id"], "--token", writer_token, "--observer-token", observer_token,
         "--trace", str(SAMPLE), "--timeout", str(REPLAY_TIMEOUT_S - 20)],
        cwd=node_interop, capture_output=True, text=True, timeout=REPLAY_TIMEOUT_S)
    lines = proc.stdout.strip().splitlines()
    assert lines, f"no output from the replay client; stderr:\n{proc.stderr[-3000:]}"
    result = json.loads(lines[-1])
    assert proc.returncode == 0 and result["ok"] is True, (result, proc.stderr[-3000:])
    assert result["ops"] == len(sample["txns"])
    assert result["final_len"] == len(sample["endContent"])  # all-BMP text: UTF-16 == code points

    # The task as the API shows it.
    status, detail = api_get(live_app, f"/api/tasks/{task['id']}/", writer_token)
    assert status == 200
    assert detail["doc_id"] == task["doc_id"]
    assert detail["draft"]["text"] == sample["startContent"]

    # The trajectory: through the API once it exists, else straight from the database.
    record = trajectory_from_api(live_app, task["id"], writer_token)
    if record is not None:
        assert record["draft"]["text"] == sample["startContent"]
        assert_gapless(record["events"])
        assert all(e["inferred_kind"] for e in record["events"])
        assert replay_events(record["draft"]["text"], record["events"]) == sample["endContent"]
    # The database holds the whole story either way: the update log and the events.
    trace = stored_trace(live_app, task["id"])
    assert_trace_replays_to(trace, sample["endContent"])
    assert {e["author"] for e in trace["events"]} == {"writer1"}
    # A stock client sends no edit metadata: every kind is inferred.
    assert all(e["kind"] == "" for e in trace["events"])
    # Every non-empty trace transaction is one update, hence one event.
    changing = [t for t in sample["txns"] if any(p[1] or p[2] for p in t["patches"])]
    assert len(trace["events"]) == len(changing)


@pytest.fixture(scope="module", params=["daphne", "uvicorn"])
def slow_app(request, tmp_path_factory):
    """A live server with a per-connection rate limit a program easily exceeds, and a
    message limit above daphne's own default of 1 MiB; served by each ASGI server
    `manage.py serve` offers."""
    server = LiveServer(tmp_path_factory.mktemp(f"live-slow-{request.param}"), extra_env={
        "EDITOR_RATE_LIMIT_PER_SECOND": "20", "EDITOR_RATE_LIMIT_BURST": "60",
        "EDITOR_MAX_MESSAGE_BYTES": str(MESSAGE_LIMIT), "OVERSIGHT_ASGI_SERVER": request.param})
    server.prepare()
    server.start()
    yield server
    server.stop()


def test_a_flooding_stock_client_reconnects_and_its_later_edits_land(node_interop, slow_app):
    live_app = slow_app
    task = create_task(live_app, "Fast. ", assignees=["writer1"])
    proc = subprocess.run(
        ["node", str(node_interop / "flood_reconnect.mjs"), "--url", live_app.ws_url,
         "--room", task["doc_id"], "--token", live_app.api_token("writer1"),
         "--observer-token", live_app.api_token("lead1"), "--timeout", "20"],
        cwd=node_interop, capture_output=True, text=True, timeout=120)
    lines = proc.stdout.strip().splitlines()
    assert lines, f"no output from the flood client; stderr:\n{proc.stderr[-3000:]}"
    result = json.loads(lines[-1])
    assert proc.returncode == 0 and result["ok"] is True, (result, proc.stderr[-3000:])
    # Closed for flooding with a code stock clients retry, not one they treat as final.
    assert result["close_codes"][0] == 4503, result
    trace = stored_trace(live_app, task["id"])
    assert trace["log_text"].endswith(" offline after")
    assert len(trace["log_text"]) == result["final_len"]
    assert_trace_replays_to(trace, trace["log_text"])


def run_big_message(node_interop, server, task, *options):
    proc = subprocess.run(
        ["node", str(node_interop / "big_message.mjs"), "--url", server.ws_url,
         "--room", task["doc_id"], "--token", server.api_token("writer1"),
         "--observer-token", server.api_token("lead1"), "--timeout", "40", *options],
        cwd=node_interop, capture_output=True, text=True, timeout=90)
    lines = proc.stdout.strip().splitlines()
    assert lines, f"no output from the client; stderr:\n{proc.stderr[-3000:]}"
    return proc.returncode, json.loads(lines[-1])


def test_a_message_under_the_setting_but_over_a_mebibyte_is_not_cut(node_interop, slow_app):
    task = create_task(slow_app, "Big. ", assignees=["writer1"])
    paste = 1536 * 1024  # over daphne's default 1 MiB, under EDITOR_MAX_MESSAGE_BYTES
    code, result = run_big_message(node_interop, slow_app, task, "--paste", str(paste))
    assert code == 0 and result["ok"], result
    trace = stored_trace(slow_app, task["id"])
    assert trace["log_text"] == "Big. " + "p" * paste


def test_more_unsynced_work_than_the_limit_gets_a_final_refusal(node_interop, slow_app):
    task = create_task(slow_app, "Big. ", assignees=["writer1"])
    code, result = run_big_message(node_interop, slow_app, task,
                                   "--offline", str(MESSAGE_LIMIT + 1024))
    # A close with a code and reason (not a dropped connection, 1006), which stock
    # clients (4400-4499) and the editor page (TERMINAL_CLOSE_CODES) do not retry.
    assert code == 0 and result["ok"], result
    assert result["close_codes"] == [4413], result
    assert str(MESSAGE_LIMIT) in result["reason"]
    assert stored_trace(slow_app, task["id"])["log_text"] == "Big. "
