"""Lexical representations measured against the embedding model (evaluation.py): a TF-IDF
baseline, its low-rank (LSA) form, and a combination of LSA with the model's vectors.

Rows are unit length, so the dot product is the cosine similarity; the combination
concatenates sqrt(w)·model and sqrt(1 - w)·LSA, whose dot product is the weighted sum
w·cos(model) + (1 - w)·cos(LSA).
"""

from __future__ import annotations

import numpy as np

LSA_DIMENSIONS = 64
MODEL_WEIGHT = 0.5


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def _tfidf(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)


def tfidf_vectors(texts: list[str]) -> np.ndarray:
    """The baseline: TF-IDF over the texts themselves (English stop words out), dense."""
    return _unit(_tfidf(texts).toarray())


def lexical_vectors(texts: list[str], dimensions: int = LSA_DIMENSIONS) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD

    matrix = _tfidf(texts)
    dimensions = max(1, min(dimensions, min(matrix.shape) - 1))
    return _unit(TruncatedSVD(dimensions, random_state=0).fit_transform(matrix))


def combine(model_vectors: np.ndarray, lexical: np.ndarray, weight: float = MODEL_WEIGHT):
    return np.hstack(
        [np.sqrt(weight) * _unit(model_vectors), np.sqrt(1 - weight) * _unit(lexical)]
    ).astype(np.float32)
