"""The judge over HTTP: critiques, assessments in a verdict, agreement, settings, permissions."""

import pytest

from oversight.judge.models import JudgeTemplate
from oversight.review.models import Review
from tests.factories import api_client
from tests.judge.conftest import critique_answer, run_models_queue
from tests.judge_server import answer
from tests.review.traces import careful_work

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def critiqued(judged_team, submitted_round, judge_server, keys):
    """writer1's submitted round with the model's final critique scored 4, 2, 5."""
    judge_server.script = [answer(critique_answer(keys, [4, 2, 5], quotes=["scatters"]))]
    run_models_queue()
    return judged_team


def verdict(keys, scores, assessments=None, verdict="approve"):
    body = {"verdict": verdict, "scores": dict(zip(keys, scores, strict=True))}
    if assessments is not None:
        body["critique_assessments"] = assessments
    return body


def test_overseers_read_the_critiques_and_writers_may_not(critiqued, keys):
    url = f"/api/tasks/{critiqued.task1.pk}/critiques/"
    body = api_client(critiqued.reviewer).get(url).json()
    final = next(c for c in body if c["target"] == "final")
    assert final["status"] == "done" and [p["score"] for p in final["principles"]] == [4, 2, 5]
    assert final["principles"][0]["quotes"] == ["scatters"]
    assert api_client(critiqued.writer1).get(url).status_code == 403
    assert api_client(critiqued.outsider).get(url).status_code == 404


def test_a_reviewer_adopts_one_score_and_disagrees_with_another(critiqued, keys):
    assessments = {keys[0]: {"adopted": True},
                   keys[1]: {"assessment": "wrong", "reason": "The final does answer it."}}
    response = api_client(critiqued.reviewer).post(
        f"/api/tasks/{critiqued.task1.pk}/reviews/", verdict(keys, [4, 5, 5], assessments),
        format="json")
    assert response.status_code == 201, response.content
    stored = Review.objects.get().critique_assessments
    assert stored[keys[0]] == {"assessment": "agree", "reason": "", "adopted": True}
    assert stored[keys[1]] == {"assessment": "wrong", "reason": "The final does answer it.",
                               "adopted": False}
    assert keys[2] not in stored  # not assessed: nothing filled in for the reviewer


@pytest.mark.parametrize(("assessments", "message"), [
    ({"need": {"adopted": True}}, "Unknown rubric principle 'need'"),
    ({"serves-the-need": {"adopted": True}}, "adopted the model's score for 'serves-the-need' (4)"),
    ({"no-extras": {"assessment": "meh"}}, "Unknown assessment 'meh'"),
    ({"no-extras": {"assessment": "agree", "extra": 1}}, "must be an object"),
    ({"no-extras": {"reason": "x" * 2001}}, "at most 2000 characters"),
])
def test_bad_assessments_are_refused_and_nothing_is_stored(critiqued, keys, assessments,
                                                           message):
    response = api_client(critiqued.reviewer).post(
        f"/api/tasks/{critiqued.task1.pk}/reviews/", verdict(keys, [3, 3, 3], assessments),
        format="json")
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert not Review.objects.exists()


def test_assessing_a_round_the_model_did_not_critique_is_refused(team, keys):
    careful_work(team.task1, team.writer1)
    response = api_client(team.reviewer).post(
        f"/api/tasks/{team.task1.pk}/reviews/",
        verdict(keys, [3, 3, 3], {keys[0]: {"assessment": "agree"}}), format="json")
    assert response.status_code == 400
    assert "no model critique" in response.json()["error"]["message"]


def test_agreement_is_served_per_principle_from_the_stored_verdicts(critiqued, keys):
    assessments = {keys[0]: {"adopted": True}, keys[1]: {"assessment": "partly"},
                   keys[2]: {"assessment": "agree"}}
    api_client(critiqued.reviewer).post(f"/api/tasks/{critiqued.task1.pk}/reviews/",
                                        verdict(keys, [4, 3, 5], assessments), format="json")
    url = f"/api/projects/{critiqued.project.slug}/judge-agreement/"
    body = api_client(critiqued.lead).get(url).json()
    assert body["overall"]["pairs"] == 3 and body["overall"]["assessed"] == 3
    assert body["overall"]["agree_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert body["overall"]["exact_score_rate"] == pytest.approx(2 / 3, abs=1e-4)
    need = body["principles"][1]
    assert need["key"] == keys[1] and need["pairs"] == 1 and need["mean_abs_difference"] == 1
    assert body["over_time"][0]["pairs"] == 3
    assert api_client(critiqued.writer1).get(url).status_code == 403


def test_a_lead_switches_ai_critique_and_versions_the_template(team):
    url = f"/api/projects/{team.project.slug}/"
    assert api_client(team.reviewer).patch(url, {"ai_critique": True},
                                           format="json").status_code == 403
    response = api_client(team.lead).patch(
        url, {"ai_critique": True, "judge_model": "qwen2.5-7b",
              "judge_template": "Review {text} for {prompt} on {principles}."}, format="json")
    assert response.status_code == 200
    assert response.json()["ai_critique"] is True and response.json()["judge_model"] == "qwen2.5-7b"
    assert JudgeTemplate.objects.get(project=team.project).version == 1
    bad = api_client(team.lead).patch(url, {"ai_critique": False, "judge_template": "{oops}"},
                                      format="json")
    assert bad.status_code == 400 and "only the fields" in bad.json()["error"]["message"]
    team.project.refresh_from_db()
    assert team.project.ai_critique is True  # the refused request changed nothing


def test_only_leads_rerun_critiques(critiqued):
    url = f"/api/tasks/{critiqued.task1.pk}/critiques/rerun/"
    assert api_client(critiqued.reviewer).post(url).status_code == 403
    response = api_client(critiqued.lead).post(url)
    assert response.status_code == 202
    assert {c["status"] for c in response.json()} == {"queued"}


def test_submitting_through_the_api_queues_the_critiques_and_a_provider_outage_blocks_nothing(
        judged_team, judge_server):
    from oversight.judge.models import ModelCritique
    from tests.judge_server import status as http_status
    from tests.review.traces import Recorder, note

    Recorder(judged_team.task1).type(judged_team.writer1, " More words here.", after_ms=1500)
    note(judged_team.task1, judged_team.writer1, "More")
    judge_server.script = [http_status(502, "bad gateway")]
    response = api_client(judged_team.writer1).post(f"/api/tasks/{judged_team.task1.pk}/submit/")
    assert response.status_code == 201
    assert set(ModelCritique.objects.values_list("target", "status")) == {
        ("final", "queued"), ("draft", "queued")}
    run_models_queue()
    final = ModelCritique.objects.get(target="final")
    assert final.status == "failed" and "HTTP 502: bad gateway" in final.error
