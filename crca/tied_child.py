"""Child processes that live exactly as long as the process that started them.

The embedded model server must die with the app (an orphan keeps 2 GB and both cores
busy), yet live as long as the app, whichever thread started it. `PR_SET_PDEATHSIG`
cannot give both: Linux sends it when the *thread* that forked the child exits, so a
server started by the app's warm-up thread was killed as soon as warm-up ended.

Here the parent holds the write end of the child's stdin for its whole life and never
writes to it. The kernel closes it when the parent process is gone — normal exit, crash
or SIGKILL alike — and the child, blocked reading it in a watcher thread, exits at once.
Run a module this way with `spawn_tied(module, args)`; the child side is `main()`
(`python -m crca.tied_child MODULE ARGS...`).
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import Any


def spawn_tied(module: str, args: Sequence[str], **popen: Any) -> subprocess.Popen[bytes]:
    """Start `python -m module *args` in a child that exits when this process does."""
    command = [sys.executable, "-m", __name__, module, *args]
    # The returned Popen keeps `stdin` open: dropping it would end the child.
    return subprocess.Popen(command, stdin=subprocess.PIPE, **popen)


def _exit_when_parent_is_gone() -> None:
    try:
        while sys.stdin.buffer.read(1 << 16):
            pass  # the parent never writes; anything read is ignored
    finally:
        # No graceful shutdown: uvicorn's waits for the request being generated.
        os._exit(0)


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage : python -m crca.tied_child MODULE [ARGUMENTS...]")
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    threading.Thread(target=_exit_when_parent_is_gone, name="parent-watch", daemon=True).start()
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
