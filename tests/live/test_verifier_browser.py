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
    context, page, errors = open_as(chromium, live_app, "writer1", viewport=(1280, 800),
                                    timeout_ms=TIMEOUT_MS)
    try:
        page.goto(f"{live_app.base_url}/tasks/{task_id}/")
        page.wait_for_function(JS_SYNCED)
        summary = page.locator("#tests-summary")
        page.click("#run-tests")
        page.wait_for_selector("#tests-summary[data-status=failed]")
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
