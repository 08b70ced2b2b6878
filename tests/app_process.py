"""`crca app` as a user starts it: a child process on a free port, its own data directory.

Shared by the real-app tests and `benchmarks/app_startup.py`, so both drive the path a
trainee takes (the README's command, the configured models, the warm-up thread).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WARM_LINE = "Modèles chargés"
"""What `crca app` prints once its warm-up thread has built the models and the index."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class AppProcess:
    process: subprocess.Popen[str]
    url: str
    home: Path
    started: float
    lines: list[str] = field(default_factory=list)

    def wait_for_line(self, text: str, timeout: float) -> float:
        """Seconds since launch when a line containing `text` was printed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return time.monotonic() - self.started
            if self.process.poll() is not None:
                raise AssertionError(
                    f"crca app s'est arrêté (code {self.process.returncode}) : {self.lines[-20:]}"
                )
            time.sleep(0.05)
        raise AssertionError(f"« {text} » non affiché en {timeout:.0f} s : {self.lines[-20:]}")

    def accounts(self) -> dict[str, tuple[str, str]]:
        """Role label → (username, password), from the first-accounts note the app writes."""
        found = {}
        for line in (self.home / "premiers-comptes.txt").read_text(encoding="utf-8").splitlines():
            role, _, rest = line.partition(" : identifiant ")
            username, _, password = rest.partition(", mot de passe ")
            found[role.strip().lower()] = (username.strip(), password.strip())
        return found

    def model_server_pids(self) -> list[int]:
        """Children of the app running the embedded model server."""
        return [pid for pid in children(self.process.pid) if b"llama_cpp.server" in _cmdline(pid)]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as dead)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of a process, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


@contextmanager
def app_process(home: Path, env: dict[str, str] | None = None) -> Iterator[AppProcess]:
    """Run `crca app` (the installed entry point) until the block ends."""
    port = free_port()
    child_env = {
        **os.environ,
        "CRCA_HOME": str(home),
        "CRCA_CONFIG": str(home.parent / "absent.toml"),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    crca = Path(sys.executable).with_name("crca")
    started = time.monotonic()
    process = subprocess.Popen(
        [str(crca), "app", "--port", str(port)],
        cwd=REPO, env=child_env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    app = AppProcess(process, f"http://127.0.0.1:{port}/", home, started)

    def collect() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            app.lines.append(line.rstrip("\n"))

    threading.Thread(target=collect, daemon=True).start()
    try:
        yield app
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
