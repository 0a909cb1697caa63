"""The overlap group's ranking form in Chromium: drag, keyboard, ties, stored as shown."""

from __future__ import annotations

import pytest

from tests.live.helpers import open_as

pytestmark = pytest.mark.browser


@pytest.fixture
def rainbow(live_app):
    return live_app.query("""
from oversight.workspace.models import OverlapGroup
group = OverlapGroup.objects.get(external_id="explain-rainbow")
result = {"group": group.pk, "tasks": {t.assignees.get().username: t.pk
                                       for t in group.tasks.all()}}
""")


def _order(page) -> list[str]:
    return page.eval_on_selector_all("#ranking-list .ranking-item",
                                     "items => items.map(i => i.dataset.task)")


def test_a_lead_ranks_by_dragging_and_by_keyboard(chromium, live_app, rainbow):
    ids = {name: str(pk) for name, pk in rainbow["tasks"].items()}
    context, page, errors = open_as(chromium, live_app, "lead1", viewport=(1366, 768))
    try:
        page.goto(f"{live_app.base_url}/review/groups/{rainbow['group']}/")
        # lead1 has not ranked yet: the finals in sibling order, no ties.
        assert _order(page) == [ids["writer1"], ids["writer2"], ids["writer3"]]
        item = "#ranking-list .ranking-item[data-task='{}']".format
        # Drag writer3 onto the upper half of writer1: it goes first.
        page.drag_and_drop(item(ids["writer3"]), item(ids["writer1"]),
                           target_position={"x": 40, "y": 3})
        assert _order(page) == [ids["writer3"], ids["writer1"], ids["writer2"]]
        # Keyboard: writer1 focused, Alt+ArrowDown moves it below writer2.
        page.focus(item(ids["writer1"]))
        page.keyboard.press("Alt+ArrowDown")
        assert _order(page) == [ids["writer3"], ids["writer2"], ids["writer1"]]
        assert "position 3 of 3" in page.text_content("#ranking-status")
        # The first cannot be tied; writer1 tied with writer2 shares place 2.
        assert page.is_disabled(f"{item(ids['writer3'])} .ranking-tie input")
        page.check(f"{item(ids['writer1'])} .ranking-tie input")
        places = page.eval_on_selector_all(
            "#ranking-list .ranking-place", "els => els.map(e => e.textContent)")
        assert places == ["1.", "2.", "2."]
        page.fill("textarea[name=reason]", "writer3 put the Sun right; the others tie.")
        page.click("#ranking-form button[type=submit]")
        page.wait_for_selector("[data-testid=rankings]")
        stored = live_app.query("""
from oversight.overlap.models import Ranking
r = Ranking.objects.get(reviewer__username="lead1")
result = {"tiers": r.tiers, "reason": r.reason}
""")
        assert stored == {"tiers": [[int(ids["writer3"])],
                                    [int(ids["writer2"]), int(ids["writer1"])]],
                          "reason": "writer3 put the Sun right; the others tie."}
        # The page shows the stored order back, tie included.
        assert _order(page) == [ids["writer3"], ids["writer2"], ids["writer1"]]
        assert page.is_checked(f"{item(ids['writer1'])} .ranking-tie input")
        assert not errors
    finally:
        context.close()
        live_app.query("""
from oversight.overlap.models import Ranking
Ranking.objects.filter(reviewer__username="lead1").delete()
result = True
""")
