"""Evidence from the browser in the signals: untrusted input, silent inserts, refocus, sources."""

from oversight.core.evidence import event_evidence, focus_interval
from oversight.core.signals import compute_signals
from oversight.core.trajectory import event_from_dict, event_to_dict
from oversight.core.trajectory_import import check_record

from .factories import event, trajectory_dict

DRAFT = "The sky is violet because air scatters short wavelengths the most of all."
PROMPT = "Explain why the sky is blue to a curious twelve-year-old reader, briefly."
HELP = "Sunlight holds every colour; air scatters blue light far more than red light."
OUTSIDE = ("Rayleigh scattering goes as the inverse fourth power of wavelength, so at noon "
           "the diffuse skylight is dominated by the blue end of the visible spectrum.")


def typed(text, start_seq=1, at=0, start_t=0, step=180, evidence=None):
    return [event(start_seq + i, [{"retain": at + i}, {"insert": c}],
                  t_ms=start_t + i * step, evidence=evidence) for i, c in enumerate(text)]


def signals(events, draft=DRAFT, help_texts=(), final=None):
    text = draft
    for e in events:  # replay for the final
        out, i = [], 0
        for op in e.ops:
            if "retain" in op:
                out.append(text[i:i + op["retain"]])
                i += op["retain"]
            elif "delete" in op:
                i += op["delete"]
            else:
                out.append(op["insert"])
        text = "".join(out) + text[i:]
    return compute_signals(draft, text, events, 1, None, None, {}, known_texts=(PROMPT,),
                           model_help=help_texts)


def test_untrusted_input_raises_its_flag_with_reason_and_moments():
    events = typed("programmatic keys here", evidence={"untrusted": True})
    s = signals(events)
    assert s["untrusted_events"] == 22 and s["untrusted_chars"] == 22
    assert "untrusted_input" in s["flags"]
    assert s["flag_reasons"]["untrusted_input"].startswith("22 characters inserted by 22 edits")
    assert s["flag_moments"]["untrusted_input"] == [1, 2, 3, 4, 5]


def test_a_few_untrusted_characters_or_honest_typing_raise_nothing():
    assert "untrusted_input" not in signals(typed("fix", evidence={"untrusted": True}))["flags"]
    honest = signals(typed("an honest writer typing words at a pace"))
    assert honest["untrusted_events"] == honest["silent_inserts"] == 0
    assert "untrusted_input" not in honest["flags"]


def test_a_silent_insert_counts_as_a_paste_whatever_the_client_reported():
    e = event(1, [{"insert": OUTSIDE}], t_ms=0, kind="input.type",
              evidence={"silent": True})
    s = signals([e])
    assert s["silent_inserts"] == 1 and s["silent_chars"] == len(OUTSIDE)
    assert s["paste_share"] == 1.0 and s["paste_sources"] == {"1": "external"}
    assert {"external_paste", "paste_heavy"} <= set(s["flags"])
    # The same insert without the mark, reported as typed at a human pace, stays typing.
    plain = signals([event(1, [{"insert": "ab"}], t_ms=0, kind="input.type")])
    assert plain["paste_sources"] == {}


def test_each_paste_gets_its_source():
    pastes = [(DRAFT[4:40], "draft"), (PROMPT[8:50], "prompt"), (HELP, "model_help"),
              (OUTSIDE, "external"), ("short", "unknown")]
    events, t = [], 0
    for seq, (text, _) in enumerate(pastes, 1):
        events.append(event(seq, [{"insert": text}], t_ms=t, kind="input.paste"))
        events.append(event(seq + 100, [{"insert": "x"}], t_ms=t + 500))  # ends the run
        t += 5_000
    events = [event(i, e.ops, t_ms=e.t_ms, kind=e.kind) for i, e in enumerate(events, 1)]
    # Then the task's own typed text copied again.
    events.append(event(len(events) + 1, [{"insert": OUTSIDE[:40]}], t_ms=t,
                        kind="input.paste"))
    s = signals(events, help_texts=(HELP,))
    assert s["paste_sources"] == {"1": "draft", "3": "prompt", "5": "model_help",
                                  "7": "external", "9": "unknown", "11": "task"}
    # A model-help response pasted is not external.
    assert s["external_paste_chars"] == len(OUTSIDE)


def test_an_external_paste_right_after_refocus_says_so():
    e = event(1, [{"insert": OUTSIDE}], t_ms=0, kind="input.paste",
              evidence={"after_refocus": True})
    s = signals([e])
    assert s["refocus_inserts"] == 1
    assert s["flag_reasons"]["external_paste"].endswith(
        "(in 1 paste); 1 right after the window got focus back")
    assert s["flag_moments"]["external_paste"] == [1]


def test_a_recorded_paste_source_stands():
    e = event(1, [{"insert": OUTSIDE}], t_ms=0, kind="input.paste",
              evidence={"paste_source": "model_help"})
    s = signals([e])
    assert s["paste_sources"] == {"1": "model_help"} and s["external_paste_chars"] == 0


def test_events_carry_their_evidence_through_the_v1_record():
    e = event(3, [{"insert": "x"}], evidence={"untrusted": True, "silent": True})
    d = event_to_dict(e, "external")
    assert d["untrusted"] is True and d["silent"] is True and d["paste_source"] == "external"
    assert "after_refocus" not in d
    back = event_from_dict(d)
    assert back.evidence == {"untrusted": True, "silent": True, "paste_source": "external"}
    assert "untrusted" not in event_to_dict(event(4, [{"insert": "y"}]))


def test_import_checks_evidence_and_focus_intervals():
    problems = []
    assert event_evidence({"untrusted": "yes", "paste_source": "web"}, "events[0]",
                          problems) is None
    assert problems == ["events[0].untrusted: expected true or false",
                        "events[0].paste_source: expected one of draft, prompt, model_help, "
                        "task, external, unknown"]
    problems = []
    assert focus_interval({"author": "ana", "client": 1, "lost_t_ms": 9, "back_t_ms": 3},
                          "focus[0]", problems) is None
    assert problems == ["focus[0]: expected {lost_t_ms, back_t_ms} integers, lost before back"]
    record = trajectory_dict(events=[event(1, [{"insert": "x"}], evidence={"silent": True})],
                             final="x", draft="")
    record["events"][0]["silent"] = 1
    record["focus"] = [{"author": "ana", "client": 7, "lost_t_ms": 0, "back_t_ms": "5"}]
    _, problems = check_record(record)
    assert problems == ["events[0].silent: expected true or false",
                        "focus[0]: expected {lost_t_ms, back_t_ms} integers, lost before back"]
    record["events"][0]["silent"] = True
    record["focus"][0]["back_t_ms"] = 5
    events, problems = check_record(record)
    assert problems == [] and events[0].evidence == {"silent": True}
