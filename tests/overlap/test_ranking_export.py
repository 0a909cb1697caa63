"""format=preference: draft-vs-final pairs marked `draft_final`, ranked siblings as `ranking`."""

import pytest
from django.urls import reverse

from oversight.overlap.services import save_ranking
from oversight.workspace.models import Membership, OverlapGroup
from tests.api.export_factories import read_body, read_jsonl
from tests.factories import add_member, api_client, make_task, make_user
from tests.review.traces import Recorder, submit

DRAFT = "Paris is in Spain."
FINALS = [" No: France.", " No: Paris is in France.", " France."]


@pytest.fixture
def ranked(team):
    """Three submitted siblings and a plain task; the reviewer ranks 2 > 1 = 3."""
    team.writer3 = make_user()
    add_member(team.writer3, team.project, Membership.WRITER)
    group = OverlapGroup.objects.create(project=team.project, external_id="paris")
    siblings = []
    for number, (writer, words) in enumerate(zip(
            (team.writer1, team.writer2, team.writer3), FINALS, strict=True), start=1):
        task = make_task(team.project, draft_text=DRAFT, assignees=[writer],
                         external_id=f"paris/{number}", group=group)
        Recorder(task).type(writer, words)
        submit(task, writer)
        siblings.append(task)
    Recorder(team.task1).type(team.writer1, " Plain.")
    submit(team.task1, team.writer1)
    one, two, three = siblings
    save_ranking(group=group, reviewer=team.reviewer, tiers=[[two.pk], [one.pk, three.pk]],
                 reason="Two says it in full.")
    return group, siblings


def export(user, fmt):
    response = api_client(user).get(reverse("export"), {"format": fmt, "status": "any"})
    assert response.status_code == 200, response.content
    return read_jsonl(read_body(response))


def test_preference_export_gains_human_vs_human_pairs(team, ranked):
    group, (one, two, three) = ranked
    records = export(team.lead, "preference")
    by_source = {}
    for record in records:
        by_source.setdefault(record["meta"]["pair_source"], []).append(record)
    assert len(by_source["draft_final"]) == 4  # every final over its draft
    drafts = {r["meta"]["task_id"]: r["rejected"] for r in by_source["draft_final"]}
    assert drafts == {one.pk: DRAFT, two.pk: DRAFT, three.pk: DRAFT, team.task1.pk: "Draft."}
    pairs = {(r["meta"]["task_id"], r["meta"]["rejected_task_id"]): r
             for r in by_source["ranking"]}
    assert set(pairs) == {(two.pk, one.pk), (two.pk, three.pk)}  # the tie gives no pair
    pair = pairs[two.pk, one.pk]
    assert pair["chosen"] == DRAFT + FINALS[1] and pair["rejected"] == DRAFT + FINALS[0]
    assert pair["prompt"] == two.prompt
    assert pair["meta"]["group"] == group.pk
    assert pair["meta"]["writer"] == team.writer2.username
    assert pair["meta"]["rejected_writer"] == team.writer1.username
    assert pair["meta"]["ranked_by"] == team.reviewer.username
    assert pair["meta"]["reason"] == "Two says it in full."
    assert (pair["meta"]["round"], pair["meta"]["rejected_round"],
            pair["meta"]["tiers_apart"]) == (1, 1, 1)
    assert set(pair) == {"prompt", "chosen", "rejected", "meta"}  # still DPO's columns


def test_every_record_names_its_group_or_null(team, ranked):
    group, siblings = ranked
    ids = {t.pk for t in siblings}
    for fmt in ("sft", "critique", "edits", "preference"):
        for record in export(team.lead, fmt):
            expected = group.pk if record["meta"]["task_id"] in ids else None
            assert record["meta"]["group"] == expected, fmt
    trajectories = {r["task_id"]: r for r in export(team.lead, "trajectory")}
    assert trajectories[siblings[0].pk]["group"] == group.pk
    assert trajectories[team.task1.pk]["group"] is None
    record = api_client(team.lead).get(f"/api/tasks/{siblings[0].pk}/trajectory/").json()
    assert record["group"] == group.pk


def test_a_later_round_does_not_change_the_ranked_pair(team, ranked):
    from oversight.review.services import review_submit

    _, (one, two, _) = ranked
    review_submit(task=two, reviewer=team.lead, verdict="request_changes",
                  scores={"serves-the-need": 4, "no-extras": 4, "factual": 4},
                  comment="Shorter, please.")
    two.refresh_from_db()
    Recorder(two).type(team.writer2, " Really.")
    submit(two, team.writer2)
    pair = next(r for r in export(team.lead, "preference")
                if r["meta"]["pair_source"] == "ranking"
                and r["meta"]["rejected_task_id"] == one.pk)
    assert pair["chosen"] == DRAFT + FINALS[1]  # the round-1 final that was ranked
