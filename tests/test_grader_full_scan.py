"""A strong model is not capped by the cues: checks without cue candidates are asked over all the
advisor's turns (openai backend, against the local OpenAI-compatible stub), quotes verified."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crca.llm import ScriptedChatModel
from crca.settings import load_settings
from domain.transcript import Transcript, Turn
from evaluation.checks import CheckRunner
from evaluation.evidence import is_verbatim
from evaluation.grader import RubricGrader
from rubrics.loader import load_rubric
from tests.openai_stub import OpenAIStub

PRESSURE = "Franchement, il vaudrait mieux vous engager sans attendre, après je ne garantis plus rien."
TURNS = [
    ("client", "Bonjour, je voudrais un devis pour ma voiture."),
    ("advisor", "Bonjour, Horizon Mutuelle, je vous écoute."),
    ("client", "Je vais réfléchir."),
    ("advisor", PRESSURE),
]


def _transcript() -> Transcript:
    return Transcript(id="t", turns=[Turn(speaker=s, text=x) for s, x in TURNS])  # type: ignore[arg-type]


def _reply(quote: str) -> Any:
    def reply(request: dict[str, Any]) -> str:
        question = request["messages"][-1]["content"]
        if "response_format" not in request:
            return "non"
        holds = "pression commerciale" in question
        return json.dumps({"explanation": "x", "holds": holds, "turn": 3 if holds else None, "quote": quote})

    return reply


@pytest.fixture
def grader_env(monkeypatch: pytest.MonkeyPatch, crca_home):  # type: ignore[no-untyped-def]
    def configure(base_url: str) -> None:
        for key, value in {
            "BACKEND": "openai",
            "BASE_URL": base_url,
            "MODEL": "stub",
            "API_KEY": "sk-t",
        }.items():
            monkeypatch.setenv(f"CRCA_GRADER__{key}", value)

    return configure


CHECK = next(c for c in load_rubric().get("B1.0").checks if c.id == "B1.0.pressure")


def _pressure(full_scan: bool = True):  # type: ignore[no-untyped-def]
    from crca.llm import chat_model

    runner = CheckRunner(chat_model("grader", load_settings()), _transcript(), full_scan=full_scan)
    outcome = runner.run(CHECK)
    assert outcome is not None
    return outcome.result


def test_the_openai_grader_finds_a_fault_no_cue_matches_with_a_verbatim_quote(grader_env) -> None:  # type: ignore[no-untyped-def]
    quote = "il vaudrait mieux vous engager sans attendre"
    with OpenAIStub(_reply(quote)) as stub:
        grader_env(stub.base_url)
        assert RubricGrader.from_settings(load_settings()).full_scan
        check = _pressure()
    assert (check.passed, check.source) == (False, "model")
    assert check.evidence and check.evidence[0].turn == 3 and is_verbatim(_transcript(), check.evidence[0])
    scans = [r for r in stub.requests if "response_format" in r]
    assert scans and all(PRESSURE in r["messages"][-1]["content"] for r in scans)


def test_a_claimed_quote_not_in_the_transcript_counts_as_no(grader_env) -> None:  # type: ignore[no-untyped-def]
    with OpenAIStub(_reply("vous devez signer immédiatement")) as stub:
        grader_env(stub.base_url)
        check = _pressure()
    assert check.passed is True and "mot pour mot" in check.note


def test_the_small_model_is_never_asked_over_the_whole_transcript() -> None:
    model = ScriptedChatModel(replies=["Oui."])
    grader = RubricGrader(model)
    assert not grader.full_scan
    report = grader.grade(_transcript())
    assert report.criteria and all(
        "Tours du conseiller" not in str(messages[-1].content) for messages, _ in model.calls
    )
