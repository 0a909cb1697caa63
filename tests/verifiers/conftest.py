"""Helpers of the verifier tests (the `sandbox` fixture is in tests/conftest.py)."""

import os


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
