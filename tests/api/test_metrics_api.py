"""GET /api/tasks/<id>/metrics/: the trajectory's signals, for those who may read them."""

import pytest

from oversight.core.verifier_summary import SUMMARY_KEYS
from tests.factories import add_edits, api_client

pytestmark = pytest.mark.django_db

SIGNAL_KEYS = {"changed_share", "chars_inserted", "chars_deleted", "active_seconds", "events",
               "paste_share", "largest_paste", "pauses_over_2s", "mean_p_burst",
               "self_revisions", "notes", "notes_per_1k_changed", "open_to_submit_seconds",
               "flags", "final_share_draft", "final_share_typed", "final_share_pasted",
               "final_share_model", "changed_fraction", "typing_intervals", "typing_median_ms",
               "typing_dispersion", "external_paste_chars", "flag_reasons", "flag_moments",
               "untrusted_events", "untrusted_chars", "silent_inserts", "silent_chars",
               "refocus_inserts", "paste_sources"}


@pytest.fixture
def edited(team):
    add_edits(team.task1, team.writer1, "Draft. More", "Draft. More words.")
    return team


def test_metrics_are_the_trajectorys_and_have_every_signal(edited):
    client = api_client(edited.lead)
    metrics = client.get(f"/api/tasks/{edited.task1.pk}/metrics/").json()
    trajectory = client.get(f"/api/tasks/{edited.task1.pk}/trajectory/").json()
    assert set(metrics) == SIGNAL_KEYS | set(SUMMARY_KEYS)
    assert {k: metrics[k] for k in SIGNAL_KEYS} == trajectory["metrics"]
    assert {k: metrics[k] for k in SUMMARY_KEYS} == {
        "tests_total": 0, "tests_passing_draft": None, "tests_passing_final": None,
        "first_green_seq": None, "verifier_runs": 0}
    assert (metrics["events"], metrics["chars_inserted"]) == (2, len(" More words."))


@pytest.mark.parametrize("who, status", [("writer1", 200), ("reviewer", 200), ("lead", 200),
                                         ("writer2", 404), ("outsider", 404)])
def test_who_may_read_a_tasks_metrics(edited, who, status):
    response = api_client(getattr(edited, who)).get(f"/api/tasks/{edited.task1.pk}/metrics/")
    assert response.status_code == status


def test_anonymous_requests_are_refused(edited):
    assert api_client().get(f"/api/tasks/{edited.task1.pk}/metrics/").status_code == 401
