"""The review queue fits its container at common widths: no column cut, Claim in sight."""

from __future__ import annotations

import pytest

from tests.live.helpers import open_as

pytestmark = pytest.mark.browser

SUBMIT_SOME = """
from django.contrib.auth import get_user_model
from oversight.traces.services import task_submit
from oversight.workspace.models import Draft, Project, Task
from tests.factories import add_edits
project = Project.objects.get(slug="explain")
writer = get_user_model().objects.get(username="writer1")
ids = []
for n in range(3):
    task = Task.objects.create(project=project, external_id=f"queue-fit-{n}-" + "x" * 30,
                               prompt="A long prompt that would push the first column wide " * 4)
    task.assignees.set([writer])
    Draft.objects.create(task=task, text="Draft text.", model="live-test")
    add_edits(task, writer, "Draft text, edited.", checkpoint=True)
    add_edits(task, writer, "Draft text, edited. " + "Pasted " * 40, kind="input.paste")
    task_submit(task=task, user=writer)
    ids.append(task.pk)
result = ids
"""
JS_FIT = """() => {
  const box = document.querySelector('.table-scroll')
  const claim = document.querySelector('[data-testid^=claim-]').getBoundingClientRect()
  return {table: box.scrollWidth - box.clientWidth,
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          claimRight: claim.right, width: window.innerWidth}
}"""


@pytest.fixture(scope="module")
def submitted(live_app):
    return live_app.query(SUBMIT_SOME)


@pytest.mark.parametrize("width", [1280, 1400, 1920])
def test_the_queue_fits_and_claim_is_in_sight(chromium, live_app, submitted, artifacts_dir,
                                              width):
    context, page, errors = open_as(chromium, live_app, "lead1", viewport=(width, 900))
    try:
        page.goto(f"{live_app.base_url}/review/explain/")
        page.get_by_test_id(f"claim-{submitted[0]}").wait_for()
        fit = page.evaluate(JS_FIT)
        assert fit["table"] <= 0 and fit["page"] <= 0, fit
        assert fit["claimRight"] <= fit["width"], fit
        page.screenshot(path=str(artifacts_dir / f"queue-{width}.png"))
        assert not errors
    finally:
        context.close()
