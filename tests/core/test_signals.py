"""Quality signals pinned on crafted trajectories with known answers."""

import time

import pytest

from oversight.core.signals import compute_signals, self_revisions

from .factories import event, events_from

KEYS = {"changed_share", "chars_inserted", "chars_deleted", "active_seconds", "events",
        "paste_share", "largest_paste", "pauses_over_2s", "mean_p_burst", "self_revisions",
        "notes", "notes_per_1k_changed", "open_to_submit_seconds", "flags",
        "changed_fraction", "typing_intervals", "typing_median_ms", "typing_dispersion",
        "external_paste_chars", "flag_reasons", "flag_moments", "untrusted_events",
        "untrusted_chars", "silent_inserts", "silent_chars", "refocus_inserts", "paste_sources"}


def signals(draft, final, events, notes=0, opened=None, submitted=None, thresholds=None):
    return compute_signals(draft, final, events, notes, opened, submitted, thresholds or {})


# Inter-key intervals as a person's vary: fast digraphs, slower word boundaries.
HUMAN_MS = (90, 210, 140, 600, 120, 330, 180, 95, 1_200, 160)


def human_times(n, start=0):
    times, t = [], start
    for i in range(n):
        t += HUMAN_MS[i % len(HUMAN_MS)]
        times.append(t)
    return times


def paste_and_type(draft=""):
    """500 pasted characters, then 100 typed one by one at a person's pace."""
    events = [event(1, [{"insert": "p" * 500}], t_ms=0, kind="input.paste")]
    for i, t in enumerate(human_times(100)):
        events.append(event(i + 2, [{"retain": 500 + i}, {"insert": "t"}], t_ms=t))
    return events


def test_the_signals_have_exactly_the_documented_keys():
    assert set(signals("a", "a", [])) == KEYS


def test_changed_share_is_levenshtein_distance_per_draft_character():
    assert signals("kitten", "sitting", [])["changed_share"] == pytest.approx(3 / 6)
    assert signals("", "abc", [])["changed_share"] == 3.0  # can exceed 1
    assert signals("same", "same", [])["changed_share"] == 0.0


def test_changed_fraction_is_distance_over_the_longer_text_so_stays_within_one():
    assert signals("kitten", "sitting", [])["changed_fraction"] == pytest.approx(3 / 7)
    assert signals("", "abc", [])["changed_fraction"] == 1.0
    assert signals("abcdef", "", [])["changed_fraction"] == 1.0
    assert signals("", "", [])["changed_fraction"] == 0.0
    assert signals("x" * 300, "y" * 450, [])["changed_fraction"] == 1.0  # share: 1.5


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


def test_a_barely_touched_quick_submission_of_a_long_draft_is_a_rubber_stamp():
    draft = "x" * 4_000
    events = [event(1, [{"retain": 10}, {"insert": "y"}], t_ms=0),
              event(2, [{"retain": 20}, {"insert": "y"}], t_ms=14_000)]
    s = signals(draft, draft[:10] + "y" + draft[10:20] + "y" + draft[20:], events, notes=1)
    assert s["flags"] == ["rubber_stamp"]
    assert s["flag_reasons"]["rubber_stamp"] == (
        "14 s on a 4,000-character draft (3.5 s per 1,000 characters); 0.0% changed")


def test_a_quick_fix_of_a_short_draft_is_not_a_rubber_stamp():
    # 120 characters rewritten in a 300-character draft within 40 s: real work.
    draft = "d" * 300
    events = [event(i + 1, [{"retain": i}, {"delete": 1}, {"insert": "f"}], t_ms=t)
              for i, t in enumerate(human_times(120))]
    s = signals(draft, "f" * 120 + "d" * 180, events, notes=1)
    assert s["changed_fraction"] == pytest.approx(0.4)
    assert s["flags"] == []
    # Reading counts: nothing changed on a short draft after a minute open is no stamp.
    assert signals(draft, draft, [], opened=0, submitted=60_000)["flags"] == []
    assert signals(draft, draft, [], opened=0, submitted=3_000)["flags"] == ["rubber_stamp"]


def test_careful_typed_work_with_notes_raises_no_flag():
    events = [event(i + 1, [{"retain": i}, {"insert": "w"}], t_ms=t)
              for i, t in enumerate(human_times(300))]
    s = signals("", "w" * 300, events, notes=2)
    assert s["active_seconds"] == pytest.approx(sum(HUMAN_MS) * 30 / 1000 - 0.09)
    assert s["flags"] == [] and s["flag_reasons"] == {} and s["flag_moments"] == {}


def test_many_changes_without_notes_is_no_reasoning_and_pasting_only_is_burst_only():
    s = signals("", "p" * 500 + "t" * 100, paste_and_type())
    # 100 typed of 600 inserted is 1/6: above the 10 % burst-only threshold.
    assert s["flags"] == ["external_paste", "no_reasoning", "paste_heavy"]
    assert s["flag_reasons"]["paste_heavy"] == (
        "83% of 600 inserted characters pasted from outside the task (largest paste 500)")
    assert s["flag_reasons"]["no_reasoning"] == "no note on 600 changed characters"
    assert s["flag_moments"]["paste_heavy"] == [1]
    pasted = [event(1, [{"insert": "p" * 300}], kind="input.paste"),
              event(2, [{"insert": "t" * 10}], kind="input.type")]
    assert "burst_only" in signals("", "t" * 10 + "p" * 300, pasted)["flags"]


def test_thresholds_override_the_defaults_key_by_key():
    s = signals("", "p" * 500 + "t" * 100, paste_and_type(),
                thresholds={"paste_heavy_share": 0.9, "external_paste_min_chars": 501})
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
