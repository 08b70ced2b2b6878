"""App start-up and first-token latency, for the issue's targets.

1. Time to ready: `crca app` in a child process until its page answers (target ≤ 8 s).
2. First client output after a trainee message: through `Conversation.send` (what the app
   streams) versus a raw streamed call of the same model on the same messages (target ≤ 1.2×).
   The conversation checks each sentence before showing it, so its first piece is a sentence.

    .venv/bin/python benchmarks/app_startup.py [--runs 5] [--skip-latency] [--scenario ID]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
MESSAGES = [
    "Bonjour, Assurances Horizon Mutuelle, Julie à votre écoute. Que puis-je pour vous ?",
    "Pouvez-vous me décrire ce qui s'est passé exactement ?",
    "Avez-vous rempli un constat amiable avec l'autre conducteur ?",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def time_to_ready(timeout: float = 60.0) -> float:
    """Seconds from spawning `crca app` until GET / answers 200 (fresh data directory)."""
    port = free_port()
    env = {**os.environ, "CRCA_HOME": tempfile.mkdtemp(prefix="crca-bench-")}
    start = time.monotonic()
    child = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "crca"), "app", "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while time.monotonic() - start < timeout:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                    return time.monotonic() - start
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"app not ready after {timeout:.0f} s")
    finally:
        child.terminate()
        child.wait(timeout=20)


def first_token_latency(scenario_id: str, runs: int) -> tuple[list[float], list[float]]:
    """(raw first token, conversation first piece) in seconds, alternating, after one warm-up."""
    from bot.conversation import Conversation
    from bot.simulator import ClientSimulator
    from crca.llm import chat_model, stream_text
    from domain.transcript import Speaker, Turn
    from scenarios.library import load_scenario

    scenario = load_scenario(scenario_id)
    model = chat_model("client")
    raw, conv = [], []
    for run in range(runs + 1):
        text = MESSAGES[run % len(MESSAGES)]
        simulator = ClientSimulator(scenario, model)
        conversation = Conversation(scenario, simulator)
        probe = conversation.transcript.model_copy(deep=True)
        probe.turns.append(Turn(speaker=Speaker.ADVISOR, text=text))
        messages = simulator.messages(probe, simulator.director.state(probe))
        start = time.monotonic()
        stream = stream_text(model, messages)
        next(stream)
        raw_s = time.monotonic() - start
        stream.close()
        start = time.monotonic()
        replies = conversation.send(text)
        next(replies)
        conv_s = time.monotonic() - start
        replies.close()
        if run:  # run 0 warms the server and its prompt cache
            raw.append(raw_s)
            conv.append(conv_s)
    return raw, conv


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--scenario", default="auto-sinistre-choc-arriere")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))

    ready = [time_to_ready() for _ in range(3)]
    runs = [round(r, 2) for r in ready]
    print(f"time to ready (crca app): median {statistics.median(ready):.2f} s  runs {runs}")
    if args.skip_latency:
        return 0
    raw, conv = first_token_latency(args.scenario, args.runs)
    ratio = statistics.median(conv) / statistics.median(raw)
    print(f"first token, raw model:           median {statistics.median(raw):.3f} s")
    print(f"first piece, Conversation.send:   median {statistics.median(conv):.3f} s")
    print(f"ratio: {ratio:.2f}x (target <= 1.2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
