"""Red → green in a real Chromium: a writer runs a pyfuncs task's tests (red), fixes the code,
runs them again with Ctrl-Enter (green) and submits; the reviewer's player shows the red →
green track and seeks on a click; the preference export carries the pass counts.

A real `db_worker` beside the live server runs the jobs, in the real sandbox.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.live.helpers import open_as
from tests.live.server import ROOT
from tests.verifiers.test_demo_tests import FIXES

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
JS_SYNCED = """() => {
  const ed = window.oversightEditor
  return Boolean(ed && ed.provider.wsconnected && ed.provider.synced)
}"""


@pytest.fixture
def worker(live_app, sandbox):
    """One `manage.py db_worker` for the verifiers queue, as `make run` starts it."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "verifiers",
         "--interval", "0.1"], cwd=ROOT, env=live_app.env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    yield process
    process.terminate()
    process.wait(timeout=30)


def chunk_task(server) -> int:
    return server.query("""
import uuid
from django.contrib.auth import get_user_model
from oversight.workspace.demo_code import CODE_TASKS
from oversight.workspace.models import Draft, Project, Task
demo = next(t for t in CODE_TASKS if t["external_id"] == "pyfuncs-chunk")
task = Task.objects.create(project=Project.objects.get(slug="pyfuncs"),
                           external_id="live-" + uuid.uuid4().hex[:12], prompt=demo["prompt"],
                           verifier=demo["verifier"])
task.assignees.set(get_user_model().objects.filter(username="writer1"))
Draft.objects.create(task=task, text=demo["draft"]["text"], model="live-test")
result = task.pk
""")


def unfinished_runs(server, task_id: int) -> int:
    return server.query(f"""
from oversight.verifiers.models import VerifierRun
result = VerifierRun.objects.filter(task_id={task_id}, status__in=("queued", "running")).count()
""")


def test_red_then_green_then_the_reviewers_track_and_the_export(live_app, chromium, worker,
                                                                  artifacts_dir):
    task_id = chunk_task(live_app)
    # A reviewer follows the room: the writer's runs appear on their page too.
    watcher, watching, watcher_errors = open_as(chromium, live_app, "reviewer1",
                                                timeout_ms=TIMEOUT_MS)
    watching.goto(f"{live_app.base_url}/tasks/{task_id}/")
    watching.wait_for_function(JS_SYNCED)
    assert "Not run yet" in watching.locator("#tests-summary").inner_text()
    context, page, errors = open_as(chromium, live_app, "writer1", viewport=(1280, 800),
                                    timeout_ms=TIMEOUT_MS)
    try:
        page.goto(f"{live_app.base_url}/tasks/{task_id}/")
        page.wait_for_function(JS_SYNCED)
        summary = page.locator("#tests-summary")
        page.click("#run-tests")
        page.wait_for_selector("#tests-summary[data-status=failed]")
        watching.wait_for_selector("#tests-summary[data-status=failed]")
        assert "3 of 4 passed" in watching.locator("#tests-summary").inner_text()
        watcher.close()
        assert watcher_errors == []
        assert "3 of 4 passed" in summary.inner_text()
        failed = page.locator(".test[data-outcome=failed]")
        assert failed.count() == 1
        assert "test_last_chunk_is_shorter" in failed.inner_text()
        page.screenshot(path=str(artifacts_dir / "verifier-red-1280.png"))

        page.click("#editor .cm-content")
        page.keyboard.press("Control+Home")
        page.keyboard.type("# one step at a time\n", delay=40)
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(FIXES["pyfuncs-chunk"])
        page.keyboard.press("Control+Enter")  # Run tests, not a blank line
        page.wait_for_selector("#tests-summary[data-status=passed]")
        assert "4 of 4 passed" in summary.inner_text()
        assert page.evaluate("() => window.oversightEditor.ytext.toString()") == \
            FIXES["pyfuncs-chunk"]
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.screenshot(path=str(artifacts_dir / "verifier-green-1920.png"))
        page.click("#submit-task")
        page.click("#submit-confirm")  # the summary dialog: confirm the submission
        page.wait_for_selector("#submit-status[data-kind=ok]")
    finally:
        context.close()
    assert errors == []

    deadline = time.monotonic() + 30
    while unfinished_runs(live_app, task_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    context, page, errors = open_as(chromium, live_app, "reviewer1", viewport=(1280, 800),
                                    timeout_ms=TIMEOUT_MS)
    try:
        page.goto(f"{live_app.base_url}/review/tasks/{task_id}/")
        page.wait_for_selector("#player[data-ready=true]")
        marks = page.locator("#tests-track .tests-mark")
        statuses = [marks.nth(i).get_attribute("data-status") for i in range(marks.count())]
        assert statuses[0] == "failed" and statuses[-1] == "passed", statuses
        first_green = page.locator("#tests-track .tests-mark.green").first
        green_seq = int(first_green.get_attribute("data-seq"))
        assert green_seq > 0
        page.evaluate("() => window.oversightPlayer.seek(0)")
        first_green.click()
        page.wait_for_function(f"() => document.getElementById('player').dataset.seq === "
                               f"'{green_seq}'")
        page.screenshot(path=str(artifacts_dir / "verifier-track-1280.png"))
    finally:
        context.close()
    assert errors == []

    token = live_app.api_token("lead1")
    request = urllib.request.Request(
        f"{live_app.base_url}/api/export/?project=pyfuncs&format=preference&status=any",
        headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        records = [json.loads(line) for line in response.read().decode().splitlines() if line]
    record = next(r for r in records if r["meta"]["task_id"] == task_id)
    assert record["meta"]["verifier"] == {"tests_total": 4, "draft_passed": 3,
                                          "final_passed": 4, "verified": True}
    assert record["chosen"] == FIXES["pyfuncs-chunk"]


FORK_BOMB = '''import os
def chunk(items, size):
    while True:
        try:
            os.fork()
        except OSError:
            pass
'''


def test_the_server_stays_healthy_while_a_fork_bomb_runs(live_app, worker):
    """A hostile draft run through the API and the worker: contained, reported, server fine."""
    task_id = live_app.query(f"""
import uuid
from oversight.workspace.demo_code import CODE_TASKS
from oversight.workspace.models import Draft, Project, Task
demo = next(t for t in CODE_TASKS if t["external_id"] == "pyfuncs-chunk")
task = Task.objects.create(project=Project.objects.get(slug="pyfuncs"),
                           external_id="live-" + uuid.uuid4().hex[:12], prompt="hostile",
                           verifier={{**demo["verifier"], "timeout_s": 3}})
Draft.objects.create(task=task, text={FORK_BOMB!r}, model="live-test")
result = task.pk
""")
    token = live_app.api_token("lead1")

    def api(method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{live_app.base_url}/api{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    run = api("POST", f"/tasks/{task_id}/verify/", {"seq": 0})
    deadline = time.monotonic() + 30
    slowest = 0.0
    while run["status"] in ("queued", "running") and time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(f"{live_app.base_url}/healthz", timeout=10) as response:
            assert response.status == 200
        slowest = max(slowest, time.monotonic() - started)
        run = api("GET", f"/verifier-runs/{run['id']}/")
        time.sleep(0.1)
    assert run["status"] == "timeout", run
    assert slowest < 2, f"/healthz took {slowest:.2f} s during the run"
    assert live_app.running and worker.poll() is None
