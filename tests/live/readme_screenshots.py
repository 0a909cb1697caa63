"""`make screenshots`: regenerate the README's screenshots from the demo data.

Starts the real app on a fresh database seeded by `seed_demo` (with its recorded
activity), opens each page as the demo role that uses it in Debian's Chromium, and
writes docs/screenshots/*.png. Run: `python -m tests.live.readme_screenshots`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.live.conftest import CHROMIUM_ARGS, chromium_executable
from tests.live.helpers import open_as
from tests.live.server import ROOT, LiveServer

OUT = ROOT / "docs" / "screenshots"
VIEWPORT = (1440, 900)


def _ids(server) -> dict:
    return server.query("""
from oversight.workspace.models import Task
from oversight.experiments.models import Experiment
result = dict(Task.objects.values_list("external_id", "pk"))
result["experiment"] = Experiment.objects.get(project__slug="explain").pk
""")


def _shots(ids: dict) -> list[tuple[str, str, str, str]]:
    """(file, user, path, what to wait for)."""
    return [
        ("editor.png", "writer1", f"/tasks/{ids['explain-stale-bread']}/",
         "#connection-status[data-state=connected]"),
        ("queue.png", "lead1", "/review/explain/?status=all", "[data-testid=queue]"),
        ("review-player.png", "lead1", f"/review/tasks/{ids['explain-vaccines']}/",
         "#player[data-ready=true]"),
        ("writers-dashboard.png", "lead1", "/review/explain/writers/", "[data-testid=writers]"),
        ("writer-dashboard.png", "writer1", f"/tasks/{ids['explain-sky-blue']}/",
         "[data-testid=task-reviews]"),
        ("experiment.png", "lead1", f"/review/explain/experiments/{ids['experiment']}/",
         "[data-testid=variants]"),
    ]


def main() -> int:
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    if not executable:
        print("Chromium not found (/usr/bin/chromium)", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="oversight-shots-") as tmp:
        server = LiveServer(Path(tmp))
        server.prepare()
        server.start()
        try:
            ids = _ids(server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                                     args=CHROMIUM_ARGS)
                for name, user, path, ready in _shots(ids):
                    context, page, errors = open_as(browser, server, user, viewport=VIEWPORT)
                    page.goto(server.base_url + path)
                    page.locator(ready).first.wait_for()
                    if name == "review-player.png":  # a moment in the middle of the work
                        page.evaluate("() => window.oversightPlayer.seek("
                                      "Math.round(window.oversightPlayer.timeline.last / 2))")
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(OUT / name))
                    context.close()
                    if errors:
                        print(f"{name}: page errors {errors}", file=sys.stderr)
                        return 1
                    print(f"wrote docs/screenshots/{name}")
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
