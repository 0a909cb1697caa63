"""Typing rhythm, disguised pastes and where pasted text came from, on crafted sessions."""

import random

import pytest

from oversight.core.signals import compute_signals

from .factories import event
from .test_signals import human_times


def signals(draft, final, events, **kw):
    return compute_signals(draft, final, events, 1, None, None, {}, **kw)


def typed(times, text="w", start_seq=1, offset=0, kind="input.type"):
    return [event(start_seq + i, [{"retain": offset + i}, {"insert": text}], t_ms=t, kind=kind)
            for i, t in enumerate(times)]


def test_keystrokes_at_a_constant_rate_are_synthetic_typing():
    s = signals("", "w" * 200, typed([i * 120 for i in range(200)]))
    assert s["typing_intervals"] == 199 and s["typing_median_ms"] == 120.0
    assert s["typing_dispersion"] == pytest.approx(1.0)
    assert s["flags"] == ["synthetic_typing"]
    assert "too even" in s["flag_reasons"]["synthetic_typing"]
    assert s["flag_moments"]["synthetic_typing"] == [1]


def test_uniformly_jittered_keystrokes_are_synthetic_and_a_persons_are_not():
    rng = random.Random(3)
    t, times = 0, []
    for _ in range(300):
        t += rng.uniform(90, 180)
        times.append(int(t))
    assert signals("", "w" * 300, typed(times))["flags"] == ["synthetic_typing"]
    assert signals("", "w" * 300, typed(human_times(300)))["flags"] == []


def test_keystrokes_far_above_human_speed_are_synthetic_however_uneven():
    s = signals("", "w" * 200, typed(human_times(200), kind=""))
    assert "synthetic_typing" not in s["flags"]
    fast = [t // 20 for t in human_times(200)]  # median 8 ms
    s = signals("", "w" * 200, typed(fast))
    assert s["flags"] == ["synthetic_typing"] and "faster than a person" in (
        s["flag_reasons"]["synthetic_typing"])


def test_too_few_keystrokes_are_not_judged():
    assert signals("", "w" * 30, typed([i * 100 for i in range(30)]))["flags"] == []


def test_a_short_run_faster_than_a_hand_counts_as_pasted_whatever_was_reported():
    events = [event(1, [{"insert": "a"}], t_ms=0),
              event(2, [{"retain": 1}, {"insert": "bcdefghij"}], t_ms=50)]  # 9 chars in 50 ms
    s = signals("", "abcdefghij", events)
    assert s["paste_share"] == pytest.approx(9 / 10) and s["largest_paste"] == 9
    slow = [event(1, [{"insert": "a"}], t_ms=0),
            event(2, [{"retain": 1}, {"insert": "bcdefghij"}], t_ms=2_000)]  # an IME, say
    assert signals("", "abcdefghij", slow)["paste_share"] == 0.0
    indent = [event(1, [{"insert": "a"}], t_ms=0),
              event(2, [{"retain": 1}, {"insert": "\n        "}], t_ms=10)]  # Enter, auto-indent
    assert signals("", "a\n        ", indent)["paste_share"] == 0.0


ANSWER = ("Photosynthesis converts light energy into chemical energy stored in glucose, "
          "releasing oxygen as a by-product of splitting water molecules. ") * 3


def test_pasting_text_from_outside_the_task_is_an_external_paste():
    draft = "Plants make food from sunlight."
    events = [event(1, [{"delete": len(draft)}, {"insert": ANSWER}], t_ms=0, kind="input.paste")]
    s = signals(draft, ANSWER, events)
    assert s["external_paste_chars"] == len(ANSWER)
    assert {"external_paste", "paste_then_polish"} <= set(s["flags"])
    assert s["flag_moments"]["external_paste"] == [1]
    assert s["flag_reasons"]["external_paste"] == (
        f"{len(ANSWER):,} pasted characters not in the draft, prompt, model help or earlier "
        "text (in 1 paste)")


def test_pasting_the_tasks_own_text_is_not_external():
    draft = ANSWER
    moved = [event(1, [{"delete": 100}], t_ms=0, kind="delete.cut"),
             event(2, [{"retain": len(draft) - 100}, {"insert": draft[:100]}], t_ms=900,
                   kind="input.paste")]
    assert signals(draft, draft[100:] + draft[:100], moved)["external_paste_chars"] == 0
    # The prompt (or a model-help response) is the task's own text too.
    events = [event(1, [{"insert": ANSWER}], t_ms=0, kind="input.paste")]
    assert signals("", ANSWER, events, known_texts=(ANSWER.upper(),))["external_paste_chars"] == 0
    # Text typed earlier in the session, cut and pasted back, is the writer's own.
    own = typed(human_times(len(ANSWER)), text="x")
    own.append(event(len(own) + 1, [{"insert": "x" * 60}], t_ms=10**6, kind="input.paste"))
    assert signals("", "x" * (len(ANSWER) + 60), own)["external_paste_chars"] == 0


def test_a_paste_reworked_afterwards_is_not_paste_then_polish():
    events = [event(1, [{"insert": ANSWER}], t_ms=0, kind="input.paste")]
    events += typed(human_times(120, start=5_000), text="z", start_seq=2, offset=len(ANSWER))
    s = signals("", ANSWER + "z" * 120, events)
    assert "paste_then_polish" not in s["flags"] and "external_paste" in s["flags"]
    light = events[:1] + events[1:11]
    s = signals("", ANSWER + "z" * 10, light)
    assert "paste_then_polish" in s["flags"]
    assert "followed by 10 changed characters" in s["flag_reasons"]["paste_then_polish"]
