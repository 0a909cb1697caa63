"""The OpenAPI schema, self-hosted API docs, the health check and the login page."""

import io
import re

import yaml
from django.core.management import call_command
from django.urls import reverse


def test_the_schema_is_an_openapi_document_with_the_new_operations(client):
    response = client.get(reverse("schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/tasks/bulk/" in schema["paths"]
    assert "/api/tasks/{id}/generate-draft/" in schema["paths"]
    bulk = schema["paths"]["/api/tasks/bulk/"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/x-ndjson", "text/plain"} <= set(bulk)


def test_the_docs_page_serves_its_assets_itself(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    page = response.content.decode()
    for cdn in ("cdn.", "unpkg", "jsdelivr"):
        assert cdn not in page
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_healthz_reports_database_and_channel_layer(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["channel_layer"]["ok"]


def test_the_login_page_renders_and_the_demo_login_works(db, client):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and b'name="password"' in page.content
    call_command("seed_demo", "--no-activity", stdout=io.StringIO())
    response = client.post(reverse("login"), {"username": "writer1", "password": "writer1-demo"})
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="whoami">writer1<' in home and "explain-sky-blue" in home
