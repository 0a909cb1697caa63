"""The experiments API: start, read, stop (409 twice), refusals in the API's error body."""

import pytest

from oversight.workspace.models import Membership
from tests.experiments.helpers import import_n, lead_of
from tests.factories import add_member, api_client, make_project, make_user

BODY = {"name": "Help", "hypothesis": "Help helps.", "unit": "task", "seed": 99,
        "variants": [{"name": "off", "settings": {"model_help": "off"}},
                     {"name": "on", "settings": {"model_help": "all"}}]}


@pytest.mark.django_db
def test_start_read_assign_stop():
    project = make_project(slug="api-exp")
    lead = lead_of(project)
    api = api_client(lead)
    created = api.post("/api/projects/api-exp/experiments/", BODY, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["seed"], body["status"], body["unit"], body["tasks"]) == (99, "running",
                                                                          "task", 0)
    assert [v["name"] for v in body["variants"]] == ["off", "on"]
    import_n(project, 4)
    url = f"/api/projects/api-exp/experiments/{body['id']}/"
    assert api.get(url).json()["tasks"] == 4
    assert [e["id"] for e in api.get("/api/projects/api-exp/experiments/").json()] == [body["id"]]
    report = api.get(url + "report/").json()
    assert [v["assigned"] for v in report["variants"]] == [2, 2] and not report["frozen"]
    stopped = api.post(url + "stop/")
    assert stopped.status_code == 200 and stopped.json()["stopped_at"]
    again = api.post(url + "stop/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "experiment_stopped"
    assert api.get(url + "report/").json()["frozen"] is True


@pytest.mark.django_db
def test_invalid_definitions_and_a_second_running_experiment_are_refused():
    project = make_project(slug="api-bad")
    api = api_client(lead_of(project))
    bad = api.post("/api/projects/api-bad/experiments/",
                   {**BODY, "variants": [{"name": "x", "settings": {"rubric": []}}]},
                   format="json")
    assert bad.status_code == 400
    assert "at least two" in bad.json()["error"]["message"]
    assert "rubric" in bad.json()["error"]["message"]
    assert api.post("/api/projects/api-bad/experiments/", BODY, format="json").status_code == 201
    second = api.post("/api/projects/api-bad/experiments/", BODY, format="json")
    assert second.status_code == 409 and second.json()["error"]["code"] == "experiment_running"


@pytest.mark.django_db
def test_a_reviewer_reads_the_report_and_may_not_stop_a_writer_reads_nothing():
    project = make_project(slug="api-roles")
    lead, reviewer, writer = lead_of(project), make_user("rv"), make_user("wr")
    add_member(reviewer, project, Membership.REVIEWER)
    add_member(writer, project, Membership.WRITER)
    exp = api_client(lead).post("/api/projects/api-roles/experiments/", BODY,
                                format="json").json()
    url = f"/api/projects/api-roles/experiments/{exp['id']}/"
    assert api_client(reviewer).get(url + "report/").status_code == 200
    assert api_client(reviewer).post(url + "stop/").status_code == 403
    assert api_client(writer).get(url + "report/").status_code == 403
    assert api_client(make_user("stranger")).get(url + "report/").status_code == 404
