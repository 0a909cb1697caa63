"""Run a verifier spec on one text: build the command, run it sandboxed, judge the result.

Statuses (why a run ended): passed, failed (a test failed), error (the tests could not
run: a syntax error, a crash, no report), timeout (wall clock or CPU seconds),
memory, output_limit, refused (the sandbox cannot start here).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oversight.core.verifier_spec import TEST_FILE, document_file

from .results import TestResult, parse_junit
from .sandbox import (
    Limits,
    SandboxConfig,
    SandboxOutcome,
    run_in_sandbox,
    run_unsandboxed,
    sandbox_problem,
)

REPORT = ".report.xml"
SIGXCPU_EXIT = 128 + 24
REFUSED = ("Verifier runs are refused: {problem}. Code is never run outside the sandbox "
           "unless VERIFIER_ALLOW_UNSANDBOXED is set (unsafe).")
MEMORY_MARKERS = ("MemoryError", "JavaScript heap out of memory", "ERR_WORKER_OUT_OF_MEMORY")


@dataclass
class RunReport:
    status: str
    tests: list[TestResult] = field(default_factory=list)
    output: str = ""
    sandbox: dict = field(default_factory=dict)  # e.g. the run's uid, for audits and tests

    @property
    def total(self) -> int:
        return len(self.tests)

    @property
    def passed(self) -> int:
        return sum(test.outcome == "passed" for test in self.tests)

    @property
    def failed(self) -> int:
        return sum(test.outcome in ("failed", "error") for test in self.tests)


def command_for(spec: dict, config: SandboxConfig) -> list[str]:
    tests = sorted(name for name in spec["files"] if TEST_FILE[spec["kind"]].search(name))
    if spec["kind"] == "pytest":
        return [config.python, "-S", "-m", "pytest", "-q", "--color=no", "--tb=short",
                "-p", "no:cacheprovider", "-o", "junit_family=xunit1",
                f"--junitxml={REPORT}", *tests]
    return [config.node, "--max-old-space-size=256", "--test", "--test-reporter=spec",
            "--test-reporter-destination=stdout", "--test-reporter=junit",
            f"--test-reporter-destination={REPORT}", *tests]


def judge(outcome: SandboxOutcome) -> RunReport:
    """Turn what the sandbox saw into a status and per-test results."""
    tests = parse_junit(outcome.report) or []
    output = outcome.output
    if outcome.output_limited:
        return RunReport("output_limit", tests, output + "\n[output limit reached; run stopped]")
    if outcome.timed_out or outcome.exit_code == SIGXCPU_EXIT:
        return RunReport("timeout", tests, output + "\n[time limit reached; run stopped]")
    texts = [output, *(test.message for test in tests)]
    if any(marker in text for marker in MEMORY_MARKERS for text in texts):
        return RunReport("memory", tests, output)
    if any(test.outcome == "failed" for test in tests):
        return RunReport("failed", tests, output)
    if not tests or any(test.outcome == "error" for test in tests):
        return RunReport("error", tests, output)
    return RunReport("passed", tests, output)


def run_spec(*, spec: dict, text: str, config: SandboxConfig, limits: Limits) -> RunReport:
    """Run the spec's tests against `text` as the spec's module."""
    files = {**spec["files"], document_file(spec): text}
    argv = command_for(spec, config)
    problem = sandbox_problem(config)
    if problem and not config.allow_unsandboxed:
        return RunReport("refused", [], REFUSED.format(problem=problem))
    runner = run_unsandboxed if problem else run_in_sandbox
    outcome = runner(config=config, limits=limits, argv=argv, files=files, report=REPORT)
    report = judge(outcome)
    report.sandbox = outcome.extra
    return report
