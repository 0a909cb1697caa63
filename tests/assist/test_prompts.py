"""The messages each model-help action sends."""

from oversight.assist.prompts import CONTEXT_CHARS, assist_messages

TEXT = "Intro. " + "x" * 3000 + " The selected part. " + "y" * 3000
RUBRIC = [{"key": "factual", "name": "Factual", "question": "Is every claim true?"}]


def messages(action, instruction=""):
    start = TEXT.index("The selected part.")
    return assist_messages(action=action, instruction=instruction, prompt="Why is it blue?",
                           text=TEXT, start=start, end=start + len("The selected part."),
                           rubric=RUBRIC)


def test_critique_names_the_rubric_principles():
    user = messages("critique")[-1]["content"]
    assert "- Factual: Is every claim true?" in user
    assert "<<<The selected part.>>>" in user and "Why is it blue?" in user


def test_rewrite_carries_the_instruction_only_when_given():
    assert "Instruction: Shorter, please.\n" in messages("rewrite", " Shorter, please. ")[-1][
        "content"]
    assert "Instruction:" not in messages("rewrite")[-1]["content"]


def test_context_is_bounded_on_both_sides():
    user = messages("continue")[-1]["content"]
    before = user.split("Text before the selection:\n<<<", 1)[1].split(">>>", 1)[0]
    after = user.split("Text after the selection:\n<<<", 1)[1].split(">>>", 1)[0]
    assert len(before) == CONTEXT_CHARS and before.endswith("x ")
    assert len(after) == CONTEXT_CHARS and after.startswith(" y")
    assert messages("explain")[0]["role"] == "system"
