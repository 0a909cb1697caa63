"""Every page, as every demo role, at 1280x800, 1920x1080 and 800x1000, in Chromium.

Asserts: no horizontal overflow of the page, nor of a table beyond its scroll container;
the page's main action in sight without scrolling sideways; no console error; no failed
request. axe-core (the npm package, injected) finds no serious or critical violation.
The demo data (seed_demo with its recorded activity) gives every page content.
"""

from __future__ import annotations

import pytest

from tests.conftest import require_or_skip
from tests.live.conftest import INTEROP_DIR
from tests.live.helpers import open_as

pytestmark = pytest.mark.browser

VIEWPORTS = [(1280, 800), (1920, 1080), (800, 1000)]
AXE = INTEROP_DIR / "node_modules" / "axe-core" / "axe.min.js"
ROLES = ("writer1", "reviewer1", "lead1", "admin")
OVERSEERS = ("reviewer1", "lead1", "admin")
MANAGERS = ("lead1", "admin")

# (name, path template, main action selector, roles that may open it)
PAGES = [
    ("home", "/", "main h1, main h2", ROLES),
    ("task-writer", "/tasks/{bread}/", "#submit-task", ("writer1",)),
    ("task-reader", "/tasks/{vaccines}/", ".cm-content", ("reviewer1", "lead1", "admin")),
    ("task-code", "/tasks/{chunk}/", ".cm-content", ROLES),
    ("review-index", "/review/", "[data-testid=review-projects] a", OVERSEERS),
    ("queue", "/review/explain/?status=all", "[data-testid=queue] thead th:last-child",
     OVERSEERS),
    ("player", "/review/tasks/{vaccines}/", "#play-button", OVERSEERS),
    ("player-gold", "/review/tasks/{tides}/", "[data-testid=gold-panel]", OVERSEERS),
    ("gold", "/review/tasks/{tides}/gold/", "[data-testid=gold-form] button", MANAGERS),
    ("writers", "/review/explain/writers/", "[data-testid=writers]", OVERSEERS),
    ("judge", "/review/explain/judge/", "[data-testid=judge-overall]", OVERSEERS),
    ("overlap-groups", "/review/explain/groups/", "[data-testid=overlap-groups] a", OVERSEERS),
    ("overlap-group", "/review/groups/{group}/", "#ranking-form button[type=submit]",
     OVERSEERS),
    ("webhooks", "/review/explain/webhooks/", "[data-testid=webhook-create] button",
     MANAGERS),
    ("model-help", "/projects/explain/model-help/", "[data-testid=model-help-form] button",
     MANAGERS),
    ("experiments", "/review/explain/experiments/", "[data-testid=experiments] tbody a",
     OVERSEERS),
    ("experiment", "/review/explain/experiments/{experiment}/", "[data-testid=variants]",
     OVERSEERS),
    ("tokens", "/account/tokens/", "[data-testid=api-token] button", ROLES),
    # A superuser gets Django's debug page while DEBUG is on (oversight/errorpages.py).
    ("not-found", "/no/such/page/", "main a[href='/']", ("writer1", "reviewer1", "lead1")),
]
EXPECTED_STATUS = {"not-found": 404}

JS_LAYOUT = """(main) => {
  const doc = document.documentElement
  const problems = []
  if (doc.scrollWidth > doc.clientWidth + 1) {
    problems.push(`page ${doc.scrollWidth} > ${doc.clientWidth}`)
  }
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
  for (const table of document.querySelectorAll('table')) {
    let box = table.parentElement
    while (box && box !== document.body && !scrolls(box)) box = box.parentElement
    if (box && box !== document.body) continue  // it scrolls inside its own container
    const parent = table.parentElement.getBoundingClientRect()
    const r = table.getBoundingClientRect()
    if (r.right > parent.right + 1) {
      problems.push(`table ${table.dataset.testid || table.className} overflows`)
    }
  }
  const action = document.querySelector(main)
  if (!action) problems.push(`no main action ${main}`)
  else {
    const r = action.getBoundingClientRect()
    if (r.left < 0 || r.right > window.innerWidth + 1 || r.width === 0) {
      problems.push(`main action ${main} out of sight: ${r.left}..${r.right}`)
    }
  }
  return problems
}"""
JS_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']})
  return result.violations.filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '))
}"""


def _expected(response, status: int) -> bool:
    """The page's own answer when the page is an error page (the 404 visit)."""
    return response.status == status and response.request.is_navigation_request()


def _expected_console(text: str, status: int) -> bool:
    return status != 200 and f"status of {status}" in text


@pytest.fixture(scope="module")
def demo_ids(live_app):
    return live_app.query("""
from oversight.workspace.models import OverlapGroup, Task
ids = dict(Task.objects.filter(external_id__in=["explain-stale-bread", "explain-vaccines",
    "pyfuncs-chunk", "explain-tides"]).values_list("external_id", "pk"))
from oversight.experiments.models import Experiment
result = {"bread": ids["explain-stale-bread"], "vaccines": ids["explain-vaccines"],
          "chunk": ids["pyfuncs-chunk"], "tides": ids["explain-tides"],
          "group": OverlapGroup.objects.get(external_id="explain-rainbow").pk,
          "experiment": Experiment.objects.get(project__slug="explain").pk}
""")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_works_and_is_accessible(chromium, live_app, demo_ids, artifacts_dir,
                                                role):
    require_or_skip(AXE.is_file(), "axe-core is missing: run `cd tests/interop && npm ci`")
    failures = []
    for width, height in VIEWPORTS:
        context, page, errors = open_as(chromium, live_app, role, viewport=(width, height),
                                        bypass_csp=True)  # to inject axe-core
        console, failed, bad, expected = [], [], [], {"status": 200}
        page.on("console", lambda m, c=console, e=expected: c.append(m.text)
                if m.type == "error" and not _expected_console(m.text, e["status"]) else None)
        page.on("requestfailed", lambda r, f=failed: f.append(f"{r.url} {r.failure}"))
        page.on("response", lambda r, b=bad, e=expected: b.append(f"{r.status} {r.url}")
                if r.status >= 400 and not _expected(r, e["status"]) else None)
        try:
            for name, path, main, roles in PAGES:
                if role not in roles:
                    continue
                where = f"{role} {name} {width}px"
                expected["status"] = EXPECTED_STATUS.get(name, 200)
                response = page.goto(live_app.base_url + path.format(**demo_ids))
                assert response.status == EXPECTED_STATUS.get(name, 200), where
                page.wait_for_load_state("networkidle")
                problems = page.evaluate(JS_LAYOUT, main)
                if width == 1280:
                    page.add_script_tag(path=str(AXE))
                    problems += page.evaluate(JS_AXE)
                    page.screenshot(path=str(artifacts_dir / f"page-{role}-{name}-{width}.png"))
                problems += bad + console + failed + errors
                for seen in (bad, console, failed, errors):
                    seen.clear()
                if problems:
                    failures.append(f"{where}: {problems}")
        finally:
            context.close()
    assert not failures, "\n".join(failures)
