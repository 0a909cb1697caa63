"""The critique job against a scripted loopback model: good, malformed, partial, slow, failing."""

import pytest

from oversight.judge.models import JudgeTemplate, ModelCritique
from oversight.judge.services import (
    NOT_MANAGER,
    JudgeError,
    JudgeForbidden,
    critiques_on_submit,
    critiques_rerun,
    template_save,
)
from tests.judge.conftest import critique_answer, run_models_queue
from tests.judge_server import answer, no_structured_output, stall, status

pytestmark = pytest.mark.django_db(transaction=True)


def critique(task, target="final") -> ModelCritique:
    return ModelCritique.objects.get(task=task, target=target)


def test_a_submission_queues_a_critique_of_the_final_and_of_the_draft(
        judged_team, submitted_round, judge_server, keys):
    judge_server.script = [answer(critique_answer(keys, [4, 2, 5], quotes=["scatters blue"]))]
    assert run_models_queue() == 2
    final = critique(judged_team.task1)
    assert final.status == ModelCritique.DONE and final.round == 1
    assert [p["key"] for p in final.principles] == keys
    assert [p["score"] for p in final.principles] == [4, 2, 5]
    submitted = submitted_round.text
    [[start, end]] = final.principles[0]["spans"]
    assert submitted[start:end] == "scatters blue"
    assert final.model == "judge-model-1" and final.template_version == 0
    assert final.attempts == 1 and final.latency_ms is not None
    draft = critique(judged_team.task1, "draft")
    assert draft.status == ModelCritique.DONE and draft.principles[0]["spans"] == []
    texts = [r["messages"][0]["content"] for r in judge_server.requests]
    assert any(submitted in t for t in texts) and any("Draft." in t for t in texts)
    assert judge_server.requests[0]["response_format"]["json_schema"]["name"] == "critique"
    assert judge_server.requests[0]["model"] == "default-model"


def test_a_project_without_ai_critique_queues_nothing(team, judge_server):
    from tests.review.traces import careful_work

    submission = careful_work(team.task1, team.writer1)
    critiques_on_submit(task=team.task1, round_=submission.round)
    assert ModelCritique.objects.count() == 0
    assert run_models_queue() == 0


def test_a_malformed_answer_gets_one_repair_request_that_can_fix_it(
        judged_team, submitted_round, judge_server, keys):
    good = answer(critique_answer(keys, [3, 3, 3]))
    judge_server.script = [answer("Sure! The text is quite good overall."), good, good]
    run_models_queue()
    final = critique(judged_team.task1)
    assert final.status == ModelCritique.DONE and final.attempts == 2
    repair = judge_server.requests[1]["messages"]
    assert repair[1] == {"role": "assistant", "content": "Sure! The text is quite good overall."}
    assert "not a JSON object" in repair[2]["content"]


def test_a_partial_answer_still_partial_after_the_repair_is_unavailable_with_the_reason(
        judged_team, submitted_round, judge_server, keys):
    judge_server.script = [answer(critique_answer(keys[:1], [4]))]
    run_models_queue()
    final = critique(judged_team.task1)
    assert final.status == ModelCritique.FAILED and final.attempts == 2
    assert final.error.startswith("Critique unavailable: The model's answer could not be used")
    assert "No critique for principle(s): no-extras, factual" in final.error
    assert final.principles == []


@pytest.mark.parametrize(("reply", "reason"), [
    (status(500, "model 'ghost' not found"), "answered HTTP 500: model 'ghost' not found"),
    (stall(), "timed out after 0.5 s"),
])
def test_a_failing_or_slow_provider_makes_the_critique_unavailable_not_the_submission(
        judged_team, submitted_round, judge_server, reply, reason):
    judge_server.script = [reply]
    run_models_queue()
    final = critique(judged_team.task1)
    assert final.status == ModelCritique.FAILED and reason in final.error
    judged_team.task1.refresh_from_db()
    assert judged_team.task1.status == "submitted"


def test_a_provider_without_structured_output_is_asked_again_without_it(
        judged_team, submitted_round, judge_server, keys):
    judge_server.script = [no_structured_output(), answer(critique_answer(keys, [5, 5, 5]))]
    run_models_queue()
    assert critique(judged_team.task1).status == ModelCritique.DONE
    assert "response_format" in judge_server.requests[0]
    assert "response_format" not in judge_server.requests[1]


def test_a_lead_reruns_an_unavailable_critique_and_it_names_the_new_template(
        judged_team, submitted_round, judge_server, keys):
    judge_server.script = [status(503)]
    run_models_queue()
    assert critique(judged_team.task1).status == ModelCritique.FAILED
    template_save(project=judged_team.project, user=judged_team.lead,
                  body="Critique this for {prompt}:\n{principles}\n---\n{text}\nJSON only.")
    judge_server.script = [answer(critique_answer(keys, [2, 2, 2]))]
    with pytest.raises(JudgeForbidden, match=NOT_MANAGER):
        critiques_rerun(task=judged_team.task1, user=judged_team.reviewer)
    rerun = critiques_rerun(task=judged_team.task1, user=judged_team.lead)
    assert {c.target for c in rerun} == {"draft", "final"}
    assert critique(judged_team.task1).status == ModelCritique.QUEUED
    run_models_queue()
    final = critique(judged_team.task1)
    assert final.status == ModelCritique.DONE and final.template_version == 1
    assert final.requested_by == judged_team.lead
    assert judge_server.requests[-1]["messages"][0]["content"].startswith("Critique this for")


def test_templates_are_versioned_and_checked(judged_team):
    first = template_save(project=judged_team.project, user=judged_team.lead, body="{text}")
    assert first.version == 1
    assert template_save(project=judged_team.project, user=judged_team.lead, body="{text}") is None
    second = template_save(project=judged_team.project, user=judged_team.lead,
                           body="{prompt}{text}")
    assert second.version == 2
    with pytest.raises(JudgeError, match="only the fields"):
        template_save(project=judged_team.project, user=judged_team.lead, body="{score}")
    assert JudgeTemplate.objects.filter(project=judged_team.project).count() == 2


def test_the_draft_is_critiqued_once_per_task_across_rounds(
        judged_team, submitted_round, judge_server, keys):
    judge_server.script = [answer(critique_answer(keys, [3, 3, 3]))]
    run_models_queue()
    critiques_on_submit(task=judged_team.task1, round_=2)
    assert ModelCritique.objects.filter(task=judged_team.task1, target="draft").count() == 1
    assert ModelCritique.objects.filter(task=judged_team.task1, target="final").count() == 2
