"""Simulated concurrent clients: the recorded events replay to the server's and clients' text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.core.replay import replay
from oversight.core.simulate import DEFAULT_SNIPPETS, simulate
from oversight.core.units import cp_to_utf8

PIECES = ["a", "b", " ", "\n", "数", "漢字", "👍🏽", "👩\u200d👩\u200d👧", "e\u0301", "\u0301", "é"]
unicode_text = st.lists(st.sampled_from(PIECES), max_size=15).map("".join)


def assert_converged(result):
    assert replay(result.draft, result.events) == result.server_text
    assert result.recorded_text == result.server_text
    assert all(text == result.server_text for text in result.client_texts)
    assert [e.seq for e in result.events] == list(range(1, len(result.events) + 1))


@settings(max_examples=min(40, settings.default.max_examples), deadline=None)
@given(draft=unicode_text, clients=st.integers(2, 3), steps=st.integers(0, 60),
       seed=st.integers(0, 2**32 - 1),
       snippets=st.lists(unicode_text.filter(bool), min_size=1, max_size=5).map(tuple))
def test_events_replay_to_the_text_every_client_converges_to(draft, clients, steps, seed,
                                                               snippets):
    assert_converged(simulate(draft, clients=clients, steps=steps, seed=seed,
                              snippets=snippets))


def test_a_long_session_with_undo_records_every_kind_of_edit():
    result = simulate("héllo 数 👍🏽 e\u0301", clients=3, steps=400, seed=3,
                      snippets=DEFAULT_SNIPPETS)
    assert_converged(result)
    kinds = {e.kind for e in result.events}
    assert {"input.type", "input.paste", "delete.selection", "undo"} <= kinds
    assert {e.author for e in result.events} == {"user0", "user1", "user2"}
    assert len(result.events) > 100


def test_the_same_seed_gives_the_same_session():
    first = simulate("draft 数", steps=80, seed=11)
    second = simulate("draft 数", steps=80, seed=11)
    assert [e.ops for e in first.events] == [e.ops for e in second.events]


def test_pycrdt_indexes_text_in_utf8_bytes():
    # The fact the simulator (and the recorder) are built on: verified, not assumed.
    from pycrdt import Doc, Text

    doc = Doc()
    text = doc.get("codemirror", type=Text)
    deltas = []
    text.observe(lambda event: deltas.append(event.delta))
    text.insert(0, "a数b")
    text.insert(cp_to_utf8("a数b", 2), "!")
    assert str(text) == "a数!b"
    assert deltas[-1] == [{"retain": 4}, {"insert": "!"}]
