"""Fixtures for end-to-end tests against the real app running in a subprocess.

`live_app` (one for the package; pytest-django already owns the name `live_server`) runs
`manage.py serve` (uvicorn) over a temporary database (SQLite, or PostgreSQL on that
leg) seeded with the demo; tests make their own tasks, so they do not depend on each other.
`chromium` gives a headless Debian Chromium driven by Playwright; `node_interop`
checks that Node and the stock y-websocket client are installed. Missing parts skip,
or fail when OVERSIGHT_REQUIRE_ALL_TESTS=1 (see tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.conftest import leg_postgres_url, require_or_skip, scratch_postgres_database
from tests.live.server import ROOT, LiveServer

ARTIFACTS = ROOT / "test-artifacts"
INTEROP_DIR = ROOT / "tests" / "interop"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# Package scope: the server and the browser stop once tests/live is done. Playwright's
# sync API leaves its event loop marked as running in the main thread while it lives,
# which would break asyncio tests (pytest-asyncio, asyncio.run) collected after these.
@pytest.fixture(scope="package")
def live_app(tmp_path_factory) -> Iterator[LiveServer]:
    # On the PostgreSQL leg the live server runs on PostgreSQL too, in its own database.
    with ExitStack() as stack:
        env = {}
        if leg_postgres_url():
            env["DATABASE_URL"] = stack.enter_context(
                scratch_postgres_database(leg_postgres_url(), "oversight_live"))
        server = LiveServer(tmp_path_factory.mktemp("live"), extra_env=env)
        stack.callback(server.stop)
        server.prepare()
        server.start()
        yield server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tail of the live server's log to a failing test's report."""
    report = yield
    if report.failed:
        server = getattr(item, "funcargs", {}).get("live_app")
        if isinstance(server, LiveServer):
            report.sections.append(
                (f"live server log (tail of {server.log_path})", server.log_tail()))
    return report


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# -- Node -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def node_interop() -> Path:
    """The directory of the stock y-websocket client; skips (or fails) without Node."""
    node = shutil.which("node")
    require_or_skip(node, "Node.js (`node`) is not on PATH")
    require_or_skip((INTEROP_DIR / "node_modules" / "y-websocket").is_dir(),
                    "tests/interop/node_modules is missing: run `make node-deps` "
                    "(`cd tests/interop && npm ci`)")
    return INTEROP_DIR


# -- Chromium -------------------------------------------------------------------------


def chromium_executable() -> str | None:
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="package")
def chromium():
    """A headless Debian Chromium under Playwright (never a downloaded browser)."""
    executable = chromium_executable()
    require_or_skip(executable, "Chromium not found (/usr/bin/chromium or `chromium` on PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_or_skip(sync_playwright, "the playwright Python package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()
