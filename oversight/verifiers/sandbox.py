"""Run untrusted code (a document and its tests) in a bubblewrap sandbox.

Pure Python, no Django: `SandboxConfig` says where the tools are, `Limits` how much a
run may take, `run_in_sandbox` runs one command over a set of files and returns what
happened. The isolation is bubblewrap's (Debian package `bubblewrap`):

- new user, pid, net, ipc, uts, cgroup namespaces: no network (only a private
  loopback), no view of the host's processes; when the run ends its pid namespace is
  torn down, so nothing it started outlives it;
- the file system is read-only `/usr` (plus the Python interpreter's prefix and the
  test runner's packages), a private size-capped tmpfs `/work` holding only the run's
  files, a private `/tmp`, a minimal `/dev` and `/proc`; never the project's code,
  database, media or home directories;
- an empty environment (`--clearenv`), a new session (no terminal injection),
  `--die-with-parent` (a dying worker takes its runs with it);
- resource limits set inside the sandbox before the command starts (CPU seconds,
  address space, processes, file size), a wall-clock timeout that kills the whole
  sandbox, and an output cap.

When the worker runs as root the sandbox runs as a fresh unprivileged uid: the kernel
does not apply the process limit to root, so a fork bomb would not be contained.

Where the sandbox cannot start, `sandbox_problem` names what is missing and runs are
refused; `SandboxConfig.allow_unsandboxed` (an operator's explicit, documented-unsafe
setting) runs them as plain subprocesses instead.
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

WORK_DIR = "/work"
SITE_DIR = "/opt/site"
REPORT_CAP_BYTES = 4 * 1024 * 1024

# The sandbox's first process: writes the run's files into /work, sets the limits,
# runs the command, then hands the report file to the worker through an inherited pipe. It is passed
# with `-c`, so nothing of the project's tree is bound into the sandbox.
BOOTSTRAP = r"""
import json, os, resource, subprocess, sys
spec = json.loads(sys.stdin.buffer.read())
os.nice(spec["nice"])
for name, text in spec["files"].items():
    path = os.path.join(spec["work"], name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
def limit():
    for name, value in spec["rlimits"].items():
        resource.setrlimit(getattr(resource, name), (value, value))
child = subprocess.run(spec["argv"], cwd=spec["work"], stdin=subprocess.DEVNULL,
                       preexec_fn=limit)
try:
    with open(os.path.join(spec["work"], spec["report"]), "rb") as report:
        os.write(spec["report_fd"], report.read(spec["report_cap"]))
except OSError:
    pass
sys.exit(child.returncode if child.returncode >= 0 else 128 - child.returncode)
"""


@dataclass(frozen=True)
class Limits:
    """How much one run may take."""

    wall_s: float = 10.0
    cpu_s: int = 10
    memory_bytes: int = 1024 * 1024 * 1024  # address space; 0 = unlimited (V8 reserves a lot)
    processes: int = 32
    file_bytes: int = 16 * 1024 * 1024
    work_bytes: int = 64 * 1024 * 1024  # the /work and /tmp tmpfs size
    output_bytes: int = 64 * 1024
    # CPU priority below the web server's: tests never slow typing down much.
    nice: int = 10


@dataclass(frozen=True)
class SandboxConfig:
    """Where the tools are. Built from Django settings by `oversight.verifiers.config`."""

    bwrap: str = "/usr/bin/bwrap"
    python: str = "/usr/bin/python3.11"
    python_packages: tuple[str, ...] = ()  # host paths bound read-only into /opt/site
    node: str = "/usr/bin/node"
    allow_unsandboxed: bool = False  # UNSAFE: runs untrusted code on the host


@dataclass
class SandboxOutcome:
    exit_code: int | None
    output: str
    report: bytes
    duration_s: float
    timed_out: bool = False
    output_limited: bool = False
    refused: str = ""
    extra: dict = field(default_factory=dict)


def python_prefix(python: str) -> str:
    """The interpreter's installation prefix (its stdlib lives there), resolved once."""
    real = os.path.realpath(python)
    prefix = Path(real).parent.parent
    return str(prefix)


def sandbox_uid() -> int | None:
    """A fresh unprivileged uid when running as root (root ignores RLIMIT_NPROC)."""
    if os.geteuid() != 0:
        return None
    return 200_000 + secrets.randbelow(60_000)


def _binds(config: SandboxConfig, limits: Limits) -> list[str]:
    args = [
        "--unshare-all", "--as-pid-1", "--die-with-parent", "--new-session", "--clearenv",
        "--hostname", "sandbox",
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin",
        "--proc", "/proc", "--dev", "/dev",
        "--size", str(limits.work_bytes), "--tmpfs", "/tmp",
        "--size", str(limits.work_bytes), "--tmpfs", WORK_DIR,
    ]
    prefix = python_prefix(config.python)
    if not prefix.startswith("/usr"):
        args += ["--ro-bind", prefix, prefix]
    args += ["--dir", SITE_DIR]
    for package in config.python_packages:
        args += ["--ro-bind", package, f"{SITE_DIR}/{Path(package).name}"]
    args += ["--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", WORK_DIR,
             "--setenv", "PYTHONPATH", f"{WORK_DIR}:{SITE_DIR}",
             "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
             "--setenv", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1",
             "--setenv", "LANG", "C.UTF-8", "--chdir", WORK_DIR]
    return args


@lru_cache(maxsize=8)
def sandbox_problem(config: SandboxConfig) -> str:
    """Why the sandbox cannot run here ('' when it can): names what is missing."""
    if not shutil.which(config.bwrap):
        return (f"the sandbox tool bubblewrap is missing ({config.bwrap} not found; "
                "install the Debian package 'bubblewrap')")
    if not os.access(config.python, os.X_OK):
        return f"the sandbox's Python interpreter {config.python} is missing (VERIFIER_PYTHON)"
    probe = run_in_sandbox(config=config, limits=Limits(wall_s=10), argv=["/bin/true"],
                           files={}, report="")
    if probe.exit_code != 0:
        detail = probe.output.strip().splitlines()[-1:] or ["no output"]
        return f"bubblewrap could not create its namespaces ({detail[0]})"
    return ""


def _rlimits(limits: Limits) -> dict[str, int]:
    rlimits = {"RLIMIT_CPU": limits.cpu_s, "RLIMIT_NPROC": limits.processes,
               "RLIMIT_FSIZE": limits.file_bytes, "RLIMIT_CORE": 0}
    if limits.memory_bytes:
        rlimits["RLIMIT_AS"] = limits.memory_bytes
    return rlimits


def run_in_sandbox(*, config: SandboxConfig, limits: Limits, argv: list[str],
                   files: dict[str, str], report: str) -> SandboxOutcome:
    """Run `argv` in /work holding `files`; return its capped output and report file."""
    started = time.monotonic()
    uid = sandbox_uid()
    spec = {"files": files, "argv": argv, "work": WORK_DIR, "report": report or ".none",
            "report_cap": REPORT_CAP_BYTES, "rlimits": _rlimits(limits),
            "nice": limits.nice}
    info_read, info_write = os.pipe()
    command = [config.bwrap, *_binds(config, limits), "--info-fd", str(info_write)]
    if uid is not None:
        command += ["--uid", str(uid), "--gid", str(uid)]
    command += ["--", config.python, "-S", "-c", BOOTSTRAP]
    with _Namespace(info_read) as namespace:
        outcome = _supervise(command, spec=spec, limits=limits, uid=uid, started=started,
                             keep_fds=(info_write,), namespace=namespace)
    outcome.extra["uid"] = uid
    return outcome


class _Namespace:
    """The sandbox's pid 1, learnt from bwrap's --info-fd, killed when the run ends.

    bwrap's own monitor exits when the command does, but its pid-1 reaper waits for
    every process left in the namespace, and the kernel resets the parent-death signal
    when the sandbox switches uid; killing pid 1 tears the whole namespace down.
    """

    def __init__(self, info_fd: int):
        self.info_fd, self.pidfd, self.buffer = info_fd, None, bytearray()

    def __enter__(self):
        return self

    def feed(self, chunk: bytes) -> None:
        self.buffer.extend(chunk)
        if self.pidfd is None and b"}" in self.buffer:
            try:
                pid = json.loads(self.buffer)["child-pid"]
                self.pidfd = os.pidfd_open(pid)
            except (ValueError, KeyError, ProcessLookupError):
                pass

    def __exit__(self, *exc):
        if self.pidfd is not None:
            try:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass
            # Readable once pid 1 has exited, i.e. after the kernel killed the rest.
            selectors.select.select([self.pidfd], [], [], 5)
            os.close(self.pidfd)
        return False


def _supervise(command: list[str], *, spec: dict, limits: Limits, uid: int | None,
               started: float, cwd: str | None = None, env: dict[str, str] | None = None,
               keep_fds: tuple[int, ...] = (), namespace: _Namespace | None = None,
               ) -> SandboxOutcome:
    """Feed the spec, collect capped output and the report, enforce the wall clock."""
    report_read, report_write = os.pipe()
    spec = {**spec, "report_fd": report_write}
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            pass_fds=(report_write, *keep_fds), start_new_session=True, cwd=cwd,
            env=env or {"PATH": "/usr/bin:/bin"}, user=uid, group=uid,
            extra_groups=[] if uid is not None else None)
    finally:
        for fd in (report_write, *keep_fds):
            os.close(fd)
    try:
        process.stdin.write(json.dumps(spec).encode())
        process.stdin.close()
    except BrokenPipeError:
        pass
    output_fd = process.stdout.fileno()
    streams = {output_fd: bytearray(), report_read: bytearray()}
    if namespace is not None:
        streams[namespace.info_fd] = namespace
    timed_out, limited = _collect(streams, limits, started, output_fd, report_read)
    if timed_out or limited:
        _kill(process, namespace)
    exit_code = process.wait()
    if namespace is None:
        _kill(process, None)  # unsandboxed: what the run left in its process group
    process.stdout.close()
    for fd in streams:
        if fd != output_fd:
            os.close(fd)
    output = bytes(streams[output_fd][:limits.output_bytes])
    return SandboxOutcome(exit_code=exit_code, output=output.decode("utf-8", "replace"),
                          report=bytes(streams[report_read]),
                          duration_s=time.monotonic() - started,
                          timed_out=timed_out, output_limited=limited)


def _collect(streams: dict, limits: Limits, started: float, output_fd: int,
             report_fd: int) -> tuple[bool, bool]:
    """Read every stream to its end, or until the wall clock or a cap stops the run."""
    with selectors.DefaultSelector() as selector:
        for fd in streams:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            remaining = limits.wall_s - (time.monotonic() - started)
            if remaining <= 0:
                return True, False
            for key, _ in selector.select(timeout=remaining):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fd)
                    continue
                sink = streams[key.fd]
                sink.feed(chunk) if isinstance(sink, _Namespace) else sink.extend(chunk)
            if len(streams[output_fd]) > limits.output_bytes \
                    or len(streams[report_fd]) > REPORT_CAP_BYTES:
                return False, True
    return False, False


def _kill(process, namespace: _Namespace | None) -> None:
    """Kill the sandbox: its pid 1 (taking the namespace with it), then bwrap's group.

    bwrap must outlive its pid 1 to reap it; killed first, pid 1 would be left a zombie
    of the host's init.
    """
    if namespace is not None and namespace.pidfd is not None:
        try:
            signal.pidfd_send_signal(namespace.pidfd, signal.SIGKILL)
            selectors.select.select([namespace.pidfd], [], [], 5)
            process.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_unsandboxed(*, config: SandboxConfig, limits: Limits, argv: list[str],
                    files: dict[str, str], report: str) -> SandboxOutcome:
    """UNSAFE (VERIFIER_ALLOW_UNSANDBOXED): the same bootstrap as a plain subprocess.

    Only the resource limits and the wall clock apply: the code sees the host.
    """
    started = time.monotonic()
    site = sorted({str(Path(package).parent) for package in config.python_packages})
    with tempfile.TemporaryDirectory(prefix="verifier-") as work:
        spec = {"files": files, "argv": argv, "work": work, "report": report or ".none",
                "report_cap": REPORT_CAP_BYTES, "rlimits": _rlimits(limits),
            "nice": limits.nice}
        command = [config.python, "-S", "-c", BOOTSTRAP]
        env = {"PATH": "/usr/bin:/bin", "HOME": work, "PYTHONPATH": ":".join([work, *site]),
               "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        outcome = _supervise(command, spec=spec, limits=limits, uid=None, started=started,
                             cwd=work, env=env)
    outcome.extra["unsandboxed"] = True
    return outcome
