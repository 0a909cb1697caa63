"""Model providers: ask a model for the draft a task starts from, or for help while editing."""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
from django.conf import settings

DEFAULT_TEMPERATURE = 0.7
SNIPPET_CHARS = 200

UNREACHABLE = "Could not reach the draft provider at {url}: {reason}."
TIMED_OUT = "The draft provider at {url} timed out after {timeout:.1f} s."
HTTP_ERROR = "The draft provider at {url} answered HTTP {status}: {message}"
NOT_JSON = "The draft provider at {url} sent a reply that is not JSON: {snippet}"
NO_COMPLETION = "The draft provider at {url} sent no completion text (choices[0].message.content)."
STREAM_CUT = ("The provider at {url} stopped in the middle of its answer (the stream ended "
              "without its final [DONE]).")
STREAM_MALFORMED = "The provider at {url} sent a stream event that is not JSON: {snippet}"
STREAM_EMPTY = "The provider at {url} streamed no text."


class ProviderError(Exception):
    """A draft could not be generated; the message says why, for a human."""


class _UnsupportedRequest(Exception):
    """The provider refused a request option (HTTP 400): try again without it."""


@dataclass(frozen=True)
class Completion:
    text: str
    model: str


@dataclass(frozen=True)
class GeneratedDraft:
    text: str
    model: str
    params: dict = field(default_factory=dict)


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return (text[:SNIPPET_CHARS] + "…") if len(text) > SNIPPET_CHARS else text or "(empty)"


def _error_message(response: httpx.Response) -> str:
    """Return the server's own error message in the common shapes, else the body's start."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            error = error.get("message")
        for candidate in (error, body.get("detail"), body.get("message")):
            if isinstance(candidate, str) and candidate.strip():
                return candidate
    return _snippet(response.text)


def _completion_text(body) -> str | None:
    try:
        text = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        return None
    return text if isinstance(text, str) and text.strip() else None


class OpenAICompatibleProvider:
    """Any OpenAI-compatible chat-completions endpoint: vLLM, Ollama, llama.cpp, hosted APIs."""

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout: float = 60.0,
                 temperature: float = DEFAULT_TEMPERATURE):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = float(timeout)
        self.temperature = temperature

    @property
    def url(self) -> str:
        return f"{self.base_url}/chat/completions"

    def chat(self, messages: list[dict], *, response_format: dict | None = None,
             temperature: float | None = None) -> Completion:
        """Return the model's reply to `messages`, or raise ProviderError saying what failed.

        `response_format` (e.g. a JSON schema) is sent when given; a provider that refuses
        it with HTTP 400 is asked once more without it, since many OpenAI-compatible
        servers do not support structured output.
        """
        payload = {"model": self.model, "messages": messages,
                   "temperature": self.temperature if temperature is None else temperature}
        if response_format is not None:
            try:
                return self._post({**payload, "response_format": response_format})
            except _UnsupportedRequest:
                pass
        return self._post(payload)

    def _post(self, payload: dict) -> Completion:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            response = httpx.post(self.url, json=payload, headers=headers, timeout=self.timeout)
        except httpx.TimeoutException as exc:
            raise ProviderError(TIMED_OUT.format(url=self.url, timeout=self.timeout)) from exc
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            raise ProviderError(UNREACHABLE.format(url=self.url, reason=exc)) from exc
        if response.status_code == 400 and "response_format" in payload:
            raise _UnsupportedRequest()
        if response.is_error:
            raise ProviderError(HTTP_ERROR.format(url=self.url, status=response.status_code,
                                                  message=_error_message(response)))
        try:
            body = response.json()
        except (ValueError, UnicodeDecodeError) as exc:
            raise ProviderError(NOT_JSON.format(url=self.url,
                                                snippet=_snippet(response.text))) from exc
        text = _completion_text(body)
        if text is None:
            raise ProviderError(NO_COMPLETION.format(url=self.url))
        model = body.get("model") if isinstance(body.get("model"), str) else self.model
        return Completion(text=text, model=model or self.model)

    def generate(self, prompt: str) -> GeneratedDraft:
        """Return the model's answer to the prompt, or raise ProviderError saying what failed."""
        reply = self.chat([{"role": "user", "content": prompt}])
        return GeneratedDraft(text=reply.text, model=reply.model,
                              params={"temperature": self.temperature})


def _stream_delta(data: str, url: str) -> str:
    """Return the text of one server-sent chat-completion chunk ("" for none)."""
    try:
        chunk = json.loads(data)
    except ValueError as exc:
        raise ProviderError(STREAM_MALFORMED.format(url=url, snippet=_snippet(data))) from exc
    try:
        choice = chunk["choices"][0]
    except (KeyError, IndexError, TypeError):
        return ""  # e.g. a usage-only chunk
    delta = (choice.get("delta") or {}).get("content") if isinstance(choice, dict) else None
    return delta if isinstance(delta, str) else ""


def _sse_deltas(response: httpx.Response, url: str) -> Iterator[str]:
    """Yield the text deltas of a chat-completions event stream, up to its [DONE]."""
    for line in response.iter_lines():
        if not line.startswith("data:"):
            continue  # comments, event names, blank separators
        data = line[5:].strip()
        if data == "[DONE]":
            return
        text = _stream_delta(data, url)
        if text:
            yield text
    raise ProviderError(STREAM_CUT.format(url=url))


def stream_chat(provider: "OpenAICompatibleProvider", messages: list[dict]) -> Iterator[str]:
    """Yield the model's answer to `messages` as it arrives (`stream: true`).

    A provider that ignores `stream` and answers with one JSON completion is served as
    one piece. Every failure (unreachable, timeout, error reply, malformed or empty
    body, a stream cut before [DONE]) raises ProviderError, after the pieces so far.
    """
    url = provider.url
    payload = {"model": provider.model, "messages": messages,
               "temperature": provider.temperature, "stream": True}
    headers = {"Authorization": f"Bearer {provider.api_key}"} if provider.api_key else {}
    sent = False
    try:
        with httpx.stream("POST", url, json=payload, headers=headers,
                          timeout=provider.timeout) as response:
            if response.is_error:
                response.read()
                raise ProviderError(HTTP_ERROR.format(url=url, status=response.status_code,
                                                      message=_error_message(response)))
            if response.headers.get("content-type", "").startswith("text/event-stream"):
                for text in _sse_deltas(response, url):
                    sent = True
                    yield text
            else:
                response.read()
                yield _whole_completion(response, url)
                sent = True
    except httpx.TimeoutException as exc:
        raise ProviderError(TIMED_OUT.format(url=url, timeout=provider.timeout)) from exc
    except (httpx.TransportError, httpx.InvalidURL) as exc:
        if sent:
            raise ProviderError(STREAM_CUT.format(url=url)) from exc
        raise ProviderError(UNREACHABLE.format(url=url, reason=exc)) from exc
    if not sent:
        raise ProviderError(STREAM_EMPTY.format(url=url))


def _whole_completion(response: httpx.Response, url: str) -> str:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProviderError(NOT_JSON.format(url=url, snippet=_snippet(response.text))) from exc
    text = _completion_text(body)
    if text is None:
        raise ProviderError(NO_COMPLETION.format(url=url))
    return text


def provider_from_settings(*, model: str = "") -> OpenAICompatibleProvider:
    """Build the provider configured in settings.DRAFT_PROVIDER (optionally another model)."""
    config = settings.DRAFT_PROVIDER
    return OpenAICompatibleProvider(base_url=config["BASE_URL"], model=model or config["MODEL"],
                                    api_key=config.get("API_KEY", ""),
                                    timeout=config.get("TIMEOUT", 60.0))

