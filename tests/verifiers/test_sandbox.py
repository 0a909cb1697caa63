"""The sandbox against planted hostile solutions: each is contained and reported.

Every test runs the real bubblewrap sandbox. A hostile solution is a `solution.py`
whose test calls it; after each run the sandbox's uid owns no process (nothing
outlived it) and this process (the "server") is alive and can run a clean suite.
"""

import os
import socket
import time
from dataclasses import replace

import pytest

from oversight.verifiers.runner import run_spec
from oversight.verifiers.sandbox import Limits
from tests.verifiers.conftest import processes_of

SPEC = {"kind": "pytest", "module": "solution", "timeout_s": 10,
        "files": {"test_solution.py": "from solution import attack\n\n"
                                      "def test_attack():\n    attack()\n"}}
CLEAN = "def attack():\n    assert 1 + 1 == 2\n"


def run(sandbox, code: str, *, wall_s: float = 8, **limits):
    started = time.monotonic()
    report = run_spec(spec=SPEC, text=code, config=sandbox,
                      limits=Limits(wall_s=wall_s, cpu_s=int(wall_s), **limits))
    report.elapsed = time.monotonic() - started
    uid = report.sandbox.get("uid")
    left = processes_of(uid) if uid else []
    assert left == [], [open(f"/proc/{pid}/status").read()[:120] for pid in left]
    return report


def assert_server_healthy(sandbox):
    report = run(sandbox, CLEAN)
    assert report.status == "passed", report.output


def test_a_clean_solution_passes_and_a_wrong_one_fails_with_its_message(sandbox):
    assert run(sandbox, CLEAN).status == "passed"
    report = run(sandbox, "def attack():\n    assert 2 + 2 == 5, 'arithmetic'\n")
    assert report.status == "failed"
    assert [(t.name, t.outcome) for t in report.tests] == [("test_solution::test_attack",
                                                           "failed")]
    assert "arithmetic" in report.tests[0].message


def test_the_environment_and_the_host_files_are_invisible(sandbox, monkeypatch, tmp_path,
                                                          settings):
    monkeypatch.setenv("SECRET_KEY", "planted-secret-0451")
    database = tmp_path / "oversight.sqlite3"
    database.write_text("planted-database-0451")
    code = f'''import os
def attack():
    print("ENV", dict(os.environ))
    for path in ({str(database)!r}, {str(settings.BASE_DIR / "oversight/settings.py")!r},
                 "/etc/passwd", "/root", "/proc/1/environ"):
        try:
            print("READ", path, open(path).read()[:200])
        except OSError as exc:
            print("DENIED", path, type(exc).__name__)
    assert "SECRET_KEY" not in os.environ
    assert not os.path.exists({str(database)!r})
'''
    report = run(sandbox, code)
    assert report.status == "passed", report.output
    assert "planted-secret-0451" not in report.output
    assert "planted-database-0451" not in report.output
    assert_server_healthy(sandbox)


def test_no_network_not_even_the_apps_port(sandbox):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    port = server.getsockname()[1]
    code = f'''import socket
def attack():
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
'''
    report = run(sandbox, code)
    assert report.status == "failed"
    assert "ConnectionRefusedError" in report.tests[0].message
    with pytest.raises(BlockingIOError):
        server.accept()  # nothing ever reached the app's port
    server.close()
    code = '''import socket
def attack():
    socket.create_connection(("1.1.1.1", 80), timeout=2)
'''
    assert "unreachable" in run(sandbox, code).tests[0].message


def test_a_fork_bomb_is_capped_and_killed_at_the_deadline(sandbox):
    code = '''import os
def attack():
    while True:
        try:
            os.fork()
        except OSError:
            pass
'''
    report = run(sandbox, code, wall_s=3)
    assert report.status == "timeout"
    assert report.elapsed < 8
    assert_server_healthy(sandbox)


def test_writing_10_gb_stops_at_the_file_and_work_dir_caps(sandbox):
    code = '''import os
def attack():
    block = b"0" * (1 << 20)
    errors = set()
    for name in ("/work/big", "/tmp/big"):
        try:
            with open(name, "wb") as handle:
                for _ in range(10 * 1024):
                    handle.write(block)
        except OSError as exc:
            errors.add(exc.strerror)
    for number in range(10 * 1024):
        try:
            with open(f"/tmp/part{number}", "wb") as handle:
                handle.write(block)
        except OSError as exc:
            errors.add(exc.strerror)
            break
    raise AssertionError(sorted(errors))
'''
    report = run(sandbox, code, wall_s=10)
    assert report.status == "failed", report.output
    assert "File too large" in report.tests[0].message
    assert "No space left on device" in report.tests[0].message
    assert report.elapsed < 10


def test_an_infinite_loop_times_out(sandbox):
    report = run(sandbox, "def attack():\n    while True:\n        pass\n", wall_s=2)
    assert report.status == "timeout"
    assert report.elapsed < 5


def test_printing_1_gb_stops_at_the_output_cap(sandbox):
    # pytest captures a test's output, so the attack writes as the process exits.
    code = '''import atexit, os
def flood():
    for _ in range(1024):
        os.write(1, b"x" * (1 << 20))
def attack():
    atexit.register(flood)
'''
    report = run(sandbox, code, output_bytes=64 * 1024)
    assert report.status == "output_limit"
    assert len(report.output) < 70 * 1024
    assert report.elapsed < 8


def test_a_memory_hog_is_reported_as_memory(sandbox):
    report = run(sandbox, "def attack():\n    hog = bytearray(4 << 30)\n",
                 memory_bytes=512 * 1024 * 1024)
    assert report.status == "memory", report.output


def test_a_background_process_does_not_outlive_the_run(sandbox):
    # `run` checks that the run's uid owns no process once the run has ended.
    code = '''import os, subprocess, sys, time
def attack():
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"],
                     start_new_session=True)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(120)
        os._exit(0)
'''
    report = run(sandbox, code)
    assert report.status == "passed", report.output
    assert report.sandbox["uid"] is None or report.sandbox["uid"] != os.getuid()


def test_killing_the_server_the_parent_and_everyone_only_ends_the_run(sandbox):
    code = f'''import os, signal
def attack():
    for pid in ({os.getpid()}, {os.getppid()}):  # the server's pids, as seen from outside
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # another pid namespace: the host's processes do not exist here
        else:
            assert pid in (1, os.getppid()), "reached a host process"
    os.kill(os.getppid(), signal.SIGKILL)  # the sandbox's pid 1 ignores signals from inside
    os.kill(1, signal.SIGKILL)
    try:
        os.kill(-1, signal.SIGKILL)  # everything this uid may signal: only the sandbox
    except ProcessLookupError:
        pass
'''
    report = run(sandbox, code)
    assert report.status == "passed", report.output
    assert_server_healthy(sandbox)


def test_refused_with_the_missing_tool_named_unless_unsafe_is_set(sandbox):
    missing = replace(sandbox, bwrap="/nonexistent/bwrap")
    report = run_spec(spec=SPEC, text=CLEAN, config=missing, limits=Limits())
    assert report.status == "refused"
    assert "bubblewrap is missing" in report.output
    assert "VERIFIER_ALLOW_UNSANDBOXED" in report.output
    unsafe = replace(missing, allow_unsandboxed=True)
    assert run_spec(spec=SPEC, text=CLEAN, config=unsafe, limits=Limits()).status == "passed"


def test_node_tests_run_on_an_es_module(sandbox):
    spec = {"kind": "node-test", "module": "solution", "timeout_s": 10, "files": {
        "solution.test.mjs": 'import test from "node:test";\nimport assert from "node:assert";\n'
                             'import { add } from "./solution.mjs";\n'
                             'test("adds", () => assert.equal(add(1, 2), 3));\n'
                             'test("adds negatives", () => assert.equal(add(-1, -2), -3));\n'}}
    report = run_spec(spec=spec, text="export const add = (a, b) => a + Math.abs(b);\n",
                      config=sandbox, limits=Limits())
    assert report.status == "failed", report.output
    assert [(t.name, t.outcome) for t in report.tests] == [("adds", "passed"),
                                                           ("adds negatives", "failed")]
    assert "-3" in report.tests[1].message or "-1" in report.tests[1].message
