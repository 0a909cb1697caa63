"""The verifier sandbox's configuration, from Django settings (`settings.VERIFIERS`)."""

from __future__ import annotations

import importlib.util
import os
import sys
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .sandbox import Limits, SandboxConfig

# What `python -m pytest` needs inside the sandbox, taken from this environment when
# VERIFIER_PYTHON_SITE does not name a dedicated directory.
PYTEST_PACKAGES = ("pytest", "_pytest", "pluggy", "iniconfig", "packaging", "pygments", "py")


def default_python() -> str:
    """A world-readable Python 3.11: the system's, else the one running the server.

    The sandbox runs as an unprivileged uid when the worker is root, so an interpreter
    under a private home (a pyenv build in /root) cannot be used there; set
    VERIFIER_PYTHON to another.
    """
    for candidate in ("/usr/bin/python3.11", "/usr/local/bin/python3.11"):
        if os.access(candidate, os.X_OK):
            return candidate
    return os.path.realpath(getattr(sys, "_base_executable", sys.executable))


def _package_paths(site_dir: str) -> tuple[str, ...]:
    if site_dir:
        return tuple(str(entry) for entry in sorted(Path(site_dir).iterdir()))
    paths = []
    for name in PYTEST_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        if spec.submodule_search_locations:
            paths.extend(spec.submodule_search_locations)
        elif spec.origin:
            paths.append(spec.origin)
    return tuple(paths)


@lru_cache(maxsize=1)
def sandbox_config() -> SandboxConfig:
    conf = settings.VERIFIERS
    return SandboxConfig(bwrap=conf["BWRAP"], python=conf["PYTHON"] or default_python(),
                         python_packages=_package_paths(conf["PYTHON_SITE"]),
                         node=conf["NODE"], allow_unsandboxed=conf["ALLOW_UNSANDBOXED"])


def run_limits(timeout_s: float) -> Limits:
    """A run's limits: the spec's wall-clock timeout, the operator's memory and output caps."""
    conf = settings.VERIFIERS
    return Limits(wall_s=float(timeout_s), cpu_s=max(1, int(timeout_s)),
                  memory_bytes=conf["MEMORY_MB"] * 1024 * 1024,
                  output_bytes=conf["OUTPUT_KB"] * 1024, nice=conf["NICE"])
