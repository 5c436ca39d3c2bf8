"""How well a text representation finds similar insights, duplicates and themes, measured on
a labelled set (tests/research/text_set/insights.json: items with a topic, and for a
paraphrase the id of the item it repeats).

Pure functions: `evaluate(items)` embeds the set with each representation and returns its
figures; `python -m tests.evaluation.text_model` prints them. The figures:

- precision@3: for each item, the share of its 3 most similar other items that have its
  topic, averaged over the items;
- duplicates: every pair scoring at least the duplicate threshold is called a duplicate;
  precision = share of those that are labelled pairs, recall = share of labelled pairs found;
- purity: the items are clustered as the app's themes are (research.semantic.clustering
  .cluster, when present); each group counts its most common topic, purity = sum of those
  counts / items grouped. `themed` is the share of items put in a group (the themes
  clustering leaves outliers unthemed). `purity_all` clusters every item instead
  (average-linkage agglomerative, k from 4 to 30 chosen by the best silhouette).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_SET = Path(__file__).resolve().parents[2] / "research" / "text_set" / "insights.json"
K = 3


@dataclass(frozen=True)
class Figures:
    method: str
    precision_at_3: float
    duplicate_threshold: float
    duplicate_precision: float
    duplicate_recall: float
    purity: float
    themed: float
    clusters: int
    purity_all: float
    clusters_all: int

    def as_dict(self) -> dict:
        return asdict(self)


def load_set(path: str | Path = DEFAULT_SET) -> list[dict]:
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(items, dict):
        items = items["items"]
    return items


def item_text(item: dict) -> str:
    """An item as the app sees an insight: its title, then its body."""
    return f"{item['title']}\n{item.get('body', '')}".strip()


def precision_at_k(similarity: np.ndarray, topics: list[str], k: int = K) -> float:
    sims = np.array(similarity, dtype=np.float64)
    np.fill_diagonal(sims, -np.inf)
    labels = np.asarray(topics)
    # Stable order (ties by position) keeps the figure deterministic.
    neighbours = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    return float((labels[neighbours] == labels[:, None]).mean())


def duplicate_pairs(items: list[dict]) -> set[tuple[int, int]]:
    index = {item["id"]: position for position, item in enumerate(items)}
    pairs = set()
    for position, item in enumerate(items):
        original = item.get("duplicate_of")
        if original:
            pairs.add(tuple(sorted((position, index[original]))))
    return pairs


def duplicate_scores(
    similarity: np.ndarray, pairs: set[tuple[int, int]], threshold: float
) -> tuple[float, float]:
    """(precision, recall) of "score >= threshold means duplicate" over all pairs."""
    upper = np.triu(np.asarray(similarity) >= threshold, k=1)
    found = {(int(i), int(j)) for i, j in zip(*np.nonzero(upper), strict=True)}
    hits = len(found & pairs)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(pairs) if pairs else 1.0
    return precision, recall


def best_duplicate_threshold(similarity: np.ndarray, pairs: set[tuple[int, int]]) -> float:
    """The threshold (0.01 steps) with the best F1, precision weighing double (F0.5): a
    false "likely duplicate" warning costs more trust than a missed one."""
    best, best_score = 1.0, -1.0
    for threshold in np.arange(0.30, 0.96, 0.01):
        precision, recall = duplicate_scores(similarity, pairs, float(threshold))
        beta2 = 0.25
        denominator = beta2 * precision + recall
        score = (1 + beta2) * precision * recall / denominator if denominator else 0.0
        if score > best_score + 1e-12:
            best, best_score = round(float(threshold), 2), score
    return best


def _fallback_cluster(vectors: np.ndarray) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    best_labels, best_score = np.zeros(len(vectors), dtype=int), -2.0
    for k in range(4, min(30, len(vectors) - 1) + 1):
        labels = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average")
        labels = labels.fit_predict(vectors)
        score = silhouette_score(vectors, labels, metric="cosine")
        if score > best_score:
            best_labels, best_score = labels, score
    return best_labels


def cluster_labels(vectors: np.ndarray) -> np.ndarray:
    """The themes' clustering when it exists, else every item clustered by silhouette."""
    try:
        from research.semantic.clustering import cluster
    except ImportError:
        return _fallback_cluster(vectors)
    return np.asarray(cluster(vectors))


def purity(labels: np.ndarray, topics: list[str]) -> tuple[float, float, int]:
    """(purity over the grouped items, share of items grouped, number of groups); label -1
    is "in no group"."""
    groups: dict[int, Counter] = {}
    for label, topic in zip(labels, topics, strict=True):
        if label >= 0:
            groups.setdefault(int(label), Counter())[topic] += 1
    grouped = sum(sum(counter.values()) for counter in groups.values())
    if not grouped:
        return 0.0, 0.0, 0
    majority = sum(counter.most_common(1)[0][1] for counter in groups.values())
    return majority / grouped, grouped / len(topics), len(groups)


def measure(
    method: str, vectors: np.ndarray, items: list[dict], threshold: float | None = None
) -> Figures:
    """The figures of one representation (unit-length rows: similarity = dot product).
    Without `threshold`, the best duplicate threshold on this set is chosen and reported."""
    topics = [item["topic"] for item in items]
    similarity = vectors @ vectors.T
    pairs = duplicate_pairs(items)
    if threshold is None:
        threshold = best_duplicate_threshold(similarity, pairs)
    dup_precision, dup_recall = duplicate_scores(similarity, pairs, threshold)
    group_purity, themed, clusters = purity(cluster_labels(vectors), topics)
    purity_all, _, clusters_all = purity(_fallback_cluster(vectors), topics)
    return Figures(
        method=method,
        precision_at_3=round(precision_at_k(similarity, topics), 4),
        duplicate_threshold=threshold,
        duplicate_precision=round(dup_precision, 4),
        duplicate_recall=round(dup_recall, 4),
        purity=round(group_purity, 4),
        themed=round(themed, 4),
        clusters=clusters,
        purity_all=round(purity_all, 4),
        clusters_all=clusters_all,
    )


# What the app uses for similar insights, duplicates and themes (the best precision@3).
APP_METHOD = "model"


def evaluate(items: list[dict], *, thresholds: dict[str, float] | None = None) -> list[Figures]:
    """The TF-IDF baseline, the embedding model as the app embeds insights, and their
    combination, each measured on `items`. `thresholds` fixes a method's duplicate
    threshold (else the best on the set is reported)."""
    from research.semantic.embeddings import compose_text
    from research.semantic.embeddings import embed_texts
    from tests.evaluation.text_model import representation

    thresholds = thresholds or {}
    texts = [compose_text(item["title"], item.get("body", "")) for item in items]
    model_vectors = embed_texts(texts)
    tfidf_vectors = representation.tfidf_vectors(texts)
    combined = representation.combine(model_vectors, representation.lexical_vectors(texts))
    return [
        measure("tfidf", tfidf_vectors, items, thresholds.get("tfidf")),
        measure("model", model_vectors, items, thresholds.get("model")),
        measure("combined", combined, items, thresholds.get("combined")),
    ]
