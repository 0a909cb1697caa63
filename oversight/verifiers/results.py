"""Read a run's JUnit XML report (pytest `--junitxml`, node `--test-reporter=junit`).

The report comes from inside the sandbox, so it is untrusted: it is size-capped by the
sandbox, parsed by the standard library's expat (which refuses entity expansion bombs
and never fetches external entities), and every field is bounded here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

MAX_TESTS = 500
MAX_NAME = 300
MAX_MESSAGE = 2_000
OUTCOMES = ("passed", "failed", "error", "skipped")


@dataclass(frozen=True)
class TestResult:
    name: str
    outcome: str
    duration_ms: int
    message: str

    def as_dict(self) -> dict:
        return {"name": self.name, "outcome": self.outcome, "duration_ms": self.duration_ms,
                "message": self.message}


def _duration_ms(value: str | None) -> int:
    try:
        return max(0, round(float(value or 0) * 1000))
    except ValueError:
        return 0


def _name(case: ET.Element) -> str:
    name, classname = case.get("name", ""), case.get("classname", "")
    # pytest: classname "test_solution" (module) or "test_solution.TestX"; node: "test".
    full = f"{classname}::{name}" if classname and classname != "test" else name
    return full[:MAX_NAME]


def _outcome(case: ET.Element) -> tuple[str, str]:
    for tag, outcome in (("error", "error"), ("failure", "failed"), ("skipped", "skipped")):
        found = case.find(tag)
        if found is not None:
            message = found.get("message") or (found.text or "").strip()
            return outcome, message[:MAX_MESSAGE]
    return "passed", ""


def parse_junit(report: bytes) -> list[TestResult] | None:
    """Return each test's result, or None when the report is missing or not JUnit XML."""
    if not report.strip():
        return None
    try:
        root = ET.fromstring(report)
    except ET.ParseError:
        return None
    if root.tag not in ("testsuites", "testsuite"):
        return None
    tests = []
    for case in root.iter("testcase"):
        outcome, message = _outcome(case)
        tests.append(TestResult(name=_name(case), outcome=outcome,
                                duration_ms=_duration_ms(case.get("time")), message=message))
        if len(tests) >= MAX_TESTS:
            break
    return tests
