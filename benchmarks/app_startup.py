"""App start-up and reply latency on the path a trainee takes, for the issue's targets.

1. `crca app` in a child process (the README's command, configured models): seconds until
   its page answers (target ≤ 8 s) and until its warm-up has loaded the models.
2. Through the served app (`gradio_client`, as the browser does): a trainee signs in,
   starts a scenario and sends messages; time to the first shown sentence of the client's
   reply and to the whole reply. Then the model server is killed and the next message is
   timed (the restart a trainee would wait through).
3. In process: first piece through `Conversation.send` versus a raw streamed call of the
   same model on the same messages (target ≤ 1.2×).

    .venv/bin/python benchmarks/app_startup.py [--runs 5] [--skip-latency] [--scenario ID]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.app_process import WARM_LINE, app_process  # noqa: E402

MESSAGES = [
    "Bonjour, Assurances Horizon Mutuelle, Julie à votre écoute. Que puis-je pour vous ?",
    "Pouvez-vous me décrire ce qui s'est passé exactement ?",
    "Avez-vous rempli un constat amiable avec l'autre conducteur ?",
    "Pouvez-vous me rappeler votre nom et votre numéro de contrat ?",
    "Est-ce que quelqu'un a été blessé ?",
    "Très bien, je vous ouvre le dossier. Avez-vous d'autres questions ?",
]


def _reply_text(chat: list[dict]) -> str:
    content = chat[-1]["content"] if chat and chat[-1]["role"] == "assistant" else ""
    return content if isinstance(content, str) else "".join(p.get("text", "") for p in content)


def timed_reply(trainee, token: str, session: str, text: str) -> tuple[float, float]:  # noqa: ANN001
    """(first shown sentence, whole reply) in seconds for one trainee message."""
    start = time.monotonic()
    job = trainee.submit(token, session, text, api_name="/send")
    first = None
    while not job.done():
        outputs = job.outputs()
        if first is None and outputs and _reply_text(outputs[-1][0]).strip():
            first = time.monotonic() - start
        time.sleep(0.01)
    chat, status, _ = job.result()
    total = time.monotonic() - start
    if "⚠️" in status:
        raise RuntimeError(status)
    return (first if first is not None else total), total


def app_path(scenario_id: str, runs: int) -> None:
    from gradio_client import Client

    home = Path(tempfile.mkdtemp(prefix="crca-bench-")) / "home"
    with app_process(home) as app:
        page = None
        while page is None:
            try:
                import httpx

                if httpx.get(app.url, timeout=1).status_code == 200:
                    page = time.monotonic() - app.started
            except httpx.HTTPError:
                time.sleep(0.05)
        warm = app.wait_for_line(WARM_LINE, timeout=900)
        print(f"crca app: page served after {page:.2f} s, models warm after {warm:.1f} s")
        username, password = app.accounts()["stagiaire"]
        trainee = Client(app.url, verbose=False)
        token = trainee.predict(username, password, api_name="/sign_in")[0]
        session = trainee.predict(token, scenario_id, api_name="/start")[0]
        firsts, totals = [], []
        for run in range(runs):
            first, total = timed_reply(trainee, token, session, MESSAGES[run % len(MESSAGES)])
            firsts.append(first)
            totals.append(total)
        print(
            f"through the app, {runs} replies: first shown sentence median "
            f"{statistics.median(firsts):.2f} s (max {max(firsts):.2f}), whole reply median "
            f"{statistics.median(totals):.2f} s (max {max(totals):.2f})"
        )
        [pid] = app.model_server_pids()
        os.kill(pid, signal.SIGKILL)
        session = trainee.predict(token, scenario_id, api_name="/start")[0]  # the first may have ended
        first, total = timed_reply(trainee, token, session, MESSAGES[0])
        print(f"after killing the model server: first sentence {first:.2f} s, whole reply {total:.2f} s")


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
    parser.add_argument("--skip-latency", action="store_true", help="only the app path")
    parser.add_argument("--scenario", default="auto-sinistre-choc-arriere")
    args = parser.parse_args()

    app_path(args.scenario, args.runs)
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
