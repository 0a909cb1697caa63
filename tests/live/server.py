"""The real Oversight app in a subprocess: `manage.py serve` on a free port, temporary SQLite.

`LiveServer(workdir)` prepares the database (`migrate`, `seed_demo`), starts
`manage.py serve` (uvicorn, its default) and waits for `/healthz`. Tests drive it over
HTTP and WebSockets like any client, set data up with `shell(code)` / `query(code)`
(`manage.py shell -c` against the same database), and `restart()` it to check that
what was acknowledged survives a stop (or a crash: `restart(crash=True)`).

Everything the server and the management commands print goes to `workdir/server.log`;
`log_tail()` returns its end, which the live conftest attaches to failing tests.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULT_MARK = "@@live-result@@"
BOOT_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
MANAGE_TIMEOUT = 180.0

# Settings the pytest process may carry that must not leak into the live server.
_SCRUBBED_ENV = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
                 "OVERSIGHT_VAR_DIR", "DB_CONN_MAX_AGE")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load_prctl():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux / no glibc
        return None


# Resolved here, not in the child: between fork and exec the child must not import.
_PRCTL = _load_prctl() if sys.platform == "linux" else None
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the test process dies, so a killed
    pytest run leaves no server behind."""
    _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGTERM))


class ManageError(RuntimeError):
    pass


class LiveServer:
    """One live Oversight server; `start()` / `stop()` / `restart()` keep port and database."""

    def __init__(self, workdir: Path, *, extra_env: dict[str, str] | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.workdir / "live.sqlite3"
        self.log_path = self.workdir / "server.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        self.env.update({
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "OVERSIGHT_VAR_DIR": str(self.workdir / "var"),
            "DJANGO_SETTINGS_MODULE": "oversight.settings",
            "DEBUG": "true",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "INFO",
            # Empty rooms unload quickly, so reopening a document exercises loading it.
            "EDITOR_ROOM_IDLE_SECONDS": "2",
            "PYTHONUNBUFFERED": "1",
            "PYTHONIOENCODING": "utf-8",
        })
        self.env.update(extra_env or {})

    # -- addresses --------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        """The y-websocket server URL; a client appends `/<doc_id>`."""
        return f"ws://127.0.0.1:{self.port}/ws/docs"

    # -- management commands ----------------------------------------------------------

    def manage(self, *args: str, timeout: float = MANAGE_TIMEOUT) -> str:
        """Run `manage.py ARGS` against the live database; return stdout, raise on failure."""
        cmd = [sys.executable, str(ROOT / "manage.py"), *args]
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=ROOT, env=self.env, capture_output=True, text=True,
                              encoding="utf-8", timeout=timeout)
        label = " ".join(args[:1] + (("-c …",) if args[:1] == ("shell",) else args[1:]))
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(f"\n--- manage.py {label} (exit {proc.returncode}, "
                      f"{time.monotonic() - started:.1f}s)\n{proc.stdout}{proc.stderr}")
        if proc.returncode != 0:
            raise ManageError(f"manage.py {label} failed with exit {proc.returncode}:\n"
                              f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        return proc.stdout

    def prepare(self, *, activity: bool = True) -> None:
        """Create the schema and the demo data (writer1, writer2, reviewer1, lead1, admin),
        with the demo's recorded work unless `activity=False`."""
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("seed_demo", *(() if activity else ("--no-activity",)))

    def shell(self, code: str) -> str:
        """Run Python in `manage.py shell -c`; return what it printed."""
        return self.manage("shell", "--no-imports", "-c", code)

    def query(self, code: str):
        """Run Python that assigns `result`; return `result` (JSON round-tripped)."""
        wrapped = (f"{code}\nimport json as _live_json\n"
                   f"print({RESULT_MARK!r} + _live_json.dumps(result, ensure_ascii=True))\n")
        out = self.shell(wrapped)
        for line in reversed(out.splitlines()):
            if line.startswith(RESULT_MARK):
                return json.loads(line[len(RESULT_MARK):])
        raise ManageError(f"the shell code printed no result:\n{out[-3000:]}")

    def api_token(self, username: str) -> str:
        """The user's API token (`manage.py create_api_token` prints it last)."""
        return self.manage("create_api_token", username).strip().splitlines()[-1].strip()

    # -- the server process -----------------------------------------------------------

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError("the live server is already running")
        self.starts += 1
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(f"\n--- server start #{self.starts} on port {self.port}\n")
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(
                # `manage.py serve`: uvicorn (OVERSIGHT_ASGI_SERVER=daphne: daphne) with the
                # editor's WebSocket message limit.
                [sys.executable, str(ROOT / "manage.py"), "serve", "-b", "127.0.0.1",
                 "-p", str(self.port)],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
                preexec_fn=_die_with_parent if _PRCTL is not None else None)
        finally:
            log.close()
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + BOOT_TIMEOUT
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the live server exited with {self.process.returncode} "
                                   f"while starting:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return
                    last_error = f"HTTP {resp.status}"
            except urllib.error.HTTPError as exc:
                last_error = f"HTTP {exc.code}"
            except OSError as exc:
                last_error = str(exc)
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the live server was not healthy after {BOOT_TIMEOUT:.0f}s "
                           f"({last_error}):\n{self.log_tail()}")

    def stop(self, *, crash: bool = False) -> None:
        """Stop the server: SIGTERM and wait (SIGKILL after a while), or SIGKILL at once."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        if crash:
            proc.send_signal(signal.SIGKILL)
        else:
            proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT)
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(f"\n--- server stopped ({'SIGKILL' if crash else 'SIGTERM'}), "
                      f"exit {proc.returncode}\n")

    def restart(self, *, crash: bool = False) -> None:
        """Stop (gracefully, or by SIGKILL with crash=True) and start again: same port, same DB."""
        self.stop(crash=crash)
        self.start()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # -- diagnostics ------------------------------------------------------------------

    def wait_for_log(self, needle: str, timeout: float = 20.0) -> None:
        """Wait until the server log contains `needle` (e.g. "unloaded room <doc_id>")."""
        deadline = time.monotonic() + timeout
        while needle not in self.log_path.read_text(encoding="utf-8", errors="replace"):
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not in the server log after {timeout:.0f}s")
            time.sleep(0.1)

    def log_tail(self, lines: int = 80) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])
