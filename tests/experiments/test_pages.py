"""The experiment pages: a lead starts one from the form, the page shows it, a lead stops it."""

import pytest
from django.urls import reverse

from oversight.experiments.demo import seed_demo_experiment
from oversight.experiments.models import Experiment
from oversight.workspace.models import Membership
from tests.experiments.helpers import lead_of
from tests.factories import add_member, make_project, make_user

FORM = {"name": "Notes rule", "hypothesis": "Requiring notes makes reasons visible.",
        "unit": "writer", "variant-0-name": "Free", "variant-1-name": "Noted",
        "variant-1-notes_per_changed_chars": "200", "variant-1-model_help": "critique",
        "variant-1-require_green_tests": "yes", "variant-1-draft_temperature": "0.3"}


@pytest.mark.django_db
def test_a_lead_starts_an_experiment_from_the_form_and_stops_it(client):
    project = make_project(slug="paged")
    lead = lead_of(project)
    client.force_login(lead)
    response = client.post(reverse("experiments", args=["paged"]), FORM)
    experiment = Experiment.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == reverse("experiment", args=["paged", experiment.pk])
    assert (experiment.unit, experiment.is_running) == ("writer", True)
    assert [(v.name, v.settings) for v in experiment.variants.all()] == [
        ("Free", {}), ("Noted", {"notes_per_changed_chars": 200, "model_help": "critique",
                                 "require_green_tests": True, "draft_temperature": 0.3})]
    page = client.get(response["Location"]).content.decode()
    assert "Requiring notes makes reasons visible." in page and "Stop and freeze" in page
    # Nothing submitted yet: one sentence instead of ten empty figures.
    assert 'data-testid="no-submissions"' in page and "data-metric" not in page
    client.post(reverse("experiment-stop", args=["paged", experiment.pk]))
    experiment.refresh_from_db()
    assert experiment.status == "stopped" and experiment.frozen_report["frozen"] is True
    assert "report frozen" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_refused_form_keeps_what_was_typed_and_says_why(client):
    project = make_project(slug="kept")
    client.force_login(lead_of(project))
    bad = {**FORM, "variant-1-name": "", "variant-0-rubric": "[{oops"}
    page = client.post(reverse("experiments", args=["kept"]), bad).content.decode()
    assert not Experiment.objects.exists()
    assert "at least two" in page and "invalid JSON" in page
    assert 'value="Notes rule"' in page and "[{oops" in page


@pytest.mark.django_db
def test_reviewers_read_but_do_not_start_or_stop(client):
    project = make_project(slug="read")
    reviewer = make_user("rev")
    add_member(reviewer, project, Membership.REVIEWER)
    client.force_login(reviewer)
    page = client.get(reverse("experiments", args=["read"])).content.decode()
    assert "Start an experiment" not in page
    assert client.post(reverse("experiments", args=["read"]), FORM).status_code == 403
    assert not Experiment.objects.exists()


@pytest.mark.django_db
def test_the_demo_experiment_is_stopped_with_enough_tasks_to_conclude(client):
    from django.core.management import call_command

    call_command("seed_demo", "--no-activity", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert seed_demo_experiment().startswith("stopped experiment")
    assert seed_demo_experiment() == "already there, nothing to do"
    experiment = Experiment.objects.get(project__slug="explain")
    report = experiment.frozen_report
    assert experiment.status == "stopped" and report["frozen"]
    assert [v["submitted"] for v in report["variants"]] == [8, 8]
    effort = next(m for m in report["metrics"] if m["key"] == "active_seconds")
    assert effort["enough"] and effort["differences"][0]["excludes_zero"]
