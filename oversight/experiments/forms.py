"""The lead's form for a new experiment: plain POST fields, parsed into the service's input.

Variant slots are numbered; a slot without a name is left out. A blank setting keeps
the project's value. Problems come back as messages and the page keeps what was typed.
"""

import json

from .models import Experiment

SLOTS = 4
TRUTHY = {"yes": True, "no": False}


def _number(text: str, problems: list[str], label: str, kind=float):
    try:
        return kind(text)
    except ValueError:
        problems.append(f"{label}: not a number")
        return None


def _variant_settings(post, i: int, problems: list[str]) -> dict:
    get = lambda name: post.get(f"variant-{i}-{name}", "").strip()  # noqa: E731
    settings: dict = {}
    if get("draft_model"):
        settings["draft_model"] = get("draft_model")
    if get("draft_temperature"):
        settings["draft_temperature"] = _number(get("draft_temperature"), problems,
                                                f"variant {i + 1} temperature")
    if get("model_help"):
        settings["model_help"] = get("model_help")
    if get("notes_per_changed_chars"):
        settings["notes_per_changed_chars"] = _number(
            get("notes_per_changed_chars"), problems, f"variant {i + 1} notes", int)
    if get("require_green_tests") in TRUTHY:
        settings["require_green_tests"] = TRUTHY[get("require_green_tests")]
    if get("rubric"):
        try:
            settings["rubric"] = json.loads(get("rubric"))
        except json.JSONDecodeError as exc:
            problems.append(f"variant {i + 1} rubric: invalid JSON ({exc.msg})")
    return settings


def parse(post) -> tuple[dict, list[str]]:
    """Return the service's keyword arguments from the form, and what could not be read."""
    problems: list[str] = []
    variants = [{"name": post.get(f"variant-{i}-name", "").strip(),
                 "settings": _variant_settings(post, i, problems)}
                for i in range(SLOTS) if post.get(f"variant-{i}-name", "").strip()]
    return {"name": post.get("name", ""), "hypothesis": post.get("hypothesis", ""),
            "unit": post.get("unit", Experiment.TASK), "variants": variants}, problems


def blank_slots(post=None) -> list[dict]:
    """The values each slot shows: what was typed, or A and B suggested on a fresh form."""
    fields = ("name", "draft_model", "draft_temperature", "model_help",
              "notes_per_changed_chars", "require_green_tests", "rubric")
    slots = []
    for i in range(SLOTS):
        if post is None:
            values = {f: "" for f in fields}
            values["name"] = "AB"[i] if i < 2 else ""
        else:
            values = {f: post.get(f"variant-{i}-{f}", "") for f in fields}
        slots.append({"index": i, **values})
    return slots
