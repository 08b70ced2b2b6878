"""One real grading of a short transcript by the embedded model (slow: a few minutes on 2 cores)."""

from __future__ import annotations

import time

import pytest

from crca.llm import chat_model
from domain.grades import Verdict
from domain.transcript import Action, Transcript, Turn
from evaluation.evidence import is_verbatim
from evaluation.grader import RubricGrader
from rubrics.loader import load_rubric

TURNS = [
    ("advisor", "Bonjour, Assurances du Littoral, Julie à votre écoute. Que puis-je faire pour vous ?"),
    ("client", "Bonjour, j'ai un dégât des eaux dans ma cuisine depuis hier soir."),
    (
        "advisor",
        "Je suis désolée. Pouvez-vous me donner votre numéro de contrat ? Quelles pièces sont touchées ?",
    ),
    ("client", "Contrat 4521. Seulement la cuisine, le parquet est gonflé."),
    ("advisor", "Je déclare le sinistre et je missionne un expert, il vous appellera sous 48 heures."),
    ("advisor", "Merci de votre appel, Madame Martin, bonne journée."),
]


# A record detailed enough to count as complete (B1.16/B2.6/B2.8 read the words of detail logged).
CLAIM_NOTE = (
    "Dégât des eaux du 14/03 au soir, cuisine seule, parquet gonflé, origine non encore déterminée ; "
    "contrat 4521 MRH Confort vérifié, cliente identifiée. Pièces attendues : photos et factures."
)
EXPERT = (
    "Expert mandaté pour la cuisine, contact de la cliente sous 48 heures, rapport attendu sous 15 jours."
)


@pytest.mark.embedded
def test_embedded_model_grades_a_short_transcript(crca_home: object) -> None:
    transcript = Transcript(
        id="embedded-short",
        turns=[Turn(speaker=s, text=t) for s, t in TURNS],  # type: ignore[arg-type]
        actions=[
            Action(type="claim_opened", detail=CLAIM_NOTE),
            Action(type="expert_mandated", detail=EXPERT),
        ],
    )
    # The checks' own verdicts: the handling-level adjustment has its own tests (test_holistic.py).
    checks_only = load_rubric().model_copy(update={"handling_level": None})
    grader = RubricGrader(chat_model("grader"), checks_only)
    start = time.monotonic()
    report = grader.grade(transcript)
    elapsed = time.monotonic() - start
    print(f"\n{elapsed:.0f} s, {grader.last_model_calls} appels au modèle")
    assert len(report.criteria) == 28
    assert all(is_verbatim(transcript, e) for g in report.criteria for e in g.evidence)
    assert report.grade("B1.1").verdict == Verdict.ACQUIRED
    assert report.grade("B1.11").verdict == Verdict.NOT_OBSERVED  # nothing was refused
    assert report.grade("B2.6").verdict == Verdict.ACQUIRED  # the claim was opened in the tool, in detail
    assert report.grade("B1.15").verdict in (Verdict.NOT_ACQUIRED, Verdict.NOT_OBSERVED)  # no app mentioned
