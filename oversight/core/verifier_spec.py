"""The one validator of verifier specs: a task's tests, as data.

`{"kind": "pytest" | "node-test", "module": "solution", "files": {"test_x.py": "…"},
"timeout_s": 10}`. The document is written as the module (`solution.py` for pytest, an
ES module `solution.mjs` for node-test) beside the test files, and the kind's runner
runs them. Every problem is reported with its field, as the importer reports lines.
"""

from __future__ import annotations

import re

KINDS = {"pytest": ".py", "node-test": ".mjs"}
FIELDS = ("kind", "module", "files", "timeout_s")
DEFAULT_MODULE = "solution"
DEFAULT_TIMEOUT_S = 10
MAX_TIMEOUT_S = 60
MAX_FILES = 20
MAX_FILES_CHARS = 200_000

MODULE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
# Relative paths of plain names: no '..', no hidden files, no absolute paths.
_PART = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}"
FILE_RE = re.compile(rf"^(?:{_PART}/){{0,3}}{_PART}$")
TEST_FILE = {"pytest": re.compile(r"(^|/)(test_[^/]*|[^/]*_test)\.py$"),
             "node-test": re.compile(r"\.test\.m?js$")}
TEST_FILE_HINT = {"pytest": "test_*.py or *_test.py", "node-test": "*.test.mjs or *.test.js"}

NOT_AN_OBJECT = "field '{field}': must be a JSON object"
REQUIRED = "field '{field}': required"
UNKNOWN = "field '{field}': unknown field (expected one of: {expected})"
BAD_KIND = "field '{field}': must be one of: {expected}"
BAD_MODULE = "field '{field}': must be a module name (a letter or _, then letters, digits, _)"
BAD_FILES = "field '{field}': must be an object of file name → text (1 to {limit} files)"
BAD_FILE_NAME = "field '{field}': '{name}' is not a plain relative file name"
NOT_TEXT = "field '{field}': must be a string"
CLASHES = "field '{field}': '{name}' is the document's own file"
NO_TESTS = "field '{field}': no test file (names like {hint})"
TOO_BIG = "field '{field}': at most {limit} characters in all (got {length})"
BAD_TIMEOUT = "field '{field}': must be a number of seconds from 1 to {limit}"


class VerifierSpecError(ValueError):
    """A spec with problems; `errors` names each field."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _files(value, kind: str | None, module: str, prefix: str, errors: list[str]) -> dict:
    label = prefix + "files"
    if not isinstance(value, dict) or not 1 <= len(value) <= MAX_FILES:
        errors.append(BAD_FILES.format(field=label, limit=MAX_FILES))
        return {}
    own = module + KINDS.get(kind, "")
    for name, text in value.items():
        if not FILE_RE.match(name) or ".." in name:
            errors.append(BAD_FILE_NAME.format(field=label, name=name))
        elif name == own:
            errors.append(CLASHES.format(field=label, name=name))
        if not isinstance(text, str):
            errors.append(NOT_TEXT.format(field=f"{label}.{name}"))
    size = sum(len(text) for text in value.values() if isinstance(text, str))
    if size > MAX_FILES_CHARS:
        errors.append(TOO_BIG.format(field=label, limit=MAX_FILES_CHARS, length=size))
    if kind in TEST_FILE and not any(TEST_FILE[kind].search(name) for name in value):
        errors.append(NO_TESTS.format(field=label, hint=TEST_FILE_HINT[kind]))
    return dict(value)


def _timeout(value, prefix: str, errors: list[str]) -> float:
    if value is None:
        return DEFAULT_TIMEOUT_S
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not 1 <= value <= MAX_TIMEOUT_S:
        errors.append(BAD_TIMEOUT.format(field=prefix + "timeout_s", limit=MAX_TIMEOUT_S))
        return DEFAULT_TIMEOUT_S
    return value


def verifier_problems(value, *, prefix: str = "verifier.") -> tuple[dict | None, list[str]]:
    """Return (the normalized spec, []) or (None, every problem with its field)."""
    errors: list[str] = []
    if not isinstance(value, dict):
        return None, [NOT_AN_OBJECT.format(field=prefix.rstrip("."))]
    for name in value:
        if name not in FIELDS:
            errors.append(UNKNOWN.format(field=prefix + name, expected=", ".join(FIELDS)))
    kind = value.get("kind")
    if kind is None:
        errors.append(REQUIRED.format(field=prefix + "kind"))
    elif kind not in KINDS:
        errors.append(BAD_KIND.format(field=prefix + "kind", expected=", ".join(KINDS)))
        kind = None
    module = value.get("module", DEFAULT_MODULE)
    if not isinstance(module, str) or not MODULE_RE.match(module):
        errors.append(BAD_MODULE.format(field=prefix + "module"))
        module = DEFAULT_MODULE
    if "files" not in value:
        errors.append(REQUIRED.format(field=prefix + "files"))
        files = {}
    else:
        files = _files(value["files"], kind, module, prefix, errors)
    timeout_s = _timeout(value.get("timeout_s"), prefix, errors)
    if errors:
        return None, errors
    return {"kind": kind, "module": module, "files": files, "timeout_s": timeout_s}, []


def validate_verifier(value, *, prefix: str = "verifier.") -> dict:
    """Return the normalized spec or raise VerifierSpecError."""
    spec, errors = verifier_problems(value, prefix=prefix)
    if errors:
        raise VerifierSpecError(errors)
    return spec


def document_file(spec: dict) -> str:
    """The file name the document is written to."""
    return spec["module"] + KINDS[spec["kind"]]
