"""Embedding text with WordLlama, offline.

The wheel carries its weights and tokenizer; `WordLlama.load` is pointed at the package's
own folder with downloads disabled, because its default lookup path is elsewhere. The model
is loaded once per process, on first use. numpy too is imported where a vector is made: a
process that never embeds (a web or import worker that serves no research page) does not
load it (about 11 MB of memory; tests/research/test_semantic_imports.py).
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DIMENSIONS = 256
# Changing the model or its dimensions changes this: stored vectors of another version are
# recomputed (research.semantic.services).
MODEL_VERSION = f"wordllama-0.4.0-l2_supercat-{DIMENSIONS}"

_lock = threading.Lock()
_model = None


def _load():
    global _model
    with _lock:
        if _model is None:
            import wordllama
            from wordllama import WordLlama

            _model = WordLlama.load(
                dim=DIMENSIONS,
                cache_dir=Path(wordllama.__file__).parent,
                disable_download=True,
            )
    return _model


def embed(texts: list[str]) -> np.ndarray:
    """One unit-length float32 row per text (an empty text gives a zero row)."""
    import numpy as np

    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    filled = [index for index, text in enumerate(texts) if text.strip()]
    if filled:
        found = _load().embed([texts[index] for index in filled], norm=True)
        vectors[filled] = np.asarray(found, dtype=np.float32)
    return vectors


def to_bytes(vector: np.ndarray) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    import numpy as np

    return np.frombuffer(bytes(data), dtype=np.float32)


def text_hash(text: str) -> str:
    return hashlib.sha256(f"{MODEL_VERSION}\n{text}".encode()).hexdigest()
