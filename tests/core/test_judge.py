"""The judge's prompt and its tolerant, strict-in-the-end parser of the critique answer."""

import json

import pytest

from oversight.core.judge import (
    DEFAULT_TEMPLATE,
    CritiqueParseError,
    check_template,
    critique_messages,
    parse_critique,
    repair_messages,
)

KEYS = ["need", "maintainable"]
TEXT = "def add(a, b):\n    return a + b\n"


def answer(*entries) -> str:
    return json.dumps({"principles": list(entries)})


def entry(key, score=4, critique="Fine.", quotes=()):
    return {"key": key, "score": score, "critique": critique, "quotes": list(quotes)}


def test_a_good_answer_gives_one_critique_per_principle_in_rubric_order():
    parsed = parse_critique(answer(entry("maintainable", 3, "Short.", ["return a + b"]),
                                   entry("need", 5)), keys=KEYS, text=TEXT)
    assert [c.key for c in parsed] == KEYS
    assert parsed[1].score == 3 and parsed[1].critique == "Short."
    assert parsed[1].spans == [[TEXT.index("return a + b"), TEXT.index("return a + b") + 12]]


def test_a_quote_the_model_did_not_copy_exactly_is_kept_without_a_span():
    raw = answer(entry("need", 2, "x", ["return a - b"]), entry("maintainable"))
    [need, _] = parse_critique(raw, keys=KEYS, text=TEXT)
    assert need.quotes == ["return a - b"] and need.spans == []


@pytest.mark.parametrize("wrap", [
    "```json\n{}\n```", "Here is my review:\n{}\nHope it helps.", "```\n{}\n```",
])
def test_fences_and_prose_around_the_object_are_tolerated(wrap):
    raw = wrap.replace("{}", answer(entry("need"), entry("maintainable")))
    assert [c.key for c in parse_critique(raw, keys=KEYS, text=TEXT)] == KEYS


def test_a_score_given_as_a_digit_string_is_read():
    [need, _] = parse_critique(answer(entry("need", "2"), entry("maintainable", 5.0)),
                               keys=KEYS, text=TEXT)
    assert need.score == 2


@pytest.mark.parametrize(("raw", "message"), [
    ("I think it is fine.", "not a JSON object"),
    ("[1, 2]", "not a JSON object"),
    ('{"scores": []}', 'no "principles" list'),
    (answer(entry("need")), "No critique for principle(s): maintainable"),
    (answer(entry("need"), entry("style")), "'style', which is not in the rubric"),
    (answer(entry("need", 6), entry("maintainable")), "integer from 1 to 5, not 6"),
    (answer(entry("need", True), entry("maintainable")), "integer from 1 to 5, not True"),
    (answer(entry("need"), entry("need")), "appears twice"),
    (answer({"key": "need"}, entry("maintainable")), "needs \"key\", \"score\""),
    ("{" * 5000 + "}" * 5000, "not a JSON object"),
])
def test_an_unusable_answer_is_refused_with_a_reason(raw, message):
    with pytest.raises(CritiqueParseError, match=None) as err:
        parse_critique(raw, keys=KEYS, text=TEXT)
    assert message in str(err.value)


def test_the_prompt_names_every_principle_and_carries_the_text():
    rubric = [{"key": "need", "name": "Serves the need", "question": "Does it?"}]
    [message] = critique_messages(template=DEFAULT_TEMPLATE, prompt="Add two numbers.",
                                  text=TEXT, rubric=rubric)
    assert "`need`: Serves the need — Does it?" in message["content"]
    assert TEXT in message["content"] and "Add two numbers." in message["content"]
    assert '{"principles": [{"key"' in message["content"]


def test_the_repair_request_says_what_was_wrong():
    first = [{"role": "user", "content": "review"}]
    convo = repair_messages(first, "nope", "The answer is not a JSON object.", KEYS)
    assert convo[1] == {"role": "assistant", "content": "nope"}
    assert "not a JSON object" in convo[2]["content"]
    assert "need, maintainable" in convo[2]["content"]


@pytest.mark.parametrize("template", ["{prompt} {unknown}", "{prompt", "{0}"])
def test_a_template_that_cannot_be_filled_is_refused(template):
    with pytest.raises(ValueError, match="only the fields"):
        check_template(template)


def test_the_default_template_can_be_filled():
    check_template(DEFAULT_TEMPLATE)
