"""The OpenAI-compatible provider against a real HTTP server on loopback."""

import socket

import pytest

from oversight.workspace import providers
from oversight.workspace.providers import OpenAICompatibleProvider, ProviderError
from tests.provider_server import COMPLETION


def make(server, timeout=0.5, api_key="sk-test") -> OpenAICompatibleProvider:
    return OpenAICompatibleProvider(server.base_url + "/", "test-model", api_key, timeout)


def test_success_returns_the_completion_and_sends_the_chat_request(provider_server):
    draft = make(provider_server).generate("Why is the sky blue?")
    assert draft == providers.GeneratedDraft(text=COMPLETION, model="served-model-7b",
                                             params={"temperature": 0.7})
    [request] = provider_server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-test"
    assert request["json"] == {"model": "test-model", "temperature": 0.7,
                               "messages": [{"role": "user", "content": "Why is the sky blue?"}]}


def test_no_api_key_sends_no_authorization(provider_server):
    make(provider_server, api_key="").generate("p")
    assert "Authorization" not in provider_server.requests[0]["headers"]


def test_a_server_slower_than_the_timeout_is_a_timeout(provider_server):
    provider_server.mode = "hang"
    provider = make(provider_server, timeout=0.3)
    with pytest.raises(ProviderError) as caught:
        provider.generate("p")
    assert str(caught.value) == (
        f"The draft provider at {provider_server.base_url}/chat/completions timed out after 0.3 s.")


def test_an_error_reply_carries_the_servers_message(provider_server):
    provider_server.mode = "error"
    with pytest.raises(ProviderError) as caught:
        make(provider_server).generate("p")
    assert str(caught.value) == providers.HTTP_ERROR.format(
        url=f"{provider_server.base_url}/chat/completions", status=500,
        message="model 'ghost' not found")


def test_a_body_that_is_not_json_is_reported_with_its_start(provider_server):
    provider_server.mode = "malformed"
    with pytest.raises(ProviderError) as caught:
        make(provider_server).generate("p")
    assert str(caught.value) == providers.NOT_JSON.format(
        url=f"{provider_server.base_url}/chat/completions",
        snippet="<html>502 Bad Gateway</html>")


def test_a_reply_without_choices_is_refused(provider_server):
    provider_server.mode = "empty"
    with pytest.raises(ProviderError) as caught:
        make(provider_server).generate("p")
    assert str(caught.value) == providers.NO_COMPLETION.format(
        url=f"{provider_server.base_url}/chat/completions")


def test_connection_refused_says_the_provider_is_unreachable():
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    provider = OpenAICompatibleProvider(f"http://127.0.0.1:{port}/v1", "m", "", 1.0)
    with pytest.raises(ProviderError) as caught:
        provider.generate("p")
    assert str(caught.value).startswith(
        f"Could not reach the draft provider at http://127.0.0.1:{port}/v1/chat/completions: ")


def test_provider_from_settings_reads_draft_provider(settings):
    settings.DRAFT_PROVIDER = {"BASE_URL": "http://llm.local/v1", "MODEL": "llama3.1",
                               "API_KEY": "k", "TIMEOUT": 2.0}
    provider = providers.provider_from_settings()
    assert (provider.url, provider.model, provider.api_key, provider.timeout) == (
        "http://llm.local/v1/chat/completions", "llama3.1", "k", 2.0)
