"""The Python lock files satisfy pyproject.toml, serving installs no test tool, bounds hold."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LOCKS = {"run": (), "scaleout": ("scaleout",), "dev": ("dev",)}
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s\\;]+)", re.MULTILINE)
# The code overrides or drives these packages' internals: each needs an upper bound.
BOUNDED = ("channels", "pycrdt", "django-tasks", "django-tasks-db", "django", "daphne",
           "uvicorn", "websockets")
TEST_TOOLS = ("pytest-django", "hypothesis", "playwright", "datasets", "ruff",
              "schemathesis", "channels-redis", "psycopg")


def pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / f"{name}.lock").read_text()
    assert "--hash=sha256:" in text  # pinned with hashes
    return {canonicalize_name(n): v for n, v in PIN.findall(text)}


def requirements(extras: tuple[str, ...]) -> list[Requirement]:
    """The project's requirements with these extras, self-references followed."""
    wanted = [Requirement(r) for r in PROJECT["dependencies"]]
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for line in PROJECT["optional-dependencies"][extra]:
            req = Requirement(line)
            if canonicalize_name(req.name) == canonicalize_name(PROJECT["name"]):
                todo.extend(req.extras)
            else:
                wanted.append(req)
    return wanted


@pytest.mark.parametrize("lock", list(LOCKS))
def test_each_lock_pins_every_requirement_within_its_range(lock):
    pinned = pins(lock)
    for req in requirements(LOCKS[lock]):
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} missing from {lock}.lock: run `make lock`"
        assert req.specifier.contains(pinned[name], prereleases=True), (
            f"{lock}.lock pins {req.name}=={pinned[name]}, outside {req.specifier}: "
            "run `make lock`")


def test_the_locks_agree_and_serving_installs_no_test_tool():
    dev, run, scaleout = pins("dev"), pins("run"), pins("scaleout")
    for name, version in {**run, **scaleout}.items():
        assert dev[name] == version, name  # what the tests ran against is what serves
    assert not set(TEST_TOOLS) & set(run)


def test_dependencies_that_the_code_reaches_into_have_upper_bounds_and_nothing_unused():
    declared = {canonicalize_name(r.name): r for r in requirements(("dev",))}
    for name in BOUNDED:
        assert any(s.operator in ("<", "<=", "~=", "==") for s in declared[name].specifier), name
    assert "pycrdt-websocket" not in declared  # nothing imports it
