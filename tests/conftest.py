import os
import uuid
from contextlib import contextmanager

import hypothesis
import pytest

REQUIRE_ALL_ENV = "OVERSIGHT_REQUIRE_ALL_TESTS"

# -- hypothesis profiles ------------------------------------------------------------
# `dev` (the inner loop) tries few examples per property, `ci` ten times more; tests
# leave max_examples to the profile (an expensive one caps it with
# `min(n, settings.default.max_examples)`). HYPOTHESIS_PROFILE picks one; otherwise
# CI=true means `ci`, anything else `dev`.
HYPOTHESIS_PROFILES = {"dev": 20, "ci": 200}


def hypothesis_profile() -> str:
    chosen = os.environ.get("HYPOTHESIS_PROFILE", "").strip()
    if chosen:
        return chosen
    return "ci" if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"} else "dev"


for _name, _examples in HYPOTHESIS_PROFILES.items():
    hypothesis.settings.register_profile(_name, max_examples=_examples, deadline=None,
                                         print_blob=True)
hypothesis.settings.load_profile(hypothesis_profile())


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


# -- the database leg ---------------------------------------------------------------
# The suite runs twice in CI: on SQLite (the default) and on PostgreSQL (DATABASE_URL set,
# `make test-pg`). A test that applies to one database only says so with
# `@pytest.mark.db_vendor("sqlite")`; on the other leg it is skipped, since that leg's
# own variant runs there (this skip is never an error: the other leg runs the test).


def leg_vendor() -> str:
    """The database vendor this run of the suite uses: "sqlite" or "postgresql"."""
    from django.db import connections

    return connections["default"].vendor


def leg_postgres_url() -> str:
    """The PostgreSQL URL of this leg (DATABASE_URL), or "" on the SQLite leg."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


@contextmanager
def scratch_postgres_database(base_url: str, prefix: str):
    """Create an empty database on the server of `base_url`; yield its URL; drop it after."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_runtest_setup(item):
    marker = item.get_closest_marker("db_vendor")
    if marker and leg_vendor() not in marker.args:
        pytest.skip(f"applies to {', '.join(marker.args)} only; this leg runs on "
                    f"{leg_vendor()}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database; every other session on it is closed before the drop.

    PostgreSQL refuses to drop a database with an open session, and threads other
    than the main one keep theirs between tests: the editor rooms' database thread,
    asgiref's sync_to_async thread.
    """
    yield
    from django.db import connection

    from editor import dbthread

    with django_db_blocker.unblock():
        dbthread.close_connections_sync()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            connection.close()


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: counters (wrong API tokens per address) are
    per minute, and one test's wrong keys must not throttle the next test's calls."""
    from django.core.cache import cache

    cache.clear()
    yield
