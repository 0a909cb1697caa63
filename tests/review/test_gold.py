"""Gold tasks end to end: import, mixing into queues, catches after submit, what writers
cannot see, the export's include_gold, trust, and the lead's pages."""

import json

import pytest
from django.urls import reverse

from oversight.review.gold import task_outcomes
from oversight.review.models import GoldOutcome
from oversight.review.trust import writers_trust
from oversight.workspace.gold import mix_gold
from oversight.workspace.models import GoldFlaw, Membership, Task
from tests.api.export_factories import make_trajectory, read_body, read_jsonl
from tests.factories import add_edits, add_member, api_client, make_task, make_user

DRAFT = "Paris is the capital of Germany. Water boils at 50 °C at sea level."
FLAWS = [{"start": DRAFT.index("Germany"), "end": DRAFT.index("Germany") + 7,
          "description": "wrong country"},
         {"start": DRAFT.index("50"), "end": DRAFT.index("50") + 2,
          "description": "wrong temperature"}]
IMPORT = reverse("task-bulk-import")


def post_jsonl(user, slug: str, *records):
    body = "".join(json.dumps(r) + "\n" for r in records)
    return api_client(user).generic("POST", f"{IMPORT}?project={slug}", body.encode(),
                                    content_type="application/x-ndjson")


def gold_task(team, writer=None, draft=DRAFT, flaws=FLAWS):
    task = make_task(team.project, draft_text=draft, assignees=[writer] if writer else [])
    GoldFlaw.objects.bulk_create(GoldFlaw(task=task, **f) for f in flaws)
    return task


def test_import_errors_name_the_line_and_the_field(team):
    response = post_jsonl(
        team.lead, team.project.slug,
        {"external_id": "ok", "prompt": "p", "draft": {"text": DRAFT}, "gold": {"flaws": FLAWS}},
        {"external_id": "g2", "prompt": "p", "draft": {"text": DRAFT},
         "gold": {"flaws": [{"start": 3, "end": 999, "description": "x"}]}},
        {"external_id": "g3", "prompt": "p", "gold": {"flaws": FLAWS}},
        {"external_id": "g4", "prompt": "p", "draft": {"text": DRAFT}, "gold": {"flaws": []}})
    assert response.status_code == 400
    assert response.json()["error"]["detail"]["errors"] == [
        f"line 2: field 'gold.flaws[0].end': 999 is beyond the draft ({len(DRAFT)} characters)",
        "line 3: field 'gold': a gold task needs a draft (its flaws are spans of the draft)",
        "line 4: field 'gold.flaws': must be a non-empty list of flaws"]
    assert not Task.objects.filter(external_id="ok").exists()  # every error or nothing


def test_an_imported_gold_task_keeps_its_flaws_and_nothing_in_its_metadata(team):
    response = post_jsonl(team.lead, team.project.slug,
                          {"external_id": "g1", "prompt": "p", "draft": {"text": DRAFT},
                           "gold": {"flaws": FLAWS}})
    assert response.status_code == 201
    task = Task.objects.get(external_id="g1")
    assert [(f.start, f.end, f.description) for f in task.gold_flaws.all()] == [
        (f["start"], f["end"], f["description"]) for f in FLAWS]
    assert task.metadata == {}


def test_gold_is_mixed_into_each_writers_queue_at_the_projects_rate(team):
    team.project.gold_rate = 0.2
    team.project.save()
    writers = [team.writer1, team.writer2]
    pool = [gold_task(team) for _ in range(6)]
    for writer in writers:  # eight more tasks each, beside the one the team gave them
        for _ in range(8):
            make_task(team.project, assignees=[writer])
    given = mix_gold(project=team.project, seed="s1")
    for writer in writers:
        mine = Task.objects.filter(assignees=writer)
        gold = mine.filter(gold_flaws__isnull=False).distinct().count()
        assert (gold, mine.count()) == (2, 11)  # 2 of 11 ≈ 18 %: a third would be 25 %
    assert sorted(sum(given.values(), [])) == sorted(
        t.pk for t in pool if t.assignees.exists())
    assert Task.objects.filter(pk__in=[t.pk for t in pool], assignees__isnull=True).count() == 2
    # Mixing again gives nothing more; the seed fixes which gold task went where.
    assert mix_gold(project=team.project, seed="s1") == {}
    Task.assignees.through.objects.filter(task__in=pool).delete()
    assert mix_gold(project=team.project, seed="s1") == given


def test_an_import_mixes_the_pool_into_the_writers_it_gave_work(team):
    team.project.gold_rate = 0.5
    team.project.save()
    pooled = gold_task(team)
    response = post_jsonl(team.lead, team.project.slug,
                          {"external_id": "n1", "prompt": "p",
                           "assignees": [team.writer1.username]})
    assert response.status_code == 201
    assert list(pooled.assignees.all()) == [team.writer1]  # 1 gold of 3 tasks


def test_a_writer_cannot_discover_a_gold_task(team, client):
    task = gold_task(team, team.writer1)
    add_edits(task, team.writer1, DRAFT.replace("Germany", "France"))
    writer = api_client(team.writer1)
    assert writer.post(reverse("task-submit", args=[task.pk])).status_code == 201
    answers = [writer.get("/api/tasks/"), writer.get(f"/api/tasks/{task.pk}/"),
               writer.get(f"/api/tasks/{task.pk}/trajectory/"),
               writer.get(f"/api/tasks/{task.pk}/metrics/"),
               writer.get("/api/projects/")]
    for response in answers:
        assert response.status_code == 200
        body = response.content.decode().lower()
        assert "gold" not in body and "wrong country" not in body and "flaw" not in body
    client.force_login(team.writer1)
    home = client.get(reverse("home")).content.decode().lower()
    assert task.external_id in home and "gold" not in home and "flaw" not in home
    assert client.get(reverse("review-task-gold", args=[task.pk])).status_code == 403
    assert client.get(reverse("review-player", args=[task.pk])).status_code == 403


def test_submitting_records_each_flaw_caught_or_missed(team, client):
    task = gold_task(team, team.writer1)
    # Fixes the country, types beside the temperature without touching it.
    add_edits(task, team.writer1, DRAFT.replace("Germany", "France"),
              DRAFT.replace("Germany", "France").replace("at sea", "(!) at sea"))
    response = api_client(team.writer1).post(reverse("task-submit", args=[task.pk]))
    assert response.status_code == 201
    outcome = GoldOutcome.objects.get(task=task)  # stored by the submission itself
    assert [f["span_changed"] for f in outcome.flaws] == [True, False]
    (row,) = task_outcomes(task)
    assert (row["writer"], row["caught"], row["total"]) == (team.writer1.username, 1, 2)
    client.force_login(team.lead)
    player = client.get(reverse("review-player", args=[task.pk])).content.decode()
    assert "1 of 2" in player and "caught" in player and "missed" in player
    writers = client.get(reverse("review-writers", args=[team.project.slug])).content.decode()
    assert f'data-testid="gold-{team.writer1.username}"' in writers and "50% caught" in writers
    queue = client.get(reverse("review-queue", args=[team.project.slug])).content.decode()
    assert f'data-testid="gold-{task.pk}"' in queue


def test_trust_counts_the_catches(team):
    task = gold_task(team, team.writer1)
    add_edits(task, team.writer1, DRAFT.replace("Germany", "France").replace("50", "100"))
    api_client(team.writer1).post(reverse("task-submit", args=[task.pk]))
    trust = writers_trust(team.project)[team.writer1.username]
    assert (trust["caught"], trust["flaws"], trust["verdicts"]) == (2, 2, 0)
    assert trust["mean"] == 3 / 4  # Beta(1 + 2, 1 + 0)


def test_the_export_leaves_gold_out_unless_asked(team):
    plain = make_trajectory(team.project, team.writer1, team.reviewer)
    gold = make_trajectory(team.project, team.writer2, team.reviewer)
    at = gold.draft.text.index("violet")  # the writer replaced it with "blue"
    GoldFlaw.objects.create(task=gold, start=at, end=at + 6, description="planted")
    lead = api_client(team.lead)
    records = read_jsonl(read_body(lead.get("/api/export/")))
    assert [r["task_id"] for r in records] == [plain.pk]
    assert "meta" not in records[0]
    records = read_jsonl(read_body(lead.get("/api/export/", {"include_gold": "1"})))
    assert [r["task_id"] for r in records] == [plain.pk, gold.pk]
    assert "meta" not in records[0]
    meta = records[1]["meta"]["gold"]
    assert meta["total"] == 1 and meta["caught"] == 1  # computed: the export writes nothing
    assert meta["flaws"][0]["description"] == "planted" and meta["flaws"][0]["caught"]
    sft = read_jsonl(read_body(lead.get("/api/export/", {"include_gold": "1",
                                                         "format": "sft"})))
    assert "gold" not in sft[0]["meta"] and sft[1]["meta"]["gold"] == meta
    bad = lead.get("/api/export/", {"include_gold": "maybe"})
    assert bad.status_code == 400 and "include_gold" in bad.json()["error"]["message"]


def test_a_lead_plants_a_flaw_by_its_span_and_sets_the_gold_rate(team, client):
    task = make_task(team.project, draft_text=DRAFT)
    client.force_login(team.lead)
    url = reverse("review-task-gold", args=[task.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="gold-draft"' in page.content.decode()
    response = client.post(url, {"start": FLAWS[0]["start"], "end": FLAWS[0]["end"],
                                 "description": "wrong country"}, follow=True)
    assert "is a gold task" in response.content.decode()
    assert task.gold_flaws.get().description == "wrong country"
    response = client.post(url, {"start": 5, "end": 500, "description": "x"}, follow=True)
    assert "beyond the draft" in response.content.decode() and task.gold_flaws.count() == 1
    rate = reverse("review-gold-rate", args=[team.project.slug])
    client.post(rate, {"gold_rate": "0.25"})
    team.project.refresh_from_db()
    assert team.project.gold_rate == 0.25
    response = client.post(rate, {"gold_rate": "0.9"}, follow=True)
    assert "from 0 to 0.5" in response.content.decode()
    client.force_login(team.reviewer)  # reviewers see gold, leads manage it
    assert client.post(rate, {"gold_rate": "0.1"}).status_code == 403
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Membership.WRITER, Membership.REVIEWER])
def test_gold_links_show_only_to_managers_on_the_home_page(team, client, role):
    task = gold_task(team)
    user = make_user()
    add_member(user, team.project, role)
    client.force_login(user)
    assert reverse("review-task-gold", args=[task.pk]) not in client.get("/").content.decode()
    client.force_login(team.lead)
    assert reverse("review-task-gold", args=[task.pk]) in client.get("/").content.decode()


def test_a_flaw_with_a_planted_test_is_caught_once_that_test_passes_on_the_final(team):
    from oversight.core.trajectory import sha256_text
    from oversight.verifiers.models import VerifierRun

    task = gold_task(team, team.writer1, flaws=[{**FLAWS[0], "test": "test_capital"}])
    fixed = DRAFT.replace("Germany", "France")
    add_edits(task, team.writer1, fixed)
    api_client(team.writer1).post(reverse("task-submit", args=[task.pk]))
    (row,) = task_outcomes(task)
    assert row["flaws"][0]["test_passed"] is None and not row["flaws"][0]["caught"]
    VerifierRun.objects.filter(task=task).delete()  # the submit's queued runs, not run here
    VerifierRun.objects.create(task=task, seq=1, sha256=sha256_text(fixed), text=fixed, spec={},
                               status="failed", tests=[{"name": "test_capital",
                                                        "outcome": "passed"},
                                                       {"name": "test_other",
                                                        "outcome": "failed"}])
    (row,) = task_outcomes(task)
    assert row["flaws"][0]["test_passed"] is True and row["flaws"][0]["caught"]
