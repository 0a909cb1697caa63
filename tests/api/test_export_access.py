"""GET /api/export/: who may export (401/403/404/200), gzip, headers and the OpenAPI entry."""

import gzip

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.urls import reverse

from oversight.api import export_request
from oversight.core.formats import FORMATS
from oversight.workspace.models import Membership
from tests.api.export_factories import make_trajectory, read_body, read_jsonl
from tests.factories import add_member, api_client, make_project, make_user

URL = reverse("export")


@pytest.fixture
def approved(team):
    return make_trajectory(team.project, team.writer1, team.reviewer)


def test_anonymous_callers_get_401(team, approved):
    response = api_client().get(URL, {"project": team.project.slug})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_writers_and_reviewers_get_403(team, approved):
    for user, role in ((team.writer1, "writer"), (team.reviewer, "reviewer")):
        response = api_client(user).get(URL, {"project": team.project.slug})
        assert response.status_code == 403
        assert response.json() == {"error": {
            "code": "permission_denied",
            "message": export_request.NOT_A_MANAGER.format(role=role, slug=team.project.slug),
            "detail": {}}}
        response = api_client(user).get(URL)  # no project named: they lead none
        assert response.status_code == 403
        assert response.json()["error"]["message"] == export_request.MANAGES_NOTHING


def test_outsiders_and_unknown_projects_get_404(team, approved):
    for slug in (team.project.slug, "no-such-project"):
        response = api_client(team.outsider).get(URL, {"project": slug})
        assert response.status_code == 404
        assert response.json()["error"]["message"] == export_request.NO_SUCH_PROJECT.format(
            slug=slug)


def test_a_slug_no_project_could_have_is_not_found_on_every_database(team, approved):
    # A NUL byte is refused by PostgreSQL inside a query: it must never reach one.
    for slug in ("bad\x00slug", "späce here", f"{team.project.slug}\x00"):
        response = api_client(team.lead).get(URL, {"project": slug})
        assert response.status_code == 404, slug
        assert response.json()["error"]["code"] == "not_found"


def test_one_refused_project_refuses_the_whole_export(team, approved):
    reviewed = make_project()
    add_member(team.lead, reviewed, Membership.REVIEWER)
    response = api_client(team.lead).get(URL, {"project": f"{team.project.slug},{reviewed.slug}"})
    assert response.status_code == 403


def test_leads_admins_and_superusers_export_by_token_or_session(team, approved):
    admin = make_user()
    add_member(admin, team.project, Membership.ADMIN)
    superuser = get_user_model().objects.create_superuser("root", password="pw-root-123")
    for user in (team.lead, admin, superuser):
        response = api_client(user).get(URL, {"project": team.project.slug})
        assert response.status_code == 200
        assert [r["task_id"] for r in read_jsonl(read_body(response))] == [approved.pk]
    session = api_client()
    session.force_login(team.lead)
    assert read_jsonl(read_body(session.get(URL)))[0]["task_id"] == approved.pk


def test_the_stream_is_a_jsonl_download(team, approved):
    response = api_client(team.lead).get(URL, {"format": "preference"})
    assert response.streaming
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="oversight-{team.project.slug}-preference.jsonl"')
    assert "Accept-Encoding" in response["Vary"]
    assert not response.has_header("Content-Encoding")


@pytest.mark.parametrize("how", ["header", "query"])
def test_gzip_when_asked_decompresses_to_the_plain_stream(team, approved, how):
    make_trajectory(team.project, team.writer2, team.reviewer)
    plain = read_body(api_client(team.lead).get(URL, {"format": "edits"}))
    if how == "header":
        response = api_client(team.lead).get(URL, {"format": "edits"},
                                             HTTP_ACCEPT_ENCODING="br, gzip;q=0.8")
    else:
        response = api_client(team.lead).get(URL, {"format": "edits", "gzip": "1"})
    assert response["Content-Encoding"] == "gzip"
    compressed = read_body(response)
    assert compressed[:2] == b"\x1f\x8b"
    assert gzip.decompress(compressed) == plain
    assert len(read_jsonl(plain)) > 2


def test_gzip_0_without_the_header_is_plain(team, approved):
    response = api_client(team.lead).get(URL, {"gzip": "0"})
    assert not response.has_header("Content-Encoding")
    assert read_jsonl(read_body(response))[0]["task_id"] == approved.pk


def test_an_accept_header_naming_jsonl_is_not_refused(team, approved):
    response = api_client(team.lead).get(URL, HTTP_ACCEPT="application/x-ndjson")
    assert response.status_code == 200


def test_the_openapi_schema_documents_the_export(client):
    schema = yaml.safe_load(client.get(reverse("schema")).content)
    operation = schema["paths"]["/api/export/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {"project", "format", "status", "reviewed_after", "reviewed_before",
                     "writer", "min_rubric_average", "exclude_flagged", "verified", "round", "gzip",
                     "max_final_share_pasted", "max_final_share_model", "task", "min_writer_trust",
                     "include_gold"}
    formats = next(p for p in operation["parameters"] if p["name"] == "format")
    assert set(formats["schema"]["enum"]) == set(FORMATS)
    ok = operation["responses"]["200"]
    assert "application/x-ndjson" in ok["content"] and "JSONL" in ok["description"]
    assert {"400", "401", "403", "404"} <= set(operation["responses"])


def test_the_schema_lists_exactly_what_the_one_serializer_parses(client):
    from oversight.api.serializers_export import ExportParamsSerializer

    schema = yaml.safe_load(client.get(reverse("schema")).content)
    documented = {p["name"]: p for p in schema["paths"]["/api/export/"]["get"]["parameters"]}
    fields = ExportParamsSerializer().fields
    assert set(documented) == set(fields)
    for name, field in fields.items():
        assert documented[name]["description"].startswith(str(field.help_text)), name
        assert documented[name]["in"] == "query" and not documented[name].get("required")
    assert documented["project"]["schema"]["type"] == "array"
    assert documented["task"]["schema"]["type"] == "integer"
    assert documented["exclude_flagged"]["schema"]["type"] == "boolean"
    assert documented["reviewed_after"]["schema"]["format"] == "date-time"


def test_the_serializer_gives_the_defaults_and_the_first_invalid_parameters_error():
    from oversight.api.export_selectors import ExportFilters
    from oversight.api.serializers_export import ExportParamsSerializer, parse_filters

    assert parse_filters({}) == ExportFilters()
    parsed = ExportParamsSerializer(data={}).parsed()
    assert parsed["format"] == "trajectory" and parsed["gzip"] is False
    assert parsed["project"] == []
    with pytest.raises(export_request.ExportRequestError) as refused:
        parse_filters({"round": "0", "task": "x"})  # round is checked before task
    assert refused.value.message == export_request.BAD_ROUND.format(value="0")
    assert refused.value.status == 400 and refused.value.code == "invalid_parameter"
