"""Gold tasks in the core: which planted flaws a final caught, validation, how often gold is due."""

import random

from oversight.core.delta import apply_ops
from oversight.core.gold import caught_flaws, flaw_problems, gold_due, gold_problems
from tests.core.helpers import ops_from_diff

DRAFT = "Paris is the capital of Germany. Water boils at 50 °C at sea level 🌍."
GERMANY = (DRAFT.index("Germany"), DRAFT.index("Germany") + len("Germany"))
FIFTY = (DRAFT.index("50"), DRAFT.index("50") + 2)
FLAWS = [{"start": GERMANY[0], "end": GERMANY[1], "description": "wrong country"},
         {"start": FIFTY[0], "end": FIFTY[1], "description": "wrong temperature"}]


def deltas_through(*texts: str) -> list[list[dict]]:
    """The deltas of an editor turning the draft into each text in turn."""
    out, before = [], DRAFT
    for after in texts:
        ops = ops_from_diff(before, after)
        assert apply_ops(before, ops) == after
        out.append(ops)
        before = after
    return out


def caught(*texts: str, flaws=FLAWS, passed=None) -> list[bool]:
    return [f["caught"] for f in caught_flaws(DRAFT, deltas_through(*texts), flaws, passed)]


def test_a_replaced_span_is_caught_and_an_untouched_one_missed():
    fixed = DRAFT.replace("Germany", "France")
    assert caught(fixed) == [True, False]


def test_deleting_one_character_of_the_span_catches_it():
    assert caught(DRAFT.replace("50 °C", "5 °C")) == [False, True]


def test_text_inserted_strictly_inside_the_span_catches_it():
    assert caught(DRAFT.replace("Germany", "Ger-many")) == [True, False]


def test_edits_adjacent_to_the_span_but_outside_it_are_not_caught():
    before = DRAFT[:GERMANY[0]] + "East " + DRAFT[GERMANY[0]:]  # typed at its start edge
    after = DRAFT[:GERMANY[1]] + " (really)" + DRAFT[GERMANY[1]:]  # typed at its end edge
    neighbour = DRAFT.replace("of Germany", "in Germany")  # the word before it
    assert caught(before) == [False, False]
    assert caught(after) == [False, False]
    assert caught(neighbour) == [False, False]


def test_an_edit_undone_before_submitting_leaves_the_span_as_it_was():
    typed_inside = DRAFT.replace("Germany", "Gerxmany")
    assert caught(typed_inside, DRAFT) == [False, False]


def test_a_span_deleted_and_retyped_identically_counts_as_changed():
    gone = DRAFT.replace("Germany", "")
    assert caught(gone, DRAFT) == [True, False]


def test_offsets_are_code_points_past_an_emoji():
    text = "🌍🌍 wrong 🌍"
    flaw = [{"start": 3, "end": 8, "description": "x"}]
    ops = ops_from_diff(text, "🌍🌍 right 🌍")
    assert caught_flaws(text, [ops], flaw)[0]["caught"] is True
    assert caught_flaws(text, [ops_from_diff(text, "🌍🌍 wrong 🌍!")], flaw)[0]["caught"] is False


def test_a_flaw_with_a_planted_test_also_needs_that_test_to_pass():
    flaws = [{**FLAWS[0], "test": "test_capital"}]
    fixed = DRAFT.replace("Germany", "France")
    assert caught(fixed, flaws=flaws, passed={"test_capital"}) == [True]
    assert caught(fixed, flaws=flaws, passed={"test_other"}) == [False]
    assert caught(fixed, flaws=flaws, passed=None) == [False]  # not run yet
    assert caught(DRAFT, flaws=flaws, passed={"test_capital"}) == [False]  # span untouched


def test_import_validation_names_each_field():
    flaws, errors = gold_problems({"flaws": [{"start": 5, "end": 3, "description": "x"},
                                             {"start": 0, "end": 999, "description": ""},
                                             {"start": -1, "end": 2, "description": "y",
                                              "colour": "red"}]}, DRAFT)
    assert flaws == []
    assert errors == [
        "field 'gold.flaws[0].end': end must be greater than start (5)",
        f"field 'gold.flaws[1].end': 999 is beyond the draft ({len(DRAFT)} characters)",
        "field 'gold.flaws[1].description': required, a short description of the flaw",
        "field 'gold.flaws[2].colour': unknown field (expected one of: start, end, "
        "description, test)",
        "field 'gold.flaws[2].start': must be a whole number ≥ 0",
    ]
    assert gold_problems({"flaws": []}, DRAFT)[1] == [
        "field 'gold.flaws': must be a non-empty list of flaws"]
    assert gold_problems([], DRAFT)[1] == ["field 'gold': must be a JSON object"]
    assert gold_problems({"flaws": FLAWS}, None)[1] == [
        "field 'gold': a gold task needs a draft (its flaws are spans of the draft)"]
    ok, none = gold_problems({"flaws": FLAWS}, DRAFT)
    assert none == [] and [f["start"] for f in ok] == [GERMANY[0], FIFTY[0]]
    assert flaw_problems({"start": 1, "end": 1, "description": "x"}, DRAFT) == [
        "field 'flaw.end': end must be greater than start (1)"]


def test_gold_is_due_at_the_rate_and_never_alone():
    assert not gold_due(0, 0, 0.2)  # nothing else assigned: no gold served alone
    assert not gold_due(5, 0, 0.0)
    total = gold = 0
    rng = random.Random(12)
    for _ in range(200):  # regular work arrives; gold is topped up after each
        total += rng.randint(1, 3)
        while gold_due(total, gold, 0.2):
            total, gold = total + 1, gold + 1
        assert gold / total <= 0.2 + 1e-9
    assert 0.19 <= gold / total <= 0.2
