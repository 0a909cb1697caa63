import os

import pytest

from tests.conftest import require_or_skip


@pytest.fixture
def sandbox():
    """The real sandbox's configuration; skips (or fails in CI) where bubblewrap cannot run."""
    from oversight.verifiers.config import sandbox_config
    from oversight.verifiers.sandbox import sandbox_problem

    config = sandbox_config()
    problem = sandbox_problem(config)
    require_or_skip(not problem, f"the verifier sandbox cannot run here: {problem}")
    return config


def processes_of(uid: int) -> list[int]:
    """Pids of live processes owned by `uid` (the sandbox's per-run uid)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                found.append(int(entry))
        except FileNotFoundError:
            continue
    return found
