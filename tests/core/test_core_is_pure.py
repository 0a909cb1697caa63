"""oversight.core never imports Django: it must run in any process, without settings."""

import ast
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import oversight.core

CORE = Path(oversight.core.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_django_or_another_oversight_package():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) >= 9
    for path in files:
        for name in imported_modules(path):
            top = name.split(".")[0]
            assert top not in ("django", "rest_framework", "channels"), (path.name, name)
            if top == "oversight":
                assert name.startswith("oversight.core"), (path.name, name)


def test_every_core_module_imports_on_its_own():
    for info in pkgutil.walk_packages(oversight.core.__path__, "oversight.core."):
        module = importlib.import_module(info.name)
        assert module.__doc__, f"{info.name} has no module docstring"


def test_importing_all_of_core_loads_no_django():
    # A fresh interpreter, so modules other tests imported cannot hide a transitive import.
    code = (
        "import importlib, pkgutil, sys\n"
        "import oversight.core as core\n"
        "for info in pkgutil.walk_packages(core.__path__, 'oversight.core.'):\n"
        "    importlib.import_module(info.name)\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] == 'django')\n"
        "assert not leaked, leaked\n"
    )
    root = CORE.parent.parent
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True,
                   env={**os.environ, "PYTHONPATH": str(root), "DJANGO_SETTINGS_MODULE": ""})
