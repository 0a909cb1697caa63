import os

import pytest

REQUIRE_ALL_ENV = "OVERSIGHT_REQUIRE_ALL_TESTS"


def all_tests_required() -> bool:
    """True when every test must run (CI sets OVERSIGHT_REQUIRE_ALL_TESTS=1)."""
    return os.environ.get(REQUIRE_ALL_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def require_or_skip(condition, reason: str) -> None:
    """Skip the test unless `condition` holds; fail instead when every test is required.

    Tests that need an outside part (Chromium, Node, PostgreSQL, Redis) call this from
    their fixtures: on a laptop a missing part skips with `reason`, in CI
    (OVERSIGHT_REQUIRE_ALL_TESTS=1) it is an error, so nothing is silently left out.
    """
    if condition:
        return
    if all_tests_required():
        pytest.fail(f"{reason} ({REQUIRE_ALL_ENV}=1: this test may not be skipped)",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def sandbox():
    """The real verifier sandbox's configuration; skips (or fails in CI) where it cannot run."""
    from oversight.verifiers.config import sandbox_config
    from oversight.verifiers.sandbox import sandbox_problem

    config = sandbox_config()
    problem = sandbox_problem(config)
    require_or_skip(not problem, f"the verifier sandbox cannot run here: {problem}")
    return config


@pytest.fixture
def team(db):
    from tests.factories import Team

    return Team()


def pytest_configure(config):
    from django.conf import settings

    # Real password hashing costs ~0.3 s a user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
