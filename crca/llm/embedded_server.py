"""The embedded model's server: one `llama_cpp.server` child per process, kept alive.

One server is shared by every role; the engine reuses the longest common prefix of
consecutive prompts, so a conversation's earlier turns (or a transcript shared by grading
calls) are not evaluated again. Its RAM cache of saved states is left off: a grading run
grew it past 11 GB, and sequential calls do not need it.

The server is tied to the app process, not to the thread that started it
(`crca.tied_child`). If it dies anyway (killed, out of memory), the next model call
starts a new one: chat models reach it through `EmbeddedTransport`, which sends each
request to the server as it is now, so the client and the grader follow the new address.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator

import httpx

from crca.llm.embedded import MODEL_ALIAS, ensure_model
from crca.llm.errors import LLMError, ModelRestarting
from crca.settings import EmbeddedSettings
from crca.tied_child import spawn_tied

log = logging.getLogger(__name__)

EMBEDDED_BASE_URL = "http://embedded-model.invalid/v1"
"""What chat models are configured with; `EmbeddedTransport` replaces the host on each request."""


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
        args = [
            "--model", str(model),
            "--model_alias", MODEL_ALIAS,
            "--host", self.settings.host,
            "--port", str(port),
            "--n_ctx", str(self.settings.n_ctx),
            "--n_threads", str(self.settings.n_threads),
            "--n_threads_batch", str(self.settings.n_threads),
            "--logits_all", "False",  # the server's default computes logits for every prompt token
            # Requests are served one at a time (one sequence, no parallel slots). By default a new
            # request cuts the reply being streamed: with several trainees, replies came out truncated.
            "--interrupt_requests", "False",
            "--verbose", "False",
        ]  # fmt: skip
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as server_log:
            self.process = spawn_tied(
                "llama_cpp.server", args, stdout=server_log, stderr=server_log, env=_child_env()
            )
        self.base_url = f"http://{self.settings.host}:{port}/v1"
        self._wait_ready()
        atexit.register(self.stop)
        return self.base_url

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

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
                self.process.wait()
        if self.process and self.process.stdin:
            self.process.stdin.close()
        self.process = None


def _child_env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1"}


_lock = threading.Lock()
_server: EmbeddedServer | None = None


def embedded_base_url(settings: EmbeddedSettings) -> str:
    """The running server's `/v1` URL, starting it first if it is not running (or died)."""
    global _server
    with _lock:
        if _server is None or not _server.running:
            if _server is not None:
                code = _server.process.returncode if _server.process else None
                log.warning("le serveur du modèle embarqué s'est arrêté (code %s) : redémarrage", code)
                _server.stop()
            server = EmbeddedServer(settings)
            server.start()
            _server = server
        return _server.base_url


def embedded_pid() -> int | None:
    """Process id of the running server (benchmarks and tests)."""
    with _lock:
        return _server.process.pid if _server is not None and _server.running and _server.process else None


def discard_embedded(base_url: str) -> None:
    """Stop the server at `base_url` if it is still the current one: it no longer answers."""
    global _server
    with _lock:
        if _server is not None and _server.base_url == base_url:
            _server.stop()
            _server = None


def stop_embedded() -> None:
    global _server
    with _lock:
        if _server is not None:
            _server.stop()
            _server = None


class _RestartOnBrokenStream(httpx.SyncByteStream):
    """A reply cut off mid-stream (server killed while generating) reads as a restart."""

    def __init__(self, inner: httpx.SyncByteStream, on_broken: Callable[[], None]) -> None:
        self._inner, self._on_broken = inner, on_broken

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._inner
        except httpx.TransportError as exc:
            self._on_broken()
            raise ModelRestarting(str(exc)) from exc

    def close(self) -> None:
        self._inner.close()


class EmbeddedTransport(httpx.BaseTransport):
    """Sends each request to the embedded server as it is now, (re)starting it when needed."""

    def __init__(self, resolve: Callable[[], str]) -> None:
        self._resolve = resolve
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        base_url = self._resolve()
        target = httpx.URL(base_url)
        request.url = request.url.copy_with(scheme=target.scheme, host=target.host, port=target.port)
        request.headers["Host"] = f"{target.host}:{target.port}"
        try:
            response = self._inner.handle_request(request)
        except httpx.TransportError as exc:
            discard_embedded(base_url)
            raise ModelRestarting(str(exc)) from exc
        assert isinstance(response.stream, httpx.SyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_RestartOnBrokenStream(response.stream, lambda: discard_embedded(base_url)),
            extensions=response.extensions,
            request=request,
        )

    def close(self) -> None:
        self._inner.close()
