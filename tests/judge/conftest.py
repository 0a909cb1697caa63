import json

import pytest

from oversight.jobs import run_pending_jobs
from tests.judge_server import judge_server  # noqa: F401  (fixture)
from tests.review.traces import careful_work

DRAFT = "Draft."


def critique_answer(keys, scores, critique="Concrete critique.", quotes=()):
    return json.dumps({"principles": [
        {"key": k, "score": s, "critique": f"{critique} ({k})", "quotes": list(quotes)}
        for k, s in zip(keys, scores, strict=True)]})


@pytest.fixture
def keys(team):
    return team.project.principle_keys()


@pytest.fixture
def judged_team(team):
    team.project.ai_critique = True
    team.project.save()
    return team


@pytest.fixture
def submitted_round(judged_team):
    """writer1's task, typed and submitted, with its critiques queued as the API would."""
    from oversight.judge.services import critiques_on_submit

    submission = careful_work(judged_team.task1, judged_team.writer1)
    critiques_on_submit(task=judged_team.task1, round_=submission.round)
    return submission


def run_models_queue() -> int:
    return run_pending_jobs(queues=("models",))
