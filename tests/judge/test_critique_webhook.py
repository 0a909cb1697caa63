"""A finished critique tells the training pipeline: the `critique.completed` webhook."""

import pytest

from oversight.webhooks.events import CRITIQUE_COMPLETED, EVENTS
from oversight.webhooks.services import webhook_create
from tests.judge.conftest import critique_answer, run_models_queue
from tests.judge_server import answer, status
from tests.webhooks.conftest import receiver, webhook_settings  # noqa: F401  (fixtures)
from tests.webhooks.helpers import drain

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_finished_critique_is_announced_with_its_scores_or_its_error(
        judged_team, receiver, webhook_settings, judge_server, keys):  # noqa: F811
    webhook_create(project=judged_team.project, user=judged_team.lead, url=receiver.url(),
                   events=[CRITIQUE_COMPLETED], secret=receiver.secret)
    from oversight.judge.services import critiques_on_submit
    from tests.review.traces import careful_work

    careful_work(judged_team.task1, judged_team.writer1)
    critiques_on_submit(task=judged_team.task1, round_=1)
    judge_server.script = [answer(critique_answer(keys, [4, 2, 5])), status(500, "down")]
    run_models_queue()
    drain()
    bodies = [r["json"] for r in receiver.requests]
    assert [b["event"] for b in bodies] == [CRITIQUE_COMPLETED, CRITIQUE_COMPLETED]
    final, draft = (b["data"] for b in bodies)
    assert final["target"] == "final" and final["outcome"] == "done"
    assert final["status"] == "submitted"  # the task's
    assert final["scores"] == dict(zip(keys, [4, 2, 5], strict=True))
    assert draft["target"] == "draft" and draft["outcome"] == "failed" and "down" in draft["error"]
    assert bodies[0]["task_id"] == judged_team.task1.pk and CRITIQUE_COMPLETED in EVENTS
