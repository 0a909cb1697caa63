"""A writer never sees a sibling's text; reviewers see the group, its agreement and rank it."""

import pytest
from django.urls import reverse

from editor.access import admit
from oversight.overlap.models import Ranking
from oversight.overlap.selectors import group_figures
from oversight.workspace.models import Membership, OverlapGroup
from tests.api.export_factories import review
from tests.factories import add_member, api_client, make_task, make_user
from tests.review.traces import Recorder, submit

DRAFT = "The sky is green."


@pytest.fixture
def group(team):
    """Three siblings of one draft: writer1 and writer2 have submitted, writer3 has not."""
    team.writer3 = make_user()
    add_member(team.writer3, team.project, Membership.WRITER)
    group = OverlapGroup.objects.create(project=team.project, external_id="sky")
    team.siblings = []
    for number, (writer, words) in enumerate(
            [(team.writer1, " No: blue."), (team.writer2, " No: it is blue."),
             (team.writer3, " Hmm.")], start=1):
        task = make_task(team.project, draft_text=DRAFT, assignees=[writer],
                         external_id=f"sky/{number}", group=group)
        Recorder(task).type(writer, words)
        if writer is not team.writer3:
            submit(task, writer)
        team.siblings.append(task)
    return group


def test_a_writer_cannot_reach_a_siblings_text_before_submitting(client, team, group):
    own, other, _ = team.siblings[2], team.siblings[0], team.siblings[1]
    writer = api_client(team.writer3)  # has not submitted own yet
    assert writer.get(f"/api/tasks/{own.pk}/").json()["group"] == group.pk
    for url in (f"/api/tasks/{other.pk}/", f"/api/tasks/{other.pk}/trajectory/",
                f"/api/tasks/{other.pk}/text/?seq=0", f"/api/tasks/{other.pk}/notes/",
                f"/api/tasks/{other.pk}/provenance/", f"/api/tasks/{other.pk}/reviews/"):
        assert writer.get(url).status_code == 404, url
    assert writer.get(f"/api/groups/{group.pk}/").status_code == 403
    assert writer.post(f"/api/groups/{group.pk}/ranking/", {"tiers": [[own.pk]],
                       "reason": "x"}, format="json").status_code == 403
    listed = {t["id"] for t in writer.get("/api/tasks/").json()["results"]}
    assert other.pk not in listed and own.pk in listed
    client.force_login(team.writer3)
    assert client.get(reverse("task-editor", args=[other.pk])).status_code == 404
    assert client.get(reverse("overlap-group", args=[group.pk])).status_code == 403
    assert client.get(reverse("review-player", args=[other.pk])).status_code == 404
    # Nor the live document: the editor's room refuses the connection.
    assert admit(team.writer3, b"", str(other.doc_id)).refusal is not None
    assert admit(team.writer3, b"", str(own.doc_id)).refusal is None


def test_the_group_api_gives_siblings_and_agreement_to_a_reviewer(team, group):
    one, two, _ = team.siblings
    review(one, team.reviewer, scores={"a": 1, "b": 2, "c": 3})
    review(two, team.lead, scores={"a": 1, "b": 3, "c": 3})
    body = api_client(team.reviewer).get(f"/api/groups/{group.pk}/").json()
    assert body["external_id"] == "sky" and body["project"] == team.project.slug
    assert [s["task_id"] for s in body["siblings"]] == [t.pk for t in team.siblings]
    assert body["siblings"][0]["final"]["text"] == DRAFT + " No: blue."
    assert body["siblings"][2]["final"] is None
    figures = body["figures"]
    assert (figures["siblings"], figures["submitted"], figures["complete"]) == (3, 2, False)
    [pair] = figures["finals"]["pairs"]
    # " No: blue." vs " No: it is blue.": six characters inserted.
    assert pair["distance"] == 6
    assert pair["normalized"] == round(6 / len(DRAFT + " No: it is blue."), 4)
    # Units a, b, c with scores (1, 1), (2, 3), (3, 3): alpha 7/9 (tests/overlap/test_core).
    assert figures["rubric"]["alpha"] == round(7 / 9, 4)
    assert figures["rubric"]["pairable_units"] == 3 and figures["reviewed"] == 2
    assert figures["tests"] is None  # prose: no verifier


def test_ranking_is_stored_replaced_and_checked(team, group):
    one, two, three = team.siblings
    url = f"/api/groups/{group.pk}/ranking/"
    reviewer = api_client(team.reviewer)
    created = reviewer.post(url, {"tiers": [[two.pk], [one.pk]], "reason": "Fuller."},
                            format="json")
    assert created.status_code == 201, created.content
    assert created.json()["tiers"] == [[two.pk], [one.pk]]
    assert created.json()["rounds"] == {str(one.pk): 1, str(two.pk): 1}
    again = reviewer.post(url, {"tiers": [[one.pk, two.pk]], "reason": "Equal."}, format="json")
    assert again.status_code == 201
    assert Ranking.objects.get().tiers == [[one.pk, two.pk]]  # one ranking per reviewer
    for tiers in ([[one.pk]], [[one.pk], [three.pk]], [[one.pk], [one.pk, two.pk]]):
        refused = reviewer.post(url, {"tiers": tiers, "reason": "x"}, format="json")
        assert refused.status_code == 400, tiers
        assert "each submitted sibling exactly once" in refused.json()["error"]["message"]
    no_reason = reviewer.post(url, {"tiers": [[one.pk], [two.pk]], "reason": " "},
                              format="json")
    assert no_reason.status_code == 400
    assert group_figures(group)["rankings"] == 1


def test_the_ranking_form_posts_order_and_ties(client, team, group):
    one, two, _ = team.siblings
    client.force_login(team.reviewer)
    page = client.get(reverse("overlap-group", args=[group.pk]))
    assert page.status_code == 200
    assert b'id="ranking-list"' in page.content and b"review/ranking.js" in page.content
    assert b"<script>" not in page.content  # CSP: no inline script
    response = client.post(reverse("overlap-group-ranking", args=[group.pk]),
                           {"order": [str(two.pk), str(one.pk)], f"tie-{one.pk}": "on",
                            "reason": "Both fine."})
    assert response.status_code == 302
    assert Ranking.objects.get(reviewer=team.reviewer).tiers == [[two.pk, one.pk]]
    client.post(reverse("overlap-group-ranking", args=[group.pk]),
                {"order": [str(two.pk), str(one.pk)], "reason": "Two is better."})
    assert Ranking.objects.get(reviewer=team.reviewer).tiers == [[two.pk], [one.pk]]


def test_the_groups_page_and_dashboard_show_the_figures(client, team, group):
    one, two, _ = team.siblings
    review(one, team.reviewer, scores={"a": 1, "b": 2, "c": 3})
    review(two, team.lead, scores={"a": 1, "b": 3, "c": 3})
    client.force_login(team.reviewer)
    listing = client.get(reverse("overlap-groups", args=[team.project.slug])).content.decode()
    assert "sky" in listing and "0.78" in listing
    dashboard = client.get(reverse("review-writers", args=[team.project.slug])).content.decode()
    assert 'data-testid="overlap-summary"' in dashboard and "0.78" in dashboard


def test_a_lead_sets_overlap_on_the_groups_page(client, team):
    client.force_login(team.lead)
    response = client.post(reverse("overlap-setting", args=[team.project.slug]),
                           {"overlap": "3"})
    assert response.status_code == 302
    team.project.refresh_from_db()
    assert team.project.overlap == 3
    client.force_login(team.reviewer)
    assert client.post(reverse("overlap-setting", args=[team.project.slug]),
                       {"overlap": "2"}).status_code == 403


def test_code_siblings_agree_on_test_outcomes_of_their_finals(team, group):
    from oversight.verifiers.models import VerifierRun

    one, two, _ = team.siblings
    spec = {"kind": "pytest", "module": "solution.py", "files": {}, "timeout_s": 10}
    type(one).objects.filter(group=group).update(verifier=spec)
    outcomes = {one: {"test_a": "passed", "test_b": "failed"},
                two: {"test_a": "passed", "test_b": "passed"}}
    for task, tests in outcomes.items():
        final = task.submissions.get()
        # A run on other text (the draft) is not the final's and must not count.
        VerifierRun.objects.create(task=task, seq=0, sha256="0" * 64, text="", spec=spec,
                                   status="failed", tests=[
                                       {"name": "test_a", "outcome": "failed"}])
        VerifierRun.objects.create(task=task, seq=final.events, sha256=final.sha256,
                                   text=final.text, spec=spec, status="failed", tests=[
                                       {"name": n, "outcome": o} for n, o in tests.items()])
    figures = group_figures(group)["tests"]
    assert figures["runs"] == 2
    assert figures["pairs"] == [{"a": one.pk, "b": two.pk, "tests": 2, "same": 1,
                                 "agreement": 0.5}]
    assert figures["mean_agreement"] == 0.5
