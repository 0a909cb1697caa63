"""The model judge end to end: a real worker process asks a loopback model for the critique,
a reviewer in Chromium adopts one score and disagrees with another, the export carries both."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.judge_server import JudgeServer, answer
from tests.live.helpers import create_task, open_as
from tests.loopback import serving

pytestmark = pytest.mark.browser

DRAFT = "Tides happen because the Moon pulls the ocean.\n\nThey come twice a day."
KEYS = ["serves-the-need", "factual", "calibrated", "no-extras", "plain-language"]


def critique(scores, quote=None):
    return json.dumps({"principles": [
        {"key": k, "score": s, "critique": f"On {k}: concrete words.",
         "quotes": [quote] if quote and i == 0 else []}
        for i, (k, s) in enumerate(zip(KEYS, scores, strict=True))]})


@pytest.fixture
def judge(live_app):
    server = JudgeServer()
    with serving(server):
        yield server


def submitted_task(live_app) -> int:
    task = create_task(live_app, DRAFT, assignees=("writer1",))
    live_app.shell(f"""
from django.contrib.auth import get_user_model
from oversight.judge.services import critiques_on_submit
from oversight.workspace.models import Task
from tests.review.traces import Recorder, submit
task = Task.objects.select_related("project").get(pk={task["id"]})
task.project.ai_critique = True
task.project.save()
writer = get_user_model().objects.get(username="writer1")
Recorder(task).type(writer, " The Sun pulls too, less strongly.", after_ms=900)
submission = submit(task, writer)
critiques_on_submit(task=task, round_=submission.round)
""")
    return task["id"]


def run_worker(live_app, judge) -> None:
    """Run the queued model jobs in a real `db_worker` process pointed at the loopback model."""
    saved = dict(live_app.env)
    live_app.env.update({"DRAFT_PROVIDER_BASE_URL": judge.base_url,
                         "DRAFT_PROVIDER_MODEL": "judge-default", "DRAFT_PROVIDER_TIMEOUT": "5"})
    try:
        live_app.manage("db_worker", "--batch", "--queue-name", "models", "--no-startup-delay",
                        "--no-reload", "--interval", "0")
    finally:
        live_app.env.clear()
        live_app.env.update(saved)


def test_a_reviewer_adopts_one_model_score_disagrees_with_another_and_the_export_has_both(
        live_app, chromium, judge, artifacts_dir):
    task_id = submitted_task(live_app)
    judge.script = [answer(critique([4, 2, 5, 4, 4], quote="The Sun pulls too")),
                    answer(critique([2, 2, 3, 3, 3]))]
    run_worker(live_app, judge)
    assert len(judge.requests) == 2

    context, page, errors = open_as(chromium, live_app, "reviewer1")
    try:
        page.goto(f"{live_app.base_url}/review/tasks/{task_id}/")
        page.click("#claim-button")
        page.get_by_text("Claimed by").wait_for()
        need = page.get_by_test_id(f"model-critique-{KEYS[0]}")
        assert "MODEL scores it 4/5" in need.inner_text()  # labelled as the model's
        assert "the draft: 2 → this final: 4" in need.inner_text()
        # Nothing is chosen for the reviewer until they act.
        assert page.locator("#verdict-form input[type=radio]:checked").count() == 0
        page.get_by_test_id(f"adopt-{KEYS[0]}").click()
        assert page.locator(f"input[name=score-{KEYS[0]}][value='4']").is_checked()
        page.locator(f"input[name=score-{KEYS[1]}][value='5']").check()
        page.get_by_test_id(f"assess-{KEYS[1]}").select_option("wrong")
        page.fill(f"input[name=assess-reason-{KEYS[1]}]", "Every claim holds.")
        for key in KEYS[2:]:
            page.locator(f"input[name=score-{key}][value='4']").check()
        page.locator(".quote-link").first.click()
        assert page.evaluate("() => CSS.highlights.get('model-quote-focus').size") == 1
        page.screenshot(path=str(artifacts_dir / "judge-review.png"), full_page=True)
        page.check("input[name=verdict][value=approve]")
        page.get_by_test_id("submit-review").click()
        page.get_by_test_id("review-history").get_by_text("Approve").first.wait_for()
        assert errors == []
    finally:
        context.close()

    token = live_app.api_token("lead1")
    request = urllib.request.Request(
        f"{live_app.base_url}/api/export/?project=explain&format=judgement",
        headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = [json.loads(line) for line in response.read().decode().splitlines()]
    mine = {r["principle"]["key"]: r for r in rows if r["meta"]["task_id"] == task_id}
    assert set(mine) == set(KEYS)
    assert mine[KEYS[0]]["human"]["adopted"] is True and mine[KEYS[0]]["human"]["score"] == 4
    assert mine[KEYS[0]]["model"]["score"] == 4
    assert mine[KEYS[1]]["human"] == {"score": 5, "assessment": "wrong", "adopted": False,
                                      "reason": "Every claim holds.", "reviewer": "reviewer1"}
    assert mine[KEYS[1]]["model"]["score"] == 2 and mine[KEYS[1]]["meta"]["draft_model_score"] == 2
