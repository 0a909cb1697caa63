"""The chat messages each model-help action sends: one owner of the wording."""

CONTEXT_CHARS = 2000  # of the text before and after the selection, as context

SYSTEM = ("You help an expert improve a model's answer inside an editor. Answer with the "
          "requested text only: no preamble, no quotation marks around it.")
TASKS = {
    "critique": ("Critique the selected passage: say plainly what is wrong or weak in it, "
                 "one point per line.{principles}"),
    "rewrite": "Rewrite the selected passage. {instruction}Reply with the new passage only.",
    "continue": ("Continue the text from the end of the selected passage (or the cursor). "
                 "Reply with the continuation only."),
    "explain": "Explain what the selected passage does and why, briefly.",
}
PRINCIPLES = " Judge it against these principles:\n{lines}"


def _principles(rubric: list[dict]) -> str:
    lines = [f"- {p.get('name') or p.get('key')}: {p.get('question', '')}".rstrip(": ")
             for p in rubric or []]
    return PRINCIPLES.format(lines="\n".join(lines)) if lines else ""


def assist_messages(*, action: str, instruction: str, prompt: str, text: str, start: int,
                    end: int, rubric: list[dict]) -> list[dict]:
    """Return the messages for `action` on text[start:end] of the document `text`."""
    task = TASKS[action].format(
        principles=_principles(rubric),
        instruction=f"Instruction: {instruction.strip()}\n" if instruction.strip() else "")
    before = text[max(0, start - CONTEXT_CHARS):start]
    after = text[end:end + CONTEXT_CHARS]
    user = (f"The document answers this request:\n{prompt}\n\n"
            f"Text before the selection:\n<<<{before}>>>\n\n"
            f"Selected passage:\n<<<{text[start:end]}>>>\n\n"
            f"Text after the selection:\n<<<{after}>>>\n\n{task}")
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
