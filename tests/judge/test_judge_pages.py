"""The judge's pages: the critique beside the verdict form, the agreement page, queue priority."""

import pytest
from django.urls import reverse

from oversight.judge.models import JudgeTemplate
from tests.factories import make_task
from tests.judge.conftest import critique_answer, run_models_queue
from tests.judge_server import answer, status
from tests.review.traces import careful_work

pytestmark = pytest.mark.django_db(transaction=True)


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_player_shows_the_models_critique_labelled_per_principle(
        client, judged_team, submitted_round, judge_server, keys):
    judge_server.script = [answer(critique_answer(keys, [4, 2, 5], quotes=["scatters"])),
                           answer(critique_answer(keys, [1, 1, 3]))]
    run_models_queue()
    html = page(client, judged_team.reviewer,
                reverse("review-player", args=[judged_team.task1.pk])).content.decode()
    assert 'data-testid="model-critique-serves-the-need"' in html
    assert "Adopt the model's score (4)" in html
    assert "the draft: 1 → this final: 4" in html
    assert "Nothing is filled in for you" in html
    # No score is pre-selected: the human verdict stays the human's.
    assert "checked" not in html.split('id="verdict-form"')[1].split("</form>")[0]


def test_an_unavailable_critique_says_why_and_offers_leads_a_rerun(
        client, judged_team, submitted_round, judge_server):
    judge_server.script = [status(500, "model 'ghost' not found")]
    run_models_queue()
    url = reverse("review-player", args=[judged_team.task1.pk])
    lead_html = page(client, judged_team.lead, url).content.decode()
    assert "Critique unavailable" in lead_html and "model &#x27;ghost&#x27; not found" in lead_html
    assert 'id="critique-rerun"' in lead_html
    assert 'id="critique-rerun"' not in page(client, judged_team.reviewer, url).content.decode()


def test_the_judge_page_is_for_overseers_and_its_settings_for_leads(client, team):
    url = reverse("review-judge", args=[team.project.slug])
    assert page(client, team.writer1, url).status_code == 403
    reviewer_html = page(client, team.reviewer, url).content.decode()
    assert "No reviewed round has a model critique yet" in reviewer_html
    assert 'data-testid="judge-settings"' not in reviewer_html
    settings_url = reverse("review-judge-settings", args=[team.project.slug])
    client.force_login(team.reviewer)
    assert client.post(settings_url, {"ai_critique": "on"}).status_code == 403
    client.force_login(team.lead)
    response = client.post(settings_url, {"ai_critique": "on", "judge_model": "qwen2.5",
                                          "template": "Judge {text} on {principles}."})
    assert response.status_code == 302
    team.project.refresh_from_db()
    assert team.project.ai_critique and team.project.judge_model == "qwen2.5"
    assert JudgeTemplate.objects.get(project=team.project).version == 1
    client.post(settings_url, {"template": "{broken"})
    team.project.refresh_from_db()
    assert team.project.ai_critique  # a refused template changes nothing


def test_the_queue_puts_the_rounds_the_model_doubts_first(
        client, judged_team, judge_server, keys):
    from oversight.judge.services import critiques_on_submit

    doubted = make_task(judged_team.project, assignees=[judged_team.writer2])
    for task, writer in ((judged_team.task1, judged_team.writer1), (doubted, judged_team.writer2)):
        careful_work(task, writer)
        critiques_on_submit(task=task, round_=1)
    judge_server.script = [answer(critique_answer(keys, [5, 5, 5])),
                           answer(critique_answer(keys, [5, 5, 5])),
                           answer(critique_answer(keys, [1, 2, 1])),
                           answer(critique_answer(keys, [1, 2, 1]))]
    run_models_queue()
    url = reverse("review-queue", args=[judged_team.project.slug]) + "?sort=doubt&dir=desc"
    html = page(client, judged_team.reviewer, url).content.decode()
    assert html.index(f'data-task="{doubted.pk}"') < html.index(
        f'data-task="{judged_team.task1.pk}"')
    assert "1.3/5" in html
