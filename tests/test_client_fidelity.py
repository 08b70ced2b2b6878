"""The benchmark's own detectors and arithmetic, on hand-made replies (its figures must be honest)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from crca.text import has_cue
from tests.test_client_director import make_scenario

_spec = importlib.util.spec_from_file_location(
    "client_fidelity", Path(__file__).resolve().parents[1] / "benchmarks" / "client_fidelity.py"
)
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

SCENARIO = make_scenario()
PUBLIC = "\n".join([SCENARIO.persona.situation, SCENARIO.opening_line, "Claire Martin 45"])
LOCKED = [f.content for f in SCENARIO.hidden_facts]


def verdict(reply: str) -> dict:
    return bench.judge(reply, SCENARIO, PUBLIC, LOCKED)


def test_good_reply_is_clean_on_every_measure() -> None:
    v = verdict("Oui, l'eau coule encore un peu dans la cuisine. Qu'est-ce que je dois faire ?")
    assert not v["role_break"] and not v["leaked"] and not v["contradiction"] and not v["non_french"]


def test_each_independent_detector_catches_its_bad_reply() -> None:
    assert verdict("Nous allons ouvrir un dossier pour vous.")["role_break"]
    assert verdict("Je suis un assistant, je peux vous guider.")["role_break"]
    assert verdict("Bon, la fuite vient de chez mon voisin du dessus, je crois.")["leaked"]
    assert verdict("C'était le 14, je m'en souviens.")["leaked"]  # the fact's own number
    assert verdict("J'ai 52 ans, vous savez.")["contradiction"]
    assert verdict("Sorry, I think that you can help me with the water.")["non_french"]


def test_scripted_trainees_ask_or_avoid_the_cues() -> None:
    good, poor = bench.good_trainee(SCENARIO), bench.poor_trainee(SCENARIO)
    for fact in SCENARIO.hidden_facts:
        assert any(has_cue(turn, cue) for turn in good for cue in fact.reveal_when)
        assert not any(has_cue(turn, cue) for turn in poor for cue in fact.reveal_when)


def test_summary_rates_and_percentiles() -> None:
    flags = dict.fromkeys("fallback completed role_break leak contradiction non_french".split(), False)
    reply = {"reply": "x", "words": 4, "latency": 1.0, "first_piece": 0.5, "guard_codes": [], **flags}
    rows = [reply, {**reply, "role_break": True, "latency": 3.0, "guard_codes": ["ai"]},
            {"asked": 2, "asked_not_revealed": 1, "facts": 4, "facts_leaked": 1}]  # fmt: skip
    summary = bench.summarize(rows)
    assert (
        summary["turns"] == 2 and summary["role_break_pct"] == 50.0 and summary["leak_pct_of_facts"] == 25.0
    )
    assert summary["asked_never_revealed"] == 1 and summary["raw_rejections"] == 1
    assert summary["median_latency_s"] == 2.0 and summary["p95_latency_s"] == 3.0


def test_scripted_run_plays_every_turn_without_model(tmp_path: Path) -> None:
    rows: list[dict] = []
    bench.run_one(SCENARIO, bench.good_trainee(SCENARIO), bench.scripted_model(), rows.append)
    replies = [r for r in rows if "reply" in r]
    assert len(replies) == len(bench.good_trainee(SCENARIO))
    assert rows[-1]["asked"] == 3 and rows[-1]["asked_not_revealed"] == 0 and rows[-1]["facts_leaked"] == 0
