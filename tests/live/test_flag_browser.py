"""Flags in a real Chromium: the queue shows each flag's reason, its moment opens the player there.

A writer's recorded session types a sentence and pastes an outside answer (the
server recomputes the signals); the lead sees `external_paste` in the queue with its
reason, follows the moment link and lands in the player at the paste's event.
Screenshots of the queue and the player at 1280x800 and 1920x1080 go to test-artifacts/.
"""

from __future__ import annotations

import pytest

from tests.live.helpers import create_task, open_as

pytestmark = pytest.mark.browser

# writer2: the package's other browser tests count writer1's verdicts on the shared server.
WRITER = "writer2"
ANSWER = ("Rayleigh scattering makes shorter wavelengths scatter far more strongly, so the "
          "whole sky glows blue while the low sun looks red through the long path of air. ")


def recorded_paste_in(server, task_id: int) -> dict:
    """Record typing then a pasted outside answer as WRITER, submit; return the metrics."""
    return server.query(f"""
WRITER = {WRITER!r}
from django.contrib.auth import get_user_model
from oversight.review.metrics import metrics_of
from oversight.workspace.models import Task
from tests.review.traces import Recorder, submit
task = Task.objects.get(pk={task_id})
writer = get_user_model().objects.get(username=WRITER)
Recorder(task).type(writer, " Why:", after_ms=400).paste(writer, {ANSWER!r})
submit(task, writer)
result = metrics_of(task)
""")


def test_a_lead_follows_a_flags_moment_into_the_player(live_app, chromium, artifacts_dir):
    task = create_task(live_app, "The sky is blue because the air is blue.", assignees=(WRITER,))
    metrics = recorded_paste_in(live_app, task["id"])
    assert "external_paste" in metrics["flags"]
    seq = metrics["flag_moments"]["external_paste"][0]
    context, page, errors = open_as(chromium, live_app, "lead1", viewport=(1280, 800))
    try:
        page.goto(f"{live_app.base_url}/review/explain/")
        row = page.locator(f'tr[data-task="{task["id"]}"]')
        item = row.locator('[data-flag="external_paste"]')
        assert metrics["flag_reasons"]["external_paste"] in item.inner_text()
        page.screenshot(path=str(artifacts_dir / "flags-queue-1280.png"), full_page=True)
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.screenshot(path=str(artifacts_dir / "flags-queue-1920.png"), full_page=True)
        page.click('[data-testid="thresholds"] summary')  # the lead's settings form
        assert page.locator('input[name="synthetic_max_dispersion"]').input_value() == "2.6"
        page.screenshot(path=str(artifacts_dir / "flags-thresholds-1920.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=str(artifacts_dir / "flags-thresholds-1280.png"), full_page=True)
        item.locator(f'a[data-seq="{seq}"]').click()
        page.wait_for_function("() => document.getElementById('player').dataset.ready")
        page.wait_for_function(f"() => window.oversightPlayer.seq === {seq}")
        assert page.locator('[data-testid="flags"] [data-flag="external_paste"]').is_visible()
        page.screenshot(path=str(artifacts_dir / "flags-player-1920.png"), full_page=False)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=str(artifacts_dir / "flags-player-1280.png"), full_page=False)
        # Back to the start, then the player's own moment link seeks in place.
        page.keyboard.press("Home")
        page.wait_for_function("() => window.oversightPlayer.seq === 0")
        page.locator(f'[data-testid="flags"] [data-flag="external_paste"] a[data-seq="{seq}"]'
                     ).click()
        page.wait_for_function(f"() => window.oversightPlayer.seq === {seq}")
        # A verdict on the writer's work shows as their trust on the writers' dashboard.
        live_app.query(f"""
from django.contrib.auth import get_user_model
from oversight.review.services import review_submit
from oversight.workspace.models import Task
task = Task.objects.get(pk={task["id"]})
lead = get_user_model().objects.get(username="lead1")
review_submit(task=task, reviewer=lead, verdict="reject",
              scores={{k: 2 for k in task.project.principle_keys()}})
result = True
""")
        page.goto(f"{live_app.base_url}/review/explain/writers/?sort=trust")
        assert "Trust by week" in page.locator(f'[data-testid="trust-{WRITER}"]').inner_html()
        page.screenshot(path=str(artifacts_dir / "trust-writers-1280.png"), full_page=True)
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.screenshot(path=str(artifacts_dir / "trust-writers-1920.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
