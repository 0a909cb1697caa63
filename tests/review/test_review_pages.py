"""The review pages: who may open them, what they show, the thresholds form, the writer's view."""

import json
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from oversight.core.risk import trust_words, writer_trust
from oversight.core.thresholds import BAD_THRESHOLD, DEFAULT_THRESHOLDS, THRESHOLDS
from oversight.review import services, thresholds, views
from oversight.review.metrics import metrics_of
from oversight.review.models import Claim
from oversight.review.plots import trust_trend
from oversight.review.services import review_submit
from oversight.review.trust import writers_trust
from tests.factories import Team
from tests.review.traces import careful_work, pasted_work

SCORES = {"serves-the-need": 4, "no-extras": 5, "factual": 3}


def text(response) -> str:
    """Return the page as text, HTML entities decoded (messages hold apostrophes)."""
    return unescape(response.content.decode())


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def worked(team):
    careful_work(team.task1, team.writer1)
    pasted_work(team.task2, team.writer2)
    return team


def page(team, name: str, user, **kwargs):
    args = {"project_slug": team.project.slug} if name != "review-index" else {}
    args.update(kwargs)
    return client_for(user).get(reverse(name, kwargs=args))


# -- who may open what ----------------------------------------------------------------


def test_writers_are_refused_the_review_index_with_a_reason(worked):
    response = page(worked, "review-index", worked.writer1)
    assert response.status_code == 403
    assert views.NOT_OVERSEER_ANYWHERE in text(response)


@pytest.mark.parametrize("name", ["review-queue", "review-writers"])
def test_writers_get_403_and_outsiders_404_on_project_pages(worked, name):
    refused = page(worked, name, worked.writer1)
    assert refused.status_code == 403
    assert services.NOT_REVIEWER in text(refused)
    assert page(worked, name, worked.outsider).status_code == 404
    assert page(worked, name, Team().reviewer).status_code == 404


def test_the_player_is_for_overseers_only(worked):
    player = reverse("review-player", args=[worked.task1.pk])
    own = client_for(worked.writer1).get(player)
    assert own.status_code == 403 and services.NOT_REVIEWER in text(own)
    assert client_for(worked.writer2).get(player).status_code == 404
    assert client_for(worked.outsider).get(player).status_code == 404
    assert client_for(worked.reviewer).get(player).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(worked):
    response = Client().get(reverse("review-queue", args=[worked.project.slug]))
    assert response.status_code == 302 and "/login/" in response["Location"]


# -- what the pages show --------------------------------------------------------------


def test_the_index_lists_overseen_projects_with_waiting_counts(worked):
    response = page(worked, "review-index", worked.reviewer)
    assert response.status_code == 200
    assert [r["waiting"] for r in response.context["projects"]] == [2]
    assert reverse("review-queue", args=[worked.project.slug]) in text(response)


def test_each_flag_shows_its_reason_in_numbers_and_links_to_its_moments(worked):
    metrics = metrics_of(worked.task2)
    reason = metrics["flag_reasons"]["paste_heavy"]
    assert "inserted characters pasted" in reason
    seq = metrics["flag_moments"]["paste_heavy"][0]
    player = reverse("review-player", args=[worked.task2.pk])
    queue = text(page(worked, "review-queue", worked.reviewer))
    assert reason in queue and f'href="{player}#seq={seq}"' in queue
    shown = text(client_for(worked.reviewer).get(player))
    assert reason in shown and f'href="#seq={seq}"' in shown  # the player seeks in place


def test_the_queue_shows_rows_flags_and_filters(worked):
    response = page(worked, "review-queue", worked.reviewer)
    html = text(response)
    assert response.status_code == 200
    assert worked.task1.external_id in html and worked.task2.external_id in html
    assert 'class="flag flag-paste_heavy"' in html
    assert 'data-testid="thresholds"' not in html  # reviewers do not get the form
    query = f"?writer={worked.writer2.username}&sort=size&dir=desc"
    filtered = client_for(worked.lead).get(reverse("review-queue", args=[worked.project.slug])
                                           + query)
    assert [r["task"] for r in filtered.context["rows"]] == [worked.task2]
    assert 'data-testid="thresholds"' in text(filtered)


def test_the_thresholds_form_has_one_field_per_row_of_the_core_table(worked):
    html = text(page(worked, "review-queue", worked.lead))
    form = html.split('data-testid="thresholds"')[1].split("</form>")[0]
    assert set(re.findall(r'<input type="number" name="(\w+)"', form)) == set(THRESHOLDS)
    for key, spec in THRESHOLDS.items():
        assert f"{key} · {spec.unit} · default {spec.default}" in form


def test_the_player_page_carries_its_config_rubric_and_signals(worked):
    response = client_for(worked.lead).get(reverse("review-player", args=[worked.task2.pk]))
    html = text(response)
    config = response.context["config"]
    assert config["taskId"] == worked.task2.pk and config["canReview"] is True
    assert set(config["colours"]) == {worked.writer2.username, worked.lead.username}
    assert 'id="review-config"' in html and "review/player.js" in html
    assert 'name="score-factual"' in html and 'class="flag flag-paste_heavy"' in html
    assert response.context["metrics"]["paste_share"] == 1.0


def test_the_writer_dashboard_draws_svg_plots(worked):
    review_submit(task=worked.task1, reviewer=worked.lead, verdict="approve", scores=SCORES)
    response = page(worked, "review-writers", worked.lead)
    html = text(response)
    assert response.status_code == 200
    assert html.count("<svg") >= 2 + 3 * 2  # two charts, then bars per writer row
    assert [r["writer"] for r in response.context["rows"]][0] == worked.writer2.username
    assert "<script" not in html.split("<main")[1]  # plots need no JavaScript


# -- thresholds -----------------------------------------------------------------------


def thresholds_url(team):
    return reverse("review-thresholds", args=[team.project.slug])


def test_a_lead_saves_thresholds_from_the_queue_page(worked):
    response = client_for(worked.lead).post(thresholds_url(worked), {"paste_heavy_share": "1"},
                                            follow=True)
    assert response.status_code == 200
    assert views.THRESHOLDS_SAVED in text(response)
    worked.project.refresh_from_db()
    assert worked.project.thresholds()["paste_heavy_share"] == 1.0
    assert all("paste_heavy" not in r["flags"] for r in response.context["rows"])


def test_a_reviewer_cannot_change_thresholds(worked):
    response = client_for(worked.reviewer).post(thresholds_url(worked),
                                                {"paste_heavy_share": "1"})
    assert response.status_code == 403
    assert thresholds.NOT_MANAGER in text(response)
    worked.project.refresh_from_db()
    assert worked.project.thresholds() == DEFAULT_THRESHOLDS


def test_writers_and_outsiders_cannot_change_thresholds(worked):
    assert client_for(worked.writer1).post(thresholds_url(worked), {}).status_code == 403
    assert client_for(worked.outsider).post(thresholds_url(worked), {}).status_code == 404


def test_a_bad_threshold_is_reported_and_nothing_changes(worked):
    response = client_for(worked.lead).post(thresholds_url(worked),
                                            {"paste_heavy_share": "2"}, follow=True)
    message = BAD_THRESHOLD.format(key="paste_heavy_share", low=0.0, high=1.0)
    assert message in text(response)
    worked.project.refresh_from_db()
    assert worked.project.signal_thresholds == {}


# -- claims from the queue ------------------------------------------------------------


def test_claim_and_release_from_the_queue(worked):
    client = client_for(worked.reviewer)
    claim_url = reverse("review-claim", args=[worked.task1.pk])
    response = client.post(claim_url, {"next": "/review/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/review/"
    assert Claim.objects.get(task=worked.task1).reviewer == worked.reviewer
    taken = client_for(worked.lead).post(claim_url, follow=True)
    assert services.CLAIMED_BY_OTHER.format(user=worked.reviewer.username) in text(taken)
    client.post(claim_url, {"action": "release", "next": "https://evil.example/"})
    assert not Claim.objects.exists()
    assert client_for(worked.writer1).post(claim_url).status_code == 403


# -- the writer's side ----------------------------------------------------------------


def test_the_writer_sees_the_verdict_and_anchored_comments_on_their_task(worked):
    final = worked.task1.submissions.get().text
    at = final.index("blue light")
    review_submit(task=worked.task1, reviewer=worked.lead, verdict="request_changes",
                  scores=SCORES, comment="Say why it is not violet.",
                  anchored_comments=[{"start": at, "end": at + 10, "quote": "blue light",
                                      "body": "Which wavelengths?"}])
    writer = client_for(worked.writer1)
    task_page = text(writer.get(reverse("task-editor", args=[worked.task1.pk])))
    assert 'data-testid="task-reviews"' in task_page
    assert "Request changes" in task_page and "Say why it is not violet." in task_page
    assert "Which wavelengths?" in task_page and "blue light" in task_page
    home = text(writer.get(reverse("home")))
    assert f'data-testid="verdict-{worked.task1.pk}"' in home


def test_the_review_link_shows_only_to_overseers(worked):
    link = f'href="{reverse("review-index")}"'
    assert link in text(client_for(worked.reviewer).get(reverse("home")))
    assert link not in text(client_for(worked.writer1).get(reverse("home")))


def test_player_config_is_valid_json_in_the_page(worked):
    html = text(client_for(worked.reviewer).get(
        reverse("review-player", args=[worked.task1.pk])))
    blob = html.split('id="review-config" type="application/json">')[1].split("</script>")[0]
    assert json.loads(blob)["rubric"][0]["key"] == "serves-the-need"


def test_riskiest_first_puts_the_flagged_task_on_top_and_says_why(worked):
    url = reverse("review-queue", args=[worked.project.slug]) + "?sort=risk&dir=desc"
    response = client_for(worked.reviewer).get(url)
    rows = response.context["rows"]
    assert [r["task"] for r in rows] == [worked.task2, worked.task1]
    assert rows[0]["risk"] > rows[1]["risk"]
    assert rows[0]["risk_why"][0].endswith(f"(+{rows[0]['risk'] - 0.5:.0f})")  # the flags
    assert "writer has no verdicts yet (+0.5)" in rows[1]["risk_why"]
    html = text(response)
    assert rows[0]["risk_why"][0] in html and 'data-testid="riskiest-first"' in html


def test_a_writers_verdicts_move_their_trust_into_the_risk(worked):
    services.review_submit(task=worked.task1, reviewer=worked.reviewer, verdict="approve",
                           scores={k: 4 for k in worked.project.principle_keys()})
    trust = writers_trust(worked.project)
    assert trust[worked.writer1.username]["verdicts"] == 1
    assert trust[worked.writer1.username]["mean"] == pytest.approx(2 / 3)
    assert worked.writer2.username not in trust
    page_html = text(page(worked, "review-writers", worked.lead))
    assert f'data-testid="trust-{worked.writer1.username}">67%' in page_html
    assert "Trust by week: now 67% (" in page_html  # the trend's last point
    url = reverse("review-writers", args=[worked.project.slug]) + "?sort=trust"
    rows = client_for(worked.lead).get(url).context["rows"]
    assert [r["writer"] for r in rows] == [worked.writer1.username, worked.writer2.username]


def test_the_trust_trend_is_labelled_in_the_risk_lines_words():
    weeks = [writer_trust(1, 1), writer_trust(3, 1, caught=0, missed=4)]
    assert f"Trust by week: now {trust_words(weeks[-1])}" in trust_trend(weeks)
    assert "0/4 planted flaws caught" in trust_trend(weeks)
