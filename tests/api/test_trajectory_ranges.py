"""The trajectory in pieces: the overview and events by seq range equal the full record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.traces import playback
from oversight.traces.models import EditEvent, FocusLoss
from oversight.traces.services import note_create
from tests.factories import add_edits, api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(team):
    texts = [f"Draft. {'word ' * n}" for n in range(1, 41)]
    add_edits(team.task1, team.writer1, *texts, checkpoint=True)
    add_edits(team.task1, team.writer2, texts[-1] + "PASTED " * 20, kind="input.paste")
    return team


def _get(team, path, who="lead"):
    return api_client(getattr(team, who)).get(f"/api/tasks/{team.task1.pk}/trajectory/{path}")


def test_ranges_put_together_give_the_records_events(edited):
    record = _get(edited, "").json()
    pieces = []
    for start in range(1, 42, 7):
        answer = _get(edited, f"events/?from_seq={start}&to_seq={start + 6}").json()
        assert answer["from_seq"] == start and answer["last_seq"] == 41
        assert answer["to_seq"] == min(41, start + 6)
        pieces += answer["events"]
    # paste_source is the signals' judgement over the whole trace: the player page has
    # it (config.pasteSources); a range carries what is stored with each event.
    assert pieces == [{k: v for k, v in e.items() if k != "paste_source"}
                      for e in record["events"]]


def test_ranges_carry_each_events_stored_evidence(edited):
    EditEvent.objects.filter(task=edited.task1, seq=5).update(
        evidence={"untrusted": True, "after_refocus": True})
    [event] = _get(edited, "events/?from_seq=5&to_seq=5").json()["events"]
    assert event["untrusted"] is True and event["after_refocus"] is True
    assert "silent" not in event


def test_the_range_is_cut_to_the_trace_and_to_the_maximum(edited, monkeypatch):
    monkeypatch.setattr(playback, "MAX_RANGE", 10)
    first = _get(edited, "events/").json()
    assert (first["from_seq"], first["to_seq"]) == (1, 10)
    assert [e["seq"] for e in first["events"]] == list(range(1, 11))
    tail = _get(edited, "events/?from_seq=35&to_seq=900").json()
    assert [e["seq"] for e in tail["events"]] == list(range(35, 42))
    past = _get(edited, "events/?from_seq=50").json()
    assert past["events"] == [] and past["to_seq"] == 49


@pytest.mark.parametrize("query", ["from_seq=0", "from_seq=x", "to_seq=-3", "from_seq=9&to_seq=3"])
def test_bad_bounds_are_refused(edited, query):
    response = _get(edited, f"events/?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["events/", "overview/"])
@pytest.mark.parametrize("who, status", [("writer1", 200), ("reviewer", 200), ("writer2", 404),
                                         ("outsider", 404)])
def test_who_may_read_the_pieces(edited, path, who, status):
    assert _get(edited, path, who).status_code == status


def test_the_overview_indexes_the_whole_trace(edited):
    note_create(task=edited.task1, author=edited.writer1, seq=3, start=0, end=6, body="why")
    record = _get(edited, "").json()
    overview = _get(edited, "overview/").json()
    events = record["events"]
    assert overview["last_seq"] == 41
    assert overview["draft"] == {"text": "Draft."}
    assert overview["index_stride"] == 1  # short: every event's time
    assert overview["index_t_ms"] == [e["t_ms"] for e in events]
    assert abs(sum(overview["bins"]) - 41) <= 2 and len(overview["bins"]) == playback.BINS
    assert overview["pastes"] == [{"seq": 41, "t_ms": events[-1]["t_ms"],
                                   "author": edited.writer2.username}]
    assert overview["authors"] == [edited.writer1.username, edited.writer2.username]
    assert overview["checkpoints"] == [0]
    assert overview["duration_ms"] >= events[-1]["t_ms"]
    assert [{k: n[k] for k in ("id", "seq", "t_ms", "quote", "orphaned", "versions")}
            for n in overview["notes"]] == [
        {k: n[k] for k in ("id", "seq", "t_ms", "quote", "orphaned", "versions")}
        for n in record["notes"]]
    assert overview["verifier_runs"] == record["verifier_runs"]
    assert overview["focus"] == record["focus"] == [] and overview["marked"] == []


def test_the_overview_carries_focus_and_the_marked_events(edited):
    """The strip's grey bands and orange triangles, without reading the events."""
    task = edited.task1
    events = EditEvent.objects.filter(task=task).order_by("seq")
    first_ms = events.first().server_ms
    EditEvent.objects.filter(task=task, seq=7).update(evidence={"untrusted": True})
    EditEvent.objects.filter(task=task, seq=20).update(evidence={"silent": True,
                                                                 "untrusted": True})
    EditEvent.objects.filter(task=task, seq=30).update(evidence={"after_refocus": True})
    EditEvent.objects.filter(task=task, seq=41).update(evidence={"paste_source": "external"})
    FocusLoss.objects.create(task=task, author=edited.writer1, client_id=3,
                             lost_ms=first_ms + 2, back_ms=first_ms + 9)
    record = _get(edited, "").json()
    overview = _get(edited, "overview/").json()
    assert overview["focus"] == record["focus"] == [
        {"author": edited.writer1.username, "client": 3, "lost_t_ms": 2, "back_t_ms": 9}]
    t_ms = {e["seq"]: e["t_ms"] for e in record["events"]}
    assert overview["marked"] == [  # after_refocus and paste_source alone are not flagged
        {"seq": 7, "t_ms": t_ms[7], "author": edited.writer1.username, "marks": ["untrusted"]},
        {"seq": 20, "t_ms": t_ms[20], "author": edited.writer1.username,
         "marks": ["untrusted", "silent"]}]
    assert [e["seq"] for e in record["events"] if e.get("untrusted") or e.get("silent")] == [7, 20]


def test_marked_events_are_picked_by_the_database(edited):
    """The marked events come from a filter on the evidence column: no event's ops read."""
    task = edited.task1
    EditEvent.objects.filter(task=task, seq=9).update(evidence={"silent": True})
    last, first_ms, _ = playback.span(task)
    with CaptureQueriesContext(connection) as queries:
        assert [m["seq"] for m in playback.marked(task, first_ms, last)] == [9]
    [query] = [q["sql"] for q in queries.captured_queries if "evidence" in q["sql"]]
    assert '"ops"' not in query and "evidence" in query.split("WHERE", 1)[1]


def test_an_empty_trace_has_an_empty_overview(team):
    overview = _get(team, "overview/").json()
    assert overview["last_seq"] == 0 and overview["bins"] == [] and overview["index_t_ms"] == []
    assert _get(team, "events/").json()["events"] == []


def test_a_long_trace_is_indexed_every_stride_th_event(edited, monkeypatch):
    monkeypatch.setattr(playback, "INDEX_POINTS", 10)
    events = _get(edited, "").json()["events"]
    overview = _get(edited, "overview/").json()
    assert overview["index_stride"] == 5
    assert overview["index_t_ms"] == [e["t_ms"] for e in events if e["seq"] % 5 == 0]
    # Bins spread each stride's events over its time: the total stays the trace's.
    assert abs(sum(overview["bins"]) - 41) <= 2


def test_activity_bins_spread_events_evenly_between_index_points():
    bins = playback.activity_bins([100, 200], 10, 25, 400)
    assert sum(bins) == pytest.approx(25, abs=0.5)
    per_slice = 400 / playback.BINS
    # 10 in the first 100 ms: the 10th at 100 ms, the 9 before it spread over the time.
    assert bins[0] == pytest.approx(9 / (100 / per_slice), abs=0.01)
    assert bins[int(100 / per_slice)] == pytest.approx(1 + 9 / (100 / per_slice), abs=0.01)
    # 5 in the last 200 ms: the last at 400 ms.
    assert bins[-1] == pytest.approx(1 + 4 / (200 / per_slice), abs=0.01)


def test_an_idle_stretch_shows_no_edit_at_stride_one():
    """Every event indexed: each counts in its own slice, none in the quiet between."""
    bins = playback.activity_bins([1, 2, 3, 1000], 1, 4, 1000)
    assert sum(bins) == pytest.approx(4)
    assert bins[0] == 3 and bins[-1] == 1 and not any(bins[1:-1])


def test_an_imported_trajectory_gets_checkpoints_like_a_recorded_one(team):
    import json

    from oversight.traces import selectors
    from oversight.traces.importing import trajectories_import
    from oversight.traces.models import Checkpoint

    events = [{"seq": i + 1, "t_ms": i * 10, "author": team.writer1.username, "client": 1,
               "round": 1, "kind": "input.type", "inferred_kind": None,
               "ops": ([{"retain": i}] if i else []) + [{"insert": "ab"[i % 2]}]}
              for i in range(1203)]
    record = {"schema": "oversight.trajectory/v1", "task_id": 1, "prompt": "p",
              "draft": {"text": ""}, "events": events, "notes": []}
    (task,) = trajectories_import(project=team.project, lines=[json.dumps(record)])
    stored = dict(Checkpoint.objects.filter(task=task).values_list("seq", "text"))
    assert sorted(stored) == [500, 1000]
    assert stored[1000] == "ab" * 500
    assert selectors.text_at(task, 1203) == "ab" * 601 + "a"
