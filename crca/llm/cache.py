"""A persistent langchain response cache in one SQLite file.

Why: at temperature 0 the same prompt gets the same reply, and a grading run on the embedded
model costs minutes per transcript. Re-measuring after a change to the rubric's cues or verdict
rules then only pays for the prompts that changed. `langchain_community.cache.SQLiteCache`
does this but pulls a large package for a few lines.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration

_SERVER_ADDRESS = re.compile(r'"openai_api_base": "[^"]*"')


def _model_key(llm_string: str) -> str:
    """The model parameters without the server's address: the embedded server gets a new port
    each run, and where a model listens does not change what it answers."""
    return _SERVER_ADDRESS.sub('"openai_api_base": null', llm_string)


class SQLiteResponseCache(BaseCache):
    """Reply texts keyed by (prompt, model parameters); safe across threads of one process.

    Only the text is kept (no token usage or metadata): that is all the grader reads.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS replies"
            " (prompt TEXT, llm TEXT, value TEXT, PRIMARY KEY (prompt, llm))"
        )
        self._db.commit()

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM replies WHERE prompt = ? AND llm = ?", (prompt, _model_key(llm_string))
            ).fetchone()
        if row is None:
            return None
        return [ChatGeneration(message=AIMessage(content=text)) for text in json.loads(row[0])]

    def update(self, prompt: str, llm_string: str, return_val: Sequence[Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO replies VALUES (?, ?, ?)",
                (prompt, _model_key(llm_string), json.dumps([g.text for g in return_val])),
            )
            self._db.commit()

    def clear(self, **kwargs: Any) -> None:
        with self._lock:
            self._db.execute("DELETE FROM replies")
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM replies").fetchone()[0]
