"""Request parsers: strict JSON, and bodies that are text, not JSON (JSONL task files)."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser

from oversight.core.jsoncheck import TOO_DEEP, json_problem

NOT_UTF8 = "The request body is not valid UTF-8: {reason}"
BAD_JSON = "The JSON body contains {problem}; nothing was stored."


class PlainTextParser(BaseParser):
    """Return a text/plain body as one string."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        # A request whose declared content-length is 0 arrives with no stream.
        raw = stream.read() if stream is not None else b""
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        try:
            return raw.decode(encoding if encoding.lower() != "utf-8" else "utf-8-sig")
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(NOT_UTF8.format(reason=exc)) from exc


class NDJSONParser(PlainTextParser):
    """Return an application/x-ndjson body (one JSON value per line) as one string."""

    media_type = "application/x-ndjson"


class JSONLinesParser(NDJSONParser):
    """The same JSON Lines body under its other common type, application/jsonl."""

    media_type = "application/jsonl"


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing (400) what no column or response could hold.

    Every JSON body of the API comes through here, so every serializer's text fields are
    free of unpaired surrogates and NULs, and nothing nests deep enough to crash a walk.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(BAD_JSON.format(problem=TOO_DEEP)) from None
        problem = json_problem(data)
        if problem:
            raise ParseError(BAD_JSON.format(problem=problem))
        return data
