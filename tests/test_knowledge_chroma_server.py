"""CRCA_CHROMA_URL: the conditions index lives on a chroma server shared by several app processes."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.index import chroma_client
from tests.app_process import free_port


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    binary = Path(sys.executable).with_name("chroma")
    if not binary.exists():
        pytest.skip("commande chroma absente")
    port = free_port()
    process = subprocess.Popen(
        [str(binary), "run", "--path", str(tmp_path / "server"), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("le serveur chroma n'a pas démarré")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_index_goes_to_the_chroma_server_when_configured(
    chroma_server: str, crca_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import chromadb

    local = tmp_path / "local-store"
    monkeypatch.setenv("CRCA_CHROMA_URL", chroma_server)
    client = chroma_client(local)
    collection = client.get_or_create_collection("probe", embedding_function=None)
    collection.add(ids=["a1"], embeddings=[[0.1, 0.2, 0.3]], documents=["Franchise bris de glace."])

    port = int(chroma_server.rsplit(":", 1)[1])
    other = chromadb.HttpClient(host="127.0.0.1", port=port)  # another app process
    assert other.get_collection("probe").get(ids=["a1"])["documents"] == ["Franchise bris de glace."]
    assert not local.exists()

    monkeypatch.delenv("CRCA_CHROMA_URL")
    chroma_client(local)
    assert local.is_dir()  # without the setting, the local persistent store as before
