"""stream_chat against a real loopback chat-completions server, streamed and not."""

import pytest

from oversight.workspace import providers
from oversight.workspace.providers import OpenAICompatibleProvider, ProviderError, stream_chat
from tests.provider_server import COMPLETION, PIECES

MESSAGES = [{"role": "user", "content": "Why is the sky blue?"}]


def provider(server, timeout=2.0):
    return OpenAICompatibleProvider(base_url=server.base_url, model="m", api_key="sk-x",
                                    timeout=timeout)


def test_a_stream_arrives_piece_by_piece_and_asks_for_streaming(provider_server):
    provider_server.mode = "stream"
    assert list(stream_chat(provider(provider_server), MESSAGES)) == PIECES
    sent = provider_server.requests[-1]
    assert sent["json"]["stream"] is True and sent["json"]["messages"] == MESSAGES
    assert sent["headers"]["Authorization"] == "Bearer sk-x"


def test_the_first_piece_comes_before_the_provider_sends_the_rest(provider_server):
    provider_server.mode = "stream_gated"
    pieces = stream_chat(provider(provider_server), MESSAGES)
    assert next(pieces) == PIECES[0]  # the gate is still closed: nothing else exists yet
    provider_server.gate.set()
    assert list(pieces) == PIECES[1:]


def test_a_provider_without_streaming_answers_in_one_piece(provider_server):
    provider_server.mode = "ok"
    assert list(stream_chat(provider(provider_server), MESSAGES)) == [COMPLETION]


@pytest.mark.parametrize("mode, message, pieces", [
    ("stream_cut", providers.STREAM_CUT, 2),
    ("stream_garbage", "sent a stream event that is not JSON", 2),
    ("error", "answered HTTP 500: model 'ghost' not found", 0),
    ("malformed", "sent a reply that is not JSON", 0),
    ("empty", "sent no completion text", 0),
    ("hang", "timed out after 0.3 s", 0),
])
def test_every_failure_is_a_provider_error_after_the_pieces_so_far(provider_server, mode,
                                                                   message, pieces):
    provider_server.mode = mode
    received = []
    with pytest.raises(ProviderError) as raised:
        for piece in stream_chat(provider(provider_server, timeout=0.3), MESSAGES):
            received.append(piece)
    assert received == PIECES[:pieces]
    expected = message.format(url=provider(provider_server).url)
    assert expected in str(raised.value)


def test_an_unreachable_provider_is_a_provider_error():
    dead = OpenAICompatibleProvider(base_url="http://127.0.0.1:9/v1", model="m", timeout=1)
    with pytest.raises(ProviderError, match="Could not reach"):
        list(stream_chat(dead, MESSAGES))
