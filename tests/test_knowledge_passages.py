"""What search adds for everyday queries: the answering sentence, understood wording, a fast reopen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from crca.settings import Settings
from knowledge.index import SNAPSHOT_FILE
from knowledge.retriever import ConditionRetriever

FIXTURE = Path(__file__).parent / "fixtures" / "knowledge"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("passages-home")


@pytest.fixture(scope="module")
def retriever(home: Path) -> ConditionRetriever:
    return ConditionRetriever.open(Settings(home=home), directory=FIXTURE)


def test_the_hit_names_the_sentence_that_answers(retriever):
    top = retriever.search("quelle franchise pour un dégât des eaux ?", k=1)[0]
    assert top.article_id == "MRH-DDE-01"
    assert top.passage == "La franchise dégât des eaux est de 150 € par sinistre."

    top = retriever.search("en combien de temps prévenir la police après le vol de ma voiture ?", k=1)[0]
    assert top.article_id == "AUTO-VOL-01"
    assert top.passage.startswith("Vous devez déclarer le vol aux autorités de police")


def test_every_passage_is_a_verbatim_part_of_its_article(retriever):
    for hit in retriever.search("vol franchise pare-brise bonus fuite", k=7):
        assert hit.passage and hit.passage in hit.text


def test_everyday_wording_reaches_the_keyword_side(retriever):
    # No word of the query is in the vol article: only the understood meaning links them.
    hits = retriever.search("ma bagnole s'est fait chourer", mode="keyword", k=2)
    assert hits and hits[0].article_id == "AUTO-VOL-01"
    assert retriever.search("fransise pour le parbrise", mode="keyword", k=1)[0].article_id == "AUTO-BDG-01"


def test_a_new_process_searches_from_the_snapshot_without_chromadb(retriever, home):
    assert (home / "chroma" / SNAPSHOT_FILE).is_file()
    script = (
        "import sys; from pathlib import Path; from crca.settings import Settings;"
        "from knowledge.retriever import ConditionRetriever;"
        f"r = ConditionRetriever.open(Settings(home=Path({str(home)!r})), directory=Path({str(FIXTURE)!r}));"
        "print(r.report.action, r.search('pare-brise fendu', k=1)[0].article_id, 'chromadb' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["unchanged", "AUTO-BDG-01", "False"]


def test_a_damaged_snapshot_is_rebuilt_from_the_store(retriever, home):
    (home / "chroma" / SNAPSHOT_FILE).write_bytes(b"not an archive")
    reopened = ConditionRetriever.open(Settings(home=home), directory=FIXTURE)
    assert reopened.search("pare-brise fendu", k=1)[0].article_id == "AUTO-BDG-01"
    with np.load(home / "chroma" / SNAPSHOT_FILE) as snapshot:  # written anew
        assert list(snapshot["ids"]) == [a.id for a in reopened.articles]
