"""The import direction: core ← webhooks ← workspace ← traces ← judge ← review ← overlap,
experiments ← api, editor.

Nothing imports editor. Webhooks sit below the apps whose services emit their events.
The record owns its log: the update log, snapshots, recorder and batch commit live in
`oversight/traces` (its models in traces' models, the rest in `oversight/traces/log`),
which knows nothing of sockets; the editor keeps the real-time transport and reaches
the log only through the API of `oversight.traces.log`'s root.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package → packages it must never import
FORBIDDEN = {
    "oversight/core": ("django", "oversight.workspace", "oversight.traces", "oversight.review",
                       "oversight.api", "editor"),
    "oversight/webhooks": ("oversight.workspace", "oversight.traces", "oversight.review",
                           "oversight.judge", "oversight.api", "editor"),
    "oversight/workspace": ("oversight.traces", "oversight.review", "oversight.api",
                            "oversight.judge", "editor"),
    "oversight/traces": ("oversight.review", "oversight.api", "oversight.judge", "editor",
                         "channels", "daphne"),
    "oversight/judge": ("oversight.review", "oversight.api", "editor"),
    "oversight/verifiers": ("oversight.review", "oversight.api", "editor"),
    "oversight/review": ("oversight.api", "editor"),
    "oversight/assist": ("oversight.review", "oversight.api", "editor"),
    "oversight/overlap": ("oversight.api", "editor"),
    "oversight/api": ("editor",),
    # Experiments sit above review: only the API (and their own urls) import them.
    "oversight/experiments": ("oversight.api", "editor"),
}
for _package, _banned in list(FORBIDDEN.items()):
    if _package not in ("oversight/api", "oversight/experiments"):
        FORBIDDEN[_package] = (*_banned, "oversight.experiments")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_above_it(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imported_modules(path):
            if any(name == banned or name.startswith(banned + ".")
                   for banned in FORBIDDEN[package]):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, "\n".join(offenders)


LOG_MODELS = {"DocState", "DocUpdate", "DocSnapshot", "DocClient"}


def imported_names(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every `from module import name` at top level (level 0)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.module, alias.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
            for alias in node.names]


def test_the_editor_reaches_the_log_only_through_its_api():
    offenders = []
    for path in sorted((ROOT / "editor").rglob("*.py")):
        where = path.relative_to(ROOT)
        for name in imported_modules(path):
            if name.startswith("oversight.traces.log."):
                offenders.append(f"{where} imports {name}, not the log's API")
        for module, name in imported_names(path):
            if module == "oversight.traces.models" and name in LOG_MODELS:
                offenders.append(f"{where} imports the log's model {name}")
    assert not offenders, "\n".join(offenders)


def test_the_editor_owns_no_table_of_the_log():
    # The editor's rooms relay; storing is the trace's. Its models module stays, empty,
    # so the app's (state-only) migrations still have a home.
    source = (ROOT / "editor" / "models.py").read_text(encoding="utf-8")
    assert not re.search(r"^class ", source, re.M)
    for module in ("store", "batch", "recording", "yupdate"):
        assert not (ROOT / "editor" / f"{module}.py").exists(), f"editor/{module}.py is back"
    from django.apps import apps

    assert {m.__name__ for m in apps.get_app_config("traces").get_models()} >= LOG_MODELS
    assert not list(apps.get_app_config("editor").get_models())
