"""Tests leave the committed docs screenshots alone unless a run is asked to refresh them."""

import re
from pathlib import Path

from tests.live.helpers import DOCS_SCREENSHOTS, REFRESH_DOCS_ENV, publish_docs_screenshot

TESTS = Path(__file__).resolve().parent
# The only modules that may write docs/screenshots: the helper (behind the env var) and
# `make screenshots`' script.
WRITERS = {TESTS / "live" / "helpers.py", TESTS / "live" / "readme_screenshots.py"}


def test_a_screenshot_reaches_the_docs_only_when_asked(tmp_path, monkeypatch):
    shot = tmp_path / "webhook-log.png"
    shot.write_bytes(b"new")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "webhook-log.png").write_bytes(b"committed")
    monkeypatch.delenv(REFRESH_DOCS_ENV, raising=False)
    assert publish_docs_screenshot(shot, docs_dir=docs) is None
    monkeypatch.setenv(REFRESH_DOCS_ENV, "0")
    assert publish_docs_screenshot(shot, docs_dir=docs) is None
    assert (docs / "webhook-log.png").read_bytes() == b"committed"
    monkeypatch.setenv(REFRESH_DOCS_ENV, "1")
    assert publish_docs_screenshot(shot, docs_dir=docs) == docs / "webhook-log.png"
    assert (docs / "webhook-log.png").read_bytes() == b"new"


def test_the_helper_defaults_to_the_docs_the_pages_show():
    assert DOCS_SCREENSHOTS == TESTS.parent / "docs" / "screenshots"
    assert (DOCS_SCREENSHOTS / "webhook-log.png").is_file()


def test_no_other_test_module_names_the_docs_screenshots():
    pattern = re.compile(r"""["']screenshots["']|docs/screenshots|DOCS_SCREENSHOTS""")
    offenders = [str(path.relative_to(TESTS)) for path in TESTS.rglob("*.py")
                 if path not in WRITERS and path != Path(__file__).resolve()
                 and pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
