"""Draft providers: ask a model for the draft a task starts from."""

from dataclasses import dataclass, field

import httpx
from django.conf import settings

DEFAULT_TEMPERATURE = 0.7
SNIPPET_CHARS = 200

UNREACHABLE = ("Could not reach the draft provider at {url}: {reason}. Is it running? Point "
               "DRAFT_PROVIDER_BASE_URL at an OpenAI-compatible endpoint (see the README).")
TIMED_OUT = "The draft provider at {url} timed out after {timeout:.1f} s."
HTTP_ERROR = "The draft provider at {url} answered HTTP {status}: {message}"
NOT_JSON = "The draft provider at {url} sent a reply that is not JSON: {snippet}"
NO_COMPLETION = "The draft provider at {url} sent no completion text (choices[0].message.content)."


class ProviderError(Exception):
    """A draft could not be generated; the message says why, for a human."""


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

    def generate(self, prompt: str) -> GeneratedDraft:
        """Return the model's answer to the prompt, or raise ProviderError saying what failed."""
        payload = {"model": self.model, "messages": [{"role": "user", "content": prompt}],
                   "temperature": self.temperature}
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            response = httpx.post(self.url, json=payload, headers=headers, timeout=self.timeout)
        except httpx.TimeoutException as exc:
            raise ProviderError(TIMED_OUT.format(url=self.url, timeout=self.timeout)) from exc
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            raise ProviderError(UNREACHABLE.format(url=self.url, reason=exc)) from exc
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
        return GeneratedDraft(text=text, model=model or self.model,
                              params={"temperature": self.temperature})


def provider_from_settings() -> OpenAICompatibleProvider:
    """Build the provider configured in settings.DRAFT_PROVIDER."""
    config = settings.DRAFT_PROVIDER
    return OpenAICompatibleProvider(base_url=config["BASE_URL"], model=config["MODEL"],
                                    api_key=config.get("API_KEY", ""),
                                    timeout=config.get("TIMEOUT", 60.0))

