"""What in a decoded JSON value no database column or JSON response can hold.

One check for every way text enters: the API's JSON parser, the JSONL importer and the
surrogate repair. A lone UTF-16 surrogate (`"\\ud800"` in JSON) decodes to a Python
string that UTF-8 cannot encode, so storing it, or rendering it back, fails later for
everyone; a NUL is refused by PostgreSQL text columns; JSON nested deeper than any
legitimate body exhausts the recursion of whatever walks it next.
"""

import re

MAX_DEPTH = 64

UNPAIRED_SURROGATE = "an unpaired surrogate escape"
NUL = "a NUL character (\\u0000)"
TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"

# json.loads joins a valid surrogate pair into one code point, so any surrogate left
# in a decoded string is unpaired.
SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """Name what in one string cannot be stored as text, if anything."""
    if "\x00" in text:
        return NUL
    if SURROGATE.search(text):
        return UNPAIRED_SURROGATE
    return None


def json_problem(value, max_depth: int = MAX_DEPTH) -> str | None:
    """Name the first thing in a decoded JSON value that cannot be stored, if anything.

    Walks without recursion, so a value nested past Python's recursion limit is named
    too rather than crashing the check.
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return problem
        elif isinstance(item, dict | list):
            if depth > max_depth:
                return TOO_DEEP
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return None


def repaired(value):
    """Return the value with every unpaired surrogate replaced by U+FFFD (for stored rows)."""
    if isinstance(value, str):
        return SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [repaired(item) for item in value]
    if isinstance(value, dict):
        return {repaired(key): repaired(item) for key, item in value.items()}
    return value
