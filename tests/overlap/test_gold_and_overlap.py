"""Gold and overlap do not combine: a gold task serves one writer, siblings serve several.

Refused where the two meet: an import line with `gold` and its own overlap, a gold line
the project's overlap would expand, and planting a flaw on an existing sibling.
"""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from oversight.workspace.gold import GoldError, flaw_add
from oversight.workspace.models import GoldFlaw, OverlapGroup, Task
from tests.factories import api_client

URL = reverse("task-bulk-import")
DRAFT = "Paris is the capital of Germany."
FLAWS = [{"start": DRAFT.index("Germany"), "end": len(DRAFT) - 1,
          "description": "wrong country"}]


def post(user, slug, *records):
    body = "".join(json.dumps(r) + "\n" for r in records)
    return api_client(user).generic("POST", f"{URL}?project={slug}", body.encode(),
                                    content_type="application/x-ndjson")


def gold_line(external_id="g1", **fields):
    return {"external_id": external_id, "prompt": "Capital?", "draft": {"text": DRAFT},
            "gold": {"flaws": FLAWS}, **fields}


def errors_of(response):
    assert response.status_code == 400, response.content
    return response.json()["error"]["detail"]["errors"]


def test_a_gold_line_with_its_own_overlap_is_refused_naming_line_and_field(team):
    response = post(team.lead, team.project.slug, gold_line("plain", gold=None),
                    gold_line(overlap=2))
    assert errors_of(response) == [
        "line 2: field 'overlap': a gold task serves one writer, so a line with 'gold' takes "
        "no overlap (got 2); import its copies as separate gold lines"]
    # Every error or nothing: the good line is not imported either.
    assert not Task.objects.filter(external_id="plain").exists()
    assert not OverlapGroup.objects.exists() and not GoldFlaw.objects.exists()


def test_a_gold_line_the_projects_overlap_would_expand_is_refused_until_it_says_1(team):
    team.project.overlap = 2
    team.project.save()
    response = post(team.lead, team.project.slug, gold_line())
    assert errors_of(response) == [
        "line 1: field 'gold': a gold task serves one writer, but the project's overlap (2) "
        "would give this line to 2 writers; add \"overlap\": 1 to the line"]
    assert not GoldFlaw.objects.exists()
    response = post(team.lead, team.project.slug, gold_line(overlap=1),
                    {"external_id": "shared", "prompt": "p", "draft": {"text": DRAFT}})
    assert response.status_code == 201 and response.json()["created"] == 3
    gold = Task.objects.get(external_id="g1")
    assert gold.group is None and gold.gold_flaws.count() == 1
    assert Task.objects.filter(group__external_id="shared").count() == 2


def test_a_plain_gold_line_is_unaffected_by_overlap_1(team):
    response = post(team.lead, team.project.slug, gold_line(overlap=1))
    assert response.status_code == 201, response.content
    assert Task.objects.get(external_id="g1").gold_flaws.count() == 1


def test_the_import_command_refuses_it_too(team, tmp_path, capsys):
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(gold_line(overlap=3)) + "\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_tasks", str(path), "--project", team.project.slug)
    assert "line 1: field 'overlap': a gold task serves one writer" in capsys.readouterr().err
    assert not GoldFlaw.objects.exists()


def sibling(team):
    post(team.lead, team.project.slug,
         {"external_id": "q", "prompt": "p", "draft": {"text": DRAFT}, "overlap": 2})
    return Task.objects.filter(group__external_id="q").order_by("pk").first()


def test_a_flaw_cannot_be_planted_on_an_overlap_sibling(team):
    task = sibling(team)
    with pytest.raises(GoldError, match="sibling in overlap group 'q'"):
        flaw_add(task=task, user=team.lead, start=0, end=5, description="x")
    assert not GoldFlaw.objects.exists()


def test_the_gold_page_of_a_sibling_says_why_and_offers_no_form(team, client):
    task = sibling(team)
    client.force_login(team.lead)
    url = reverse("review-task-gold", args=[task.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="gold-in-group"' in page and 'data-testid="gold-form"' not in page
    assert "overlap siblings cannot be gold" in page
    response = client.post(url, {"start": 0, "end": 5, "description": "x"}, follow=True)
    assert "overlap siblings cannot be gold" in response.content.decode()
    assert not GoldFlaw.objects.exists()
    # A task outside any group still gets the form.
    other = client.get(reverse("review-task-gold", args=[team.task1.pk])).content.decode()
    assert 'data-testid="gold-form"' in other and 'data-testid="gold-in-group"' not in other


def test_the_overlap_setting_says_gold_lines_need_overlap_1(team, client):
    client.force_login(team.lead)
    page = client.get(reverse("overlap-groups", args=[team.project.slug])).content.decode()
    assert "A gold line" in page and "serves one writer" in page
