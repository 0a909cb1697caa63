"""Parsing whole numbers out of request text (query parameters, form fields)."""

import re

# str.isdigit() accepts "²" and "①", which int() then refuses: only ASCII digits count.
ASCII_COUNT = re.compile(r"[0-9]{1,18}")


def parse_count(text: str | None) -> int | None:
    """Return the non-negative integer spelt in ASCII digits by `text`, else None."""
    text = (text or "").strip()
    return int(text) if ASCII_COUNT.fullmatch(text) else None
