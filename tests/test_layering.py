"""The import direction: core ← webhooks ← workspace ← traces ← judge ← review ← experiments ← api.

Nothing imports editor. Webhooks sit below the apps whose services emit their events.
"""

import ast
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
    "oversight/traces": ("oversight.review", "oversight.api", "oversight.judge", "editor"),
    "oversight/judge": ("oversight.review", "oversight.api", "editor"),
    "oversight/verifiers": ("oversight.review", "oversight.api", "editor"),
    "oversight/review": ("oversight.api", "editor"),
    "oversight/assist": ("oversight.review", "oversight.api", "editor"),
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
