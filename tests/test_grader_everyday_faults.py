"""Faults in everyday words: unexplained acronyms and the paraphrase cues of the fault checks."""

from __future__ import annotations

import pytest

from crca.llm import ScriptedChatModel
from domain.transcript import Transcript, Turn
from evaluation.acronyms import acronyms
from evaluation.detectors import DetectorInput, jargon
from evaluation.sentence_faults import SentenceFaults
from rubrics import Check

TERM = Check(id="B1.2.j", statement="s", role="behaviour", detector="jargon", negative=True, cues=["avenant"])


def _said(*turns: tuple[str, str]) -> DetectorInput:
    return DetectorInput(
        Transcript(id="t", turns=[Turn(speaker=s, text=x) for s, x in turns]),  # type: ignore[arg-type]
        frozenset(),
    )


def test_acronyms_and_code_references_are_found_but_not_words_a_client_knows() -> None:
    text = "Vous êtes en IRSI tranche 1, suspension L113-3 à J+30. Envoyez votre RIB par SMS. MERCI !"
    assert [m.group() for m in acronyms(text)] == ["IRSI", "L113-3", "J+30"]
    assert acronyms("Le chapitre II, en formule Confort, classe A.") == []


def test_an_unexplained_acronym_is_jargon_an_explained_one_or_the_clients_own_is_not() -> None:
    assert jargon(TERM, _said(("advisor", "On est en IRSI, assureur gestionnaire."))).result.passed is False
    explained = _said(("advisor", "La convention IRSI, c'est-à-dire l'accord entre assureurs."))
    assert jargon(TERM, explained).result.passed is True
    echoed = _said(("client", "Mon voisin parle de l'IRSI ?"), ("advisor", "Oui, l'IRSI s'applique."))
    assert jargon(TERM, echoed).result.passed is True
    found = jargon(TERM, _said(("advisor", "Résil à J+40, voilà.")))
    assert found.result.passed is False and "J+40" in found.result.evidence[0].quote


@pytest.fixture(scope="module")
def finder() -> SentenceFaults:
    # A model that confirms every candidate: what is measured here is the candidates' reach.
    return SentenceFaults(ScriptedChatModel(replies=["oui"]))


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Il me reste deux places à ce tarif, faut vous décider maintenant.", "pressure"),
        ("Tout le monde prend cette option, vous savez.", "pressure"),
        ("Bah fallait appeler plus tôt.", "curt"),
        ("C'est le prix, c'est à prendre ou à laisser.", "curt"),
        ("Même si la suspension tombe, on vous couvrira quand même.", "false_promise"),
        ("Écrivez-moi ici le code reçu par SMS, je m'en occupe.", "bank_details"),
    ],
)
def test_everyday_faults_reach_their_check(finder: SentenceFaults, sentence: str, kind: str) -> None:
    assert kind in finder.faults(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Vous avez fait exactement ce qu'il fallait faire.",
        "La prescription, c'est deux ans pour réclamer, après c'est trop tard.",
        "Pour votre sécurité, ne me donnez jamais le code reçu par SMS.",
    ],
)
def test_correct_sentences_near_the_new_cues_are_not_flagged(finder: SentenceFaults, sentence: str) -> None:
    assert finder.faults(sentence) == []


def test_a_single_technical_word_in_a_long_plain_exchange_is_not_jargon_a_dense_one_is() -> None:
    plain = [("advisor", "Je regarde votre dossier."), ("client", "Merci.")] * 12
    single = _said(*plain, ("advisor", "Je vous envoie l'avenant ce soir."))
    outcome = jargon(TERM, single).result
    assert outcome.passed is True and "avenant" in outcome.note
    dense = _said(*plain, ("advisor", "Avenant, IRSI, franchise : on applique le L113-4."))
    assert jargon(TERM, dense).result.passed is False


def test_a_label_written_in_capitals_is_not_an_acronym() -> None:
    assert acronyms("Le virement portera le libellé « HORIZON MUTUELLE REMB ».") == []


def test_the_fault_benchmark_prints_false_alarms_per_kind() -> None:
    from benchmarks.faults import measure
    from evaluation.grader_sets import FaultItem

    items = [
        FaultItem(id="a", text="x", fault="pressure"),
        FaultItem(id="b", text="y", fault="none"),
        FaultItem(id="c", text="z", fault="none"),
    ]

    class Finder:
        def faults(self, text: str, previous_client: str = "") -> list[str]:
            return {"x": ["pressure"], "y": ["pressure", "jargon"], "z": []}[text]

    figures = measure(items, Finder())
    assert figures["kind:pressure"] == 1.0 and figures["alarm:pressure"] == 0.5
    assert figures["false_alarms"] == 0.5
