"""What a variant may set, and the check of one variant's settings (pure: no Django).

A variant's settings are a subset of the task settings the workspace lets an override
replace (oversight.workspace.task_settings.OVERRIDABLE); unset keys keep the project's.
"""

MODEL_HELP = ("off", "critique", "all")
MAX_NAME = 40

# key -> label, in the order forms and reports show them
SETTING_LABELS = {
    "draft_model": "Draft model",
    "draft_temperature": "Draft temperature",
    "model_help": "Model help",
    "notes_per_changed_chars": "A note per changed characters",
    "require_green_tests": "Verifier must pass to submit",
    "rubric": "Rubric",
}


def _rubric_problems(value) -> list[str]:
    if not isinstance(value, list) or not value:
        return ["rubric: a non-empty list of {key, name, question}"]
    keys = []
    for i, principle in enumerate(value):
        if not isinstance(principle, dict) or not isinstance(principle.get("key"), str) \
                or not principle["key"].strip():
            return [f"rubric[{i}]: an object with a non-empty string `key`"]
        keys.append(principle["key"])
    if len(set(keys)) != len(keys):
        return ["rubric: principle keys must be unique"]
    return []


def _problem(key: str, value) -> list[str]:
    if key == "draft_model":
        ok = isinstance(value, str) and len(value) <= 200
        return [] if ok else ["draft_model: a model name of at most 200 characters"]
    if key == "draft_temperature":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 2
        return [] if ok else ["draft_temperature: a number from 0 to 2"]
    if key == "model_help":
        return [] if value in MODEL_HELP else [f"model_help: one of {', '.join(MODEL_HELP)}"]
    if key == "notes_per_changed_chars":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return [] if ok else ["notes_per_changed_chars: a whole number ≥ 0 (0: no notes)"]
    if key == "require_green_tests":
        return [] if isinstance(value, bool) else ["require_green_tests: true or false"]
    if key == "rubric":
        return _rubric_problems(value)
    return [f"unknown setting {key!r}; expected one of: {', '.join(SETTING_LABELS)}"]


def settings_problems(settings) -> list[str]:
    """Return what is wrong with one variant's settings (empty: they are valid)."""
    if not isinstance(settings, dict):
        return ["settings: a JSON object"]
    return [p for key, value in settings.items() for p in _problem(key, value)]


def variants_problems(variants) -> list[str]:
    """Check a list of {name, settings}: two or more, unique non-empty names, valid settings."""
    if not isinstance(variants, list):
        return ["variants: a list of at least two {name, settings}"]
    # Every problem at once, so one answer says all there is to fix.
    problems, names = ([] if len(variants) >= 2 else ["variants: at least two"]), []
    for i, variant in enumerate(variants):
        if not isinstance(variant, dict):
            problems.append(f"variants[{i}]: an object with `name` and `settings`")
            continue
        name = variant.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            problems.append(f"variants[{i}].name: 1 to {MAX_NAME} characters")
        names.append(name)
        problems += [f"variants[{i}].{p}" for p in settings_problems(variant.get("settings", {}))]
    if len(set(map(str, names))) != len(names):
        problems.append("variants: names must be unique")
    return problems


def describe(settings: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of a variant's settings, for pages."""
    out = []
    for key, label in SETTING_LABELS.items():
        if key not in settings:
            continue
        value = settings[key]
        if key == "rubric":
            value = ", ".join(p.get("name") or p["key"] for p in value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        out.append((label, str(value)))
    return out
