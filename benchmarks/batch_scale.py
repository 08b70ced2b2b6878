"""Batch grading at scale: `--jobs` scaling against a model with a fixed latency, and a big resumable batch.

1. Scaling: the real RubricGrader, its model the local OpenAI-compatible stub answering « oui » after
   `--latency` s per call (a remote model server). For N in `--jobs`, 2N transcripts graded with
   `jobs=N`; throughput against jobs=1. Target: speed-up ≥ 0.8·N up to N = 16.
2. Big batch: `--files` transcripts (one in 20 malformed) graded by `crca grade --jobs 8` in a child
   process (fact-check left out, as in 1), killed with SIGKILL after `--kill-after` s, then run again:
   every bad file is named, no result is half-written, and the second run grades only what the
   first had not finished.

    .venv/bin/python benchmarks/batch_scale.py [--jobs 1 2 4 8 16] [--latency 0.5] [--files 1000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.long_transcripts import write_batch  # noqa: E402
from tests.openai_stub import OpenAIStub  # noqa: E402


def _env(stub: OpenAIStub, home: Path) -> dict[str, str]:
    return {
        "CRCA_HOME": str(home), "CRCA_CONFIG": str(home / "absent.toml"),
        "CRCA_GRADER__BACKEND": "openai", "CRCA_GRADER__BASE_URL": stub.base_url,
        "CRCA_GRADER__API_KEY": "stub", "CRCA_GRADER__MODEL": "stub",
    }  # fmt: skip


def scaling(stub: OpenAIStub, jobs: list[int], tmp: Path) -> None:
    from crca.settings import load_settings
    from evaluation import batch

    batch._fact_checker = lambda settings: None  # the conditions index is not what is measured
    grader, rubric = batch.build_grader(load_settings())
    print(f"1. --jobs : modèle simulé à {stub.delay} s par appel (sans vérification des faits)")
    header = ["jobs", "transcriptions", "durée (s)", "débit (/s)", "accélération", "cible"]
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, [5, 15, 10, 11, 13, 7], strict=True)))
    base = None
    for n in jobs:
        folder = tmp / f"jobs{n}"
        write_batch(folder, 2 * n, bad_every=10**9)
        calls_before = len(stub.requests)
        start = time.monotonic()
        outcome = batch.run_batch([folder], tmp / f"out{n}", grader, rubric, jobs=n, show_progress=False)
        elapsed = time.monotonic() - start
        assert not outcome.failed, outcome.failed
        rate = 2 * n / elapsed
        base = base or rate
        calls = (len(stub.requests) - calls_before) / (2 * n)
        met = "oui" if rate / base >= 0.8 * n else "non"
        print(f"{n:>5} {2 * n:>15} {elapsed:>10.1f} {rate:>11.2f} {rate / base:>12.1f}× {met:>7}"
              f"   ({calls:.0f} appels au modèle par transcription)")  # fmt: skip


def big_batch(stub: OpenAIStub, files: int, kill_after: float, tmp: Path) -> None:
    folder, out, home = tmp / "big", tmp / "big-out", tmp / "home"
    bad = write_batch(folder, files, bad_every=20, turns=6)
    # `crca grade` as the CLI runs it, the fact-check left out as in part 1: its sentence encoder
    # costs CPU per advisor sentence, which is not what this part measures (kill -9 and resume).
    command = [
        sys.executable,
        "-c",
        _CRCA_WITHOUT_FACTCHECK,
        "grade",
        str(folder),
        "--out",
        str(out),
        "--jobs",
        "8",
    ]
    env = {**os.environ, **_env(stub, home)}
    what = f"{files} fichiers dont {len(bad)} malformés"
    print(f"\n2. {what}, crca grade --jobs 8, kill -9 après {kill_after:g} s")
    start = time.monotonic()
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(kill_after)
    first.send_signal(signal.SIGKILL)
    first.wait()
    done_first = sorted(p.name for p in out.glob("*.json"))
    problems = _half_written(out)
    print(f"   après kill -9 : {len(done_first)} résultats complets, {len(problems)} à moitié écrits")
    second = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    named = [b for b in bad if str(b) in second.stderr]
    results = list(out.glob("*.json"))
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    skipped = next((line for line in second.stderr.splitlines() if "déjà évaluée" in line), "")
    print(f"   reprise : code {second.returncode} ; {skipped.strip()}")
    half = len(_half_written(out))
    print(f"   {len(results)} résultats, {len(rows)} lignes dans summary.csv (attendu {files - len(bad)}) ; "
          f"{len(named)}/{len(bad)} fichiers malformés nommés ; {half} résultat(s) à moitié écrit(s) ; "
          f"durée totale {elapsed:.0f} s")  # fmt: skip


_CRCA_WITHOUT_FACTCHECK = (
    "import sys; from evaluation import batch; batch._fact_checker = lambda settings: None; "
    "from webapp.cli import main; sys.exit(main(sys.argv[1:]))"
)


def _half_written(out: Path) -> list[str]:
    """Results that do not parse, or a JSON marker without its Markdown report."""
    broken = []
    for path in out.glob("*.json"):
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            broken.append(path.name)
            continue
        if not path.with_suffix(".md").exists():
            broken.append(path.name)
    return broken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, nargs="*", default=[1, 2, 4, 8, 16])
    parser.add_argument("--latency", type=float, default=0.5, help="secondes par appel au modèle simulé")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--kill-after", type=float, default=20.0)
    parser.add_argument("--big-latency", type=float, default=0.05)
    args = parser.parse_args()
    with OpenAIStub(lambda request: "oui") as stub, tempfile.TemporaryDirectory(prefix="crca-batch-") as tmp:
        home = Path(tmp) / "home"
        os.environ.update(_env(stub, home))
        if args.jobs:
            stub.delay = args.latency
            scaling(stub, args.jobs, Path(tmp))
        if args.files:
            stub.delay = args.big_latency
            big_batch(stub, args.files, args.kill_after, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
