"""Several trainees chatting at once through the served app, against a model with a fixed latency.

`crca app` runs in a child process (the README's command) with its client model pointed at the
local OpenAI-compatible stub (first token after `--first-token` s, then `--rate` words/s). For each
cohort size N, N trainees sign in, start a scenario and send `--turns` messages at the same time
(`gradio_client`, as the browser does). Printed per N: p50/p95 time to the first shown sentence
beside the stub's own time to its first sentence, errors, and a consistency check of the database
afterwards (each session holds exactly its trainee's messages, in order, each answered once), and
the app's CPU time per request (sign-in and start included): on a machine with C cores, N trainees
cannot all be served in less than N x that / C, whatever the model's speed.
Target: p95 ≤ 1.5× the stub's own at N = 20, no error at N = 50.

    .venv/bin/python benchmarks/concurrency.py [--sizes 1 5 20 50] [--turns 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.app_startup import timed_reply  # noqa: E402
from tests.app_process import WARM_LINE, app_process, cpu_ticks  # noqa: E402
from tests.openai_stub import OpenAIStub  # noqa: E402

SCENARIO = "auto-sinistre-choc-arriere"
REPLIES = [
    "Oui, c'est bien moi. On m'a percuté par l'arrière hier soir, au feu rouge.",
    "J'étais arrêté au feu. La voiture derrière moi m'a heurté, le pare-chocs est enfoncé.",
    "Oui, avec l'autre conducteur. Nous avons rempli un constat amiable, il a tout reconnu.",
    "Personne n'a été blessé. J'ai juste eu très peur sur le moment.",
    "D'accord, merci bien madame. Je vais attendre votre appel alors.",
]
"""One distinct reply per turn (the simulator drops a sentence the client already said), each
opening on a sentence of four or five words, so the stub's own first-sentence time fits every turn."""


def stub_reply(request: dict) -> str:
    advisor_turns = sum(1 for m in request["messages"] if m["role"] == "user")
    return REPLIES[(advisor_turns - 1) % len(REPLIES)]


def stub_first_sentence(stub: OpenAIStub, runs: int = 5) -> float:
    """The stub's own time to the end of the first sentence of a streamed reply (median)."""
    from openai import OpenAI

    client = OpenAI(base_url=stub.base_url, api_key="stub")
    times = []
    for _ in range(runs):
        start, text, first = time.monotonic(), "", None
        stream = client.chat.completions.create(
            model="stub", stream=True, messages=[{"role": "user", "content": "Bonjour"}]
        )
        for chunk in stream:  # read to the end: closing early breaks the stub's pipe
            text += chunk.choices[0].delta.content or ""
            if first is None and re.search(r"[.!?]", text):
                first = time.monotonic() - start
        times.append(first if first is not None else time.monotonic() - start)
    return statistics.median(times)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_cohort(url: str, names: list[str], turns: int) -> tuple[list[float], list[str], dict[str, list[str]]]:
    """Every trainee plays `turns` messages at once; (first-sentence latencies, errors, sent per session)."""
    from gradio_client import Client

    clients, sessions, sent, errors, latencies = {}, {}, {}, [], []
    for name in names:  # sign-in and start before the clock: the chat turns are what is measured
        clients[name] = Client(url, verbose=False)
        token = clients[name].predict(name, "motdepasse1", api_name="/sign_in")[0]
        sessions[name] = (token, clients[name].predict(token, SCENARIO, api_name="/start")[0])
        sent[sessions[name][1]] = []
    barrier, lock = threading.Barrier(len(names)), threading.Lock()

    def trainee(name: str) -> None:
        token, session = sessions[name]
        barrier.wait()
        for k in range(turns):
            text = f"Question {k + 1} de {name} : pouvez-vous me décrire la suite ?"
            try:
                first, _ = timed_reply(clients[name], token, session, text)
            except Exception as exc:  # counted and printed: an error is a result here
                with lock:
                    errors.append(f"{name} tour {k + 1} : {exc}")
                return
            with lock:
                latencies.append(first)
                sent[session].append(text)

    threads = [threading.Thread(target=trainee, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, sent


def check_database(db_url: str, sent: dict[str, list[str]]) -> list[str]:
    """Problems found: a session whose advisor turns are not exactly what its trainee sent, in order,
    each followed by one client reply."""
    from webapp.storage import Repository

    repo, problems = Repository.open(db_url), []
    for session_id, texts in sent.items():
        record = repo.get_session(session_id)
        if record is None:
            problems.append(f"session {session_id} perdue")
            continue
        turns = record.transcript.turns
        advisor = [t.text for t in turns if t.speaker.value == "advisor"]
        if advisor != texts:
            problems.append(f"session {session_id} : tours du conseiller {advisor!r} ≠ envoyés {texts!r}")
        speakers = [t.speaker.value for t in turns[1:]]
        if speakers != ["advisor", "client"] * len(texts):
            problems.append(f"session {session_id} : alternance rompue {speakers}")
        if record.last_error:
            problems.append(f"session {session_id} : erreur {record.last_error}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 20, 50])
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--first-token", type=float, default=0.3)
    parser.add_argument("--rate", type=float, default=40.0, help="mots par seconde du modèle simulé")
    parser.add_argument(
        "--embedded", action="store_true", help="le modèle embarqué au lieu du modèle simulé (ex. --sizes 4)"
    )
    args = parser.parse_args()

    from webapp.storage import Repository

    with OpenAIStub(stub_reply) as stub, tempfile.TemporaryDirectory(prefix="crca-conc-") as tmp:
        stub.first_token_delay, stub.tokens_per_second = args.first_token, args.rate
        own = stub_first_sentence(stub)
        home = Path(tmp) / "home"
        db_url = f"sqlite:///{home / 'crca.sqlite3'}"
        repo = Repository.open(db_url)
        names = [f"stagiaire{i:02d}" for i in range(max(args.sizes))]
        for name in names:
            repo.create_user(name, "motdepasse1", "trainee")
        grader = Path(tmp) / "grader.yaml"
        grader.write_text("- 'oui'\n", encoding="utf-8")
        env = {
            "CRCA_CLIENT__BACKEND": "openai", "CRCA_CLIENT__BASE_URL": stub.base_url,
            "CRCA_CLIENT__API_KEY": "stub", "CRCA_CLIENT__MODEL": "stub",
            "CRCA_GRADER__BACKEND": "scripted", "CRCA_GRADER__SCRIPT": str(grader),
        }  # fmt: skip
        if args.embedded:
            env = {"CRCA_CLIENT__BACKEND": "embedded", "CRCA_GRADER__BACKEND": "scripted",
                   "CRCA_GRADER__SCRIPT": str(grader)}  # fmt: skip
            print("Modèle embarqué (llama_cpp.server, une requête à la fois).", end=" ")
        else:
            print(f"Modèle simulé : premier mot {args.first_token} s, {args.rate:g} mots/s ; "
                  f"sa propre première phrase : {own:.2f} s.", end=" ")  # fmt: skip
        print(f"{args.turns} messages par stagiaire.")
        header = ["N", "p50 (s)", "p95 (s)", "p95/modèle", "erreurs", "CPU/requête"]
        print(" ".join(f"{h:>{w}}" for h, w in zip(header, [3, 8, 8, 11, 8, 11], strict=True)) + "  base")
        with app_process(home, env) as app:
            app.wait_for_line(WARM_LINE, timeout=300)
            offset = 0
            for size in args.sizes:
                cohort = names[offset : offset + size] if offset + size <= len(names) else names[:size]
                offset += size
                ticks = cpu_ticks(app.process.pid)
                latencies, errors, sent = run_cohort(app.url, cohort, args.turns)
                cpu_ms = (cpu_ticks(app.process.pid) - ticks) * 10 / max(1, len(latencies) + len(cohort))
                problems = check_database(db_url, sent)
                p50 = statistics.median(latencies) if latencies else float("nan")
                p95 = percentile(latencies, 0.95) if latencies else float("nan")
                state = "cohérente" if not problems else f"{len(problems)} problème(s)"
                print(
                    f"{size:>3} {p50:>8.2f} {p95:>8.2f} {p95 / own:>10.2f}× {len(errors):>8} "
                    f"{cpu_ms:>6.0f} ms  {state}"
                )
                for line in (errors + problems)[:5]:
                    print(f"      {line}")
                if args.embedded:
                    print("      latences (s) : " + " ".join(f"{x:.1f}" for x in sorted(latencies)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
