"""Quality signals pinned on crafted trajectories with known answers."""

import time

import pytest

from oversight.core.signals import DEFAULT_THRESHOLDS, compute_signals, self_revisions

from .factories import event, events_from

KEYS = {"changed_share", "chars_inserted", "chars_deleted", "active_seconds", "events",
        "paste_share", "largest_paste", "pauses_over_2s", "mean_p_burst", "self_revisions",
        "notes", "notes_per_1k_changed", "open_to_submit_seconds", "flags"}


def signals(draft, final, events, notes=0, opened=None, submitted=None, thresholds=None):
    return compute_signals(draft, final, events, notes, opened, submitted, thresholds or {})


def paste_and_type(draft=""):
    """500 pasted characters, then 100 typed one by one, 100 ms apart."""
    events = [event(1, [{"insert": "p" * 500}], t_ms=0, kind="input.paste")]
    for i in range(100):
        events.append(event(i + 2, [{"retain": 500 + i}, {"insert": "t"}], t_ms=(i + 1) * 100))
    return events


def test_the_signals_have_exactly_the_documented_keys():
    assert set(signals("a", "a", [])) == KEYS
    assert DEFAULT_THRESHOLDS == {
        "rubber_stamp_changed_share": 0.02, "rubber_stamp_active_seconds": 60,
        "paste_heavy_share": 0.5, "no_reasoning_min_changed_chars": 200,
        "burst_only_min_typed_share": 0.1}


def test_changed_share_is_levenshtein_distance_per_draft_character():
    assert signals("kitten", "sitting", [])["changed_share"] == pytest.approx(3 / 6)
    assert signals("", "abc", [])["changed_share"] == 3.0  # can exceed 1
    assert signals("same", "same", [])["changed_share"] == 0.0


def test_paste_share_counts_pasted_characters_among_all_inserted():
    s = signals("", "p" * 500 + "t" * 100, paste_and_type())
    assert s["paste_share"] == pytest.approx(500 / 600)
    assert s["largest_paste"] == 500
    assert s["chars_inserted"] == 600 and s["chars_deleted"] == 0
    assert s["events"] == 101
    assert "paste_heavy" in s["flags"]


def test_an_unreported_paste_like_insert_counts_as_a_paste():
    events = [event(1, [{"insert": "x" * 30}], kind=""), event(2, [{"insert": "y"}], kind="")]
    s = signals("", "y" + "x" * 30, events)
    assert s["paste_share"] == pytest.approx(30 / 31) and s["largest_paste"] == 30


def test_no_inserts_means_no_paste_share():
    s = signals("abc", "", [event(1, [{"delete": 3}], kind="delete.selection")])
    assert s["paste_share"] == 0.0 and s["largest_paste"] == 0 and s["chars_deleted"] == 3


def test_active_time_skips_gaps_over_two_minutes_and_pauses_count_gaps_over_2s():
    times = [0, 1_000, 3_000, 5_500, 205_500, 206_000, 326_000]
    # gaps: 1 s, 2 s (not a pause), 2.5 s, 200 s (away), 0.5 s, exactly 120 s (counted)
    events = [event(i + 1, [{"insert": "a"}], t_ms=t) for i, t in enumerate(times)]
    s = signals("", "a" * 7, events)
    assert s["active_seconds"] == pytest.approx(1 + 2 + 2.5 + 0.5 + 120)
    assert s["pauses_over_2s"] == 3


def test_mean_p_burst_averages_typed_characters_between_pauses():
    events = events_from([
        ([{"insert": "ab"}], 0, "ana", "input.type"),
        ([{"insert": "c"}], 1_000, "ana", "input.type"),  # burst 1: 3 typed
        ([{"insert": "z" * 30}], 6_000, "ana", "input.paste"),  # burst 2: none typed
        ([{"insert": "d"}], 10_000, "ana", "input.type"),
        ([{"delete": 1}], 11_000, "ana", "delete.backward"),  # burst 3: 1 typed
    ])
    assert signals("", "", events)["mean_p_burst"] == pytest.approx(2.0)
    assert signals("x", "", [event(1, [{"delete": 1}], kind="delete.backward")])[
        "mean_p_burst"] == 0.0


def test_self_revisions_count_deletions_of_ones_own_insertions_once_per_event():
    events = events_from([
        ([{"insert": "XY"}], 0, "ana", "input.paste"),  # XYabc
        ([{"delete": 1}], 1, "bea", "delete.forward"),  # Yabc: bea removes ana's X
        ([{"retain": 1}, {"delete": 1}], 2, "ana", "delete.forward"),  # Ybc: the draft's a
        ([{"retain": 3}, {"insert": "ZZ"}], 3, "bea", "input.type"),  # YbcZZ
        ([{"delete": 2}], 4, "ana", "delete.selection"),  # cZZ: ana's Y (and draft b)
        ([{"retain": 1}, {"delete": 2}], 5, "bea", "delete.selection"),  # c: bea's ZZ
    ])
    assert self_revisions("abc", events) == 2
    assert signals("abc", "c", events)["self_revisions"] == 2


def test_a_replacement_of_ones_own_word_is_a_self_revision():
    events = [event(1, [{"insert": "teh"}]),
              event(2, [{"delete": 3}, {"insert": "the"}], kind="input.type")]
    assert self_revisions("", events) == 1


def test_self_revisions_tell_hundreds_of_authors_apart():
    events = [event(i + 1, [{"insert": "a"}], author=f"u{i}") for i in range(300)]
    events.append(event(301, [{"delete": 1}], author="u299"))  # u299 typed the first char
    events.append(event(302, [{"retain": 298}, {"delete": 1}], author="u5"))  # u1's char
    assert self_revisions("", events) == 1


def test_notes_per_thousand_changed_characters_and_open_to_submit():
    s = signals("", "p" * 500 + "t" * 100, paste_and_type(), notes=3, opened=1_000,
                submitted=91_000)
    assert s["notes"] == 3
    assert s["notes_per_1k_changed"] == pytest.approx(5.0)
    assert s["open_to_submit_seconds"] == pytest.approx(90.0)
    assert signals("a", "a", [], notes=2)["notes_per_1k_changed"] == 0.0
    assert signals("a", "a", [], opened=5)["open_to_submit_seconds"] is None


def test_a_barely_touched_quick_submission_is_a_rubber_stamp():
    draft = "x" * 1000
    events = [event(1, [{"retain": 10}, {"insert": "y"}], kind="input.type")]
    s = signals(draft, draft[:10] + "y" + draft[10:], events, notes=1)
    assert s["flags"] == ["rubber_stamp"]


def test_careful_typed_work_with_notes_raises_no_flag():
    events = [event(i + 1, [{"retain": i}, {"insert": "w"}], t_ms=i * 500) for i in range(300)]
    s = signals("", "w" * 300, events, notes=2)
    assert s["active_seconds"] == pytest.approx(149.5)
    assert s["flags"] == []


def test_many_changes_without_notes_is_no_reasoning_and_pasting_only_is_burst_only():
    s = signals("", "p" * 500 + "t" * 100, paste_and_type())
    # 100 typed of 600 inserted is 1/6: above the 10 % burst-only threshold.
    assert s["flags"] == ["no_reasoning", "paste_heavy", "rubber_stamp"]
    pasted = [event(1, [{"insert": "p" * 300}], kind="input.paste"),
              event(2, [{"insert": "t" * 10}], kind="input.type")]
    assert "burst_only" in signals("", "t" * 10 + "p" * 300, pasted)["flags"]


def test_thresholds_override_the_defaults_key_by_key():
    s = signals("", "p" * 500 + "t" * 100, paste_and_type(),
                thresholds={"paste_heavy_share": 0.9, "rubber_stamp_active_seconds": 5})
    assert s["flags"] == ["no_reasoning"]


def test_self_revisions_stay_fast_on_a_long_document():
    draft = "x" * 100_000
    events = []
    for i in range(20_000):
        at = (i * 7919) % 100_000
        ops = [{"retain": at}, {"insert": "y"}] if i % 2 else [{"retain": at}, {"delete": 1}]
        events.append(event(i + 1, ops))
    start = time.perf_counter()
    self_revisions(draft, events)
    assert time.perf_counter() - start < 5.0  # ~10 µs per event idle; generous for busy CI
