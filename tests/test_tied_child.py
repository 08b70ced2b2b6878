"""Server children live as long as the app process, whichever thread started them."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.app_process import alive

PARENT = """
import subprocess, sys, threading, time
from crca.tied_child import spawn_tied

started = {}
def start():
    started["child"] = spawn_tied("http.server", ["0", "--bind", "127.0.0.1"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# Started from a thread that ends at once, as the app's warm-up thread does.
thread = threading.Thread(target=start)
thread.start()
thread.join()
open(sys.argv[1], "w").write(str(started["child"].pid))
time.sleep(120)
"""


def _child_of_parent(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    pid_file = tmp_path / "child.pid"
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(pid_file)])
    deadline = time.monotonic() + 180  # a loaded machine starts Python slowly
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "le processus parent n'a pas démarré l'enfant"
        time.sleep(0.05)
    return parent, int(pid_file.read_text())


def test_child_outlives_the_thread_that_started_it_then_dies_with_the_killed_parent(tmp_path: Path) -> None:
    parent, child = _child_of_parent(tmp_path)
    try:
        time.sleep(1.5)  # the starting thread ended long ago
        assert alive(child), "l'enfant est mort avec le fil qui l'a lancé"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 60
        while alive(child):
            assert time.monotonic() < deadline, "l'enfant a survécu à son parent tué"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()


def test_child_dies_when_the_parent_exits_normally(tmp_path: Path) -> None:
    parent, child = _child_of_parent(tmp_path)
    parent.send_signal(signal.SIGTERM)  # default action: the interpreter ends, no cleanup code
    parent.wait()
    deadline = time.monotonic() + 60
    while alive(child):
        assert time.monotonic() < deadline, "l'enfant a survécu à la fin de son parent"
        time.sleep(0.05)
