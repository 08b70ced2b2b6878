"""Sign-in throttling on the served app, for issue #16's figures.

1. Through the served app (`gradio_client`, real clock): 30 wrong passwords for one account
   as fast as a script can send them: how many were really checked, how many refused, and
   whether the right password then gets in.
2. Same app: sign-in time of a wrong password for a known name and for an unknown one (the
   answer must not tell them apart, its time neither).
3. With the default policy and a simulated clock: the most guesses one account and one
   address can try in a day, each as soon as the throttle allows.

    .venv/bin/python benchmarks/sign_in.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crca.settings import AuthSettings, ThrottleSettings  # noqa: E402
from tests.app_server import running_app  # noqa: E402
from webapp.storage.throttle import locks, wait_for  # noqa: E402


def attempt(client: Any, name: str, password: str) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        client.predict(name, password, api_name="/sign_in")
        answer = "acceptée"
    except Exception as exc:  # gradio_client's AppError carries the French message
        answer = str(exc)
    return time.perf_counter() - start, answer


def guesses_per_day(rule: ThrottleSettings) -> int:
    """Checked guesses in 24 h by a script that retries the instant the throttle allows."""
    now = start = datetime(2026, 1, 1, tzinfo=UTC)
    failures: list[datetime] = []
    locked_at: datetime | None = None
    checked = lock_count = 0
    while now < start + timedelta(days=1):
        wait = wait_for(failures, locked_at, now, rule, lock_count)
        if wait is not None:
            now = wait.until
            continue
        checked += 1
        failures.append(now)
        if locks(failures, now, rule):
            failures, locked_at, lock_count = [], now, lock_count + 1
    return checked


def main() -> None:
    from gradio_client import Client

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with running_app(Path(tempfile.mkdtemp()) / "home") as (url, services):
        client = Client(url, verbose=False)
        began = time.perf_counter()
        answers = [attempt(client, "alice", f"devine-{i:03d}-xyz")[1] for i in range(30)]
        elapsed = time.perf_counter() - began
        checked = sum(a.startswith("Identifiant ou mot de passe incorrect") for a in answers)
        print(f"30 mauvais mots de passe en {elapsed:.1f} s : {checked} vérifiés, {30 - checked} refusés")
        print(f"  puis le bon mot de passe : {attempt(client, 'alice', 'motdepasse-a1b2')[1]}")
        services.repo.unlock(address="127.0.0.1")
        for i in range(args.runs):
            services.repo.create_user(f"compte{i}", "motdepasse-a1b2", "trainee")
        # A first failure each time (every one is checked), known and unknown names interleaved.
        known, unknown = [], []
        for i in range(args.runs):
            known.append(attempt(client, f"compte{i}", "faux-mot-de-passe")[0] * 1000)
            unknown.append(attempt(client, f"inconnu{i}", "faux-mot-de-passe")[0] * 1000)
        print(f"Échec vérifié, médiane sur {args.runs} : compte existant {statistics.median(known):.0f} ms, "
              f"nom inconnu {statistics.median(unknown):.0f} ms")  # fmt: skip
    auth = AuthSettings()
    per_account, per_address = guesses_per_day(auth.account), guesses_per_day(auth.address)
    print(f"Politique par défaut, un script qui réessaie dès que permis : {per_account} essais par jour "
          f"sur un compte, {per_address} par adresse")  # fmt: skip


if __name__ == "__main__":
    main()
