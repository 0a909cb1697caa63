"""Compressed answers: the API and pages when gzip is accepted, static files collected."""

import gzip
import json

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.factories import add_edits, api_client

pytestmark = pytest.mark.django_db


def test_the_trajectory_is_gzipped_when_the_client_accepts_it(team):
    add_edits(team.task1, team.writer1, *[f"Draft. {'x' * n}" for n in range(1, 60)])
    client = api_client(team.lead)
    url = f"/api/tasks/{team.task1.pk}/trajectory/"
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content)
    assert len(packed.content) < len(body) / 3
    assert json.loads(body)["events"] == plain.json()["events"]


def test_server_sent_events_are_not_buffered_by_gzip(rf):
    from django.http import StreamingHttpResponse

    from oversight.compression import CompressionMiddleware

    stream = StreamingHttpResponse(iter([b"data: 1\n\n"]), content_type="text/event-stream")
    page = StreamingHttpResponse(iter([b"x" * 500]), content_type="text/html")
    middleware = CompressionMiddleware(lambda request: None)
    request = rf.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in middleware.process_response(request, stream)
    assert middleware.process_response(request, page)["Content-Encoding"] == "gzip"


@pytest.fixture
def collected(tmp_path):
    """Static files collected as `make run` does (STATIC_COLLECTED=1), then served."""
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "oversight.staticstorage.HashedCompressedStorage"}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages, WHITENOISE_USE_FINDERS=False,
                           WHITENOISE_AUTOREFRESH=False, DEBUG=True):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield Client()  # a new client builds WhiteNoise over the collected files


def test_the_editor_bundle_is_served_gzipped_and_cached_forever(collected):
    from django.templatetags.static import static

    url = static("editor/editor.js")
    assert url != "/static/editor/editor.js"  # a content-hashed name, even with DEBUG on
    response = collected.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    body = gzip.decompress(b"".join(response.streaming_content))
    with open("static/editor/editor.js", "rb") as source:
        assert body == source.read()
    assert int(response["Content-Length"]) < len(body) / 2


def test_plain_names_are_compressed_and_revalidated(collected):
    response = collected.get("/static/review/api.js", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" not in response["Cache-Control"]
    again = collected.get("/static/review/api.js", HTTP_ACCEPT_ENCODING="gzip",
                          HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
