"""Grouping insight vectors into themes, and naming each group by its characteristic terms.

`cluster` is deterministic: the same vectors in the same order give the same labels. It picks
the number of groups itself: Ward agglomerative clustering stops merging at a cost
threshold, so k follows the data. Members far from their group's centre, and groups
smaller than `min_size`, are noise (label -1): those insights stay unthemed.

Ward linkage needs every pairwise distance (n²/2 floats): up to DIRECT_LIMIT rows it runs on
them directly; above, KMeans (fixed random_state) first reduces them to MICRO_CLUSTERS
centres, which are clustered the same way and give their rows their label. Memory and time
stay bounded whatever the workspace's size.

`characteristic_terms` is class-based TF-IDF: a term scores high in a group when it is
frequent in the group's texts and rare in the others' (stop words left out), so a label
reads like "export · csv · spreadsheet".
"""

from __future__ import annotations

import numpy as np

# Ward linkage merges groups while the merge cost stays under THRESHOLD up to
# REFERENCE_ROWS rows; the cost grows with the square root of group sizes, so above that
# the threshold scales with sqrt(rows / REFERENCE_ROWS) and a topic of the same share
# gives the same cut in a larger workspace. Then a member less similar than
# CORE_SIMILARITY (cosine) to its group's centre is left unthemed: the outskirts of a group
# are where topics mix. Both tuned on the labelled set tests/research/text_set/
# insights.json (tests/research/test_themes.py measures purity there).
THRESHOLD = 2.0
REFERENCE_ROWS = 256
CORE_SIMILARITY = 0.5
MIN_SIZE = 3
DIRECT_LIMIT = 6000
MICRO_CLUSTERS = 500
LABEL_TERMS = 3
TERMS = 6
NOISE = -1


def _normalised(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        vectors = vectors.reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1)
    safe = np.where(norms > 0, norms, 1.0)
    return vectors / safe[:, None], norms > 0


def _ward(vectors: np.ndarray, threshold: float, weights: np.ndarray | None = None) -> np.ndarray:
    """Ward clusters of unit rows cut at `threshold` (scaled to the number of rows)."""
    from sklearn.cluster import AgglomerativeClustering

    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=int)
    rows = float(weights.sum()) if weights is not None else float(len(vectors))
    cut = threshold * np.sqrt(max(rows, REFERENCE_ROWS) / REFERENCE_ROWS)
    if weights is not None:  # micro-cluster centres stand for `weights` rows each
        cut = cut / np.sqrt(max(float(weights.mean()), 1.0))
    model = AgglomerativeClustering(n_clusters=None, linkage="ward", distance_threshold=cut)
    return model.fit_predict(vectors.astype(np.float64))


def cluster(
    vectors: np.ndarray,
    *,
    min_size: int = MIN_SIZE,
    threshold: float = THRESHOLD,
    core_similarity: float = CORE_SIMILARITY,
    direct_limit: int = DIRECT_LIMIT,
    micro_clusters: int = MICRO_CLUSTERS,
    random_state: int = 0,
) -> np.ndarray:
    """One label per row: 0, 1, ... by decreasing group size (ties: the group whose first
    row comes first), or NOISE (-1) for rows in no group of at least `min_size`, rows far
    from their group's centre, and zero rows (empty texts)."""
    normalised, filled = _normalised(vectors)
    labels = np.full(len(normalised), NOISE, dtype=int)
    rows = np.flatnonzero(filled)
    if len(rows) < max(min_size, 2):
        return labels
    points = normalised[rows]
    if len(points) <= direct_limit:
        raw = _ward(points, threshold)
    else:
        from sklearn.cluster import KMeans

        micro = KMeans(
            n_clusters=min(micro_clusters, len(points)),
            n_init=1,
            max_iter=25,
            random_state=random_state,
        ).fit(points)
        sizes = np.bincount(micro.labels_, minlength=len(micro.cluster_centers_))
        centres, _ = _normalised(micro.cluster_centers_)
        raw = _ward(centres, threshold, weights=sizes)[micro.labels_]
    groups: dict[int, list[int]] = {}
    for position, group in enumerate(raw):
        groups.setdefault(int(group), []).append(position)
    kept = []
    for members in groups.values():
        members = np.array(members)
        centre = centroid(points[members])
        core = members[points[members] @ centre >= core_similarity]
        if len(core) >= min_size:
            kept.append(core.tolist())
    kept.sort(key=lambda members: (-len(members), members[0]))
    for label, members in enumerate(kept):
        labels[rows[members]] = label
    return labels


def centroid(vectors: np.ndarray) -> np.ndarray:
    """The unit-length mean direction of `vectors` (a zero row when there are none)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if not len(vectors):
        return np.zeros(vectors.shape[1] if vectors.ndim == 2 else 0, dtype=np.float32)
    mean = vectors.mean(axis=0)
    norm = np.linalg.norm(mean)
    return (mean / norm if norm > 0 else mean).astype(np.float32)


def characteristic_terms(texts: list[str], labels, *, top: int = TERMS) -> dict[int, list[str]]:
    """{label: its `top` terms, best first} by class-based TF-IDF over all texts (NOISE
    rows count as one more class, so terms common everywhere do not win)."""
    from sklearn.feature_extraction.text import CountVectorizer

    labels = np.asarray(labels)
    classes = sorted({int(label) for label in labels})
    documents = [
        " ".join(text for text, label in zip(texts, labels, strict=True) if label == cls)
        for cls in classes
    ]
    if not any(document.strip() for document in documents):
        return {cls: [] for cls in classes if cls != NOISE}
    vectorizer = CountVectorizer(
        stop_words="english",
        lowercase=True,
        token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+(?:[-'][^\W\d_]+)*\b",
        max_features=50_000,
    )
    try:
        counts = vectorizer.fit_transform(documents).tocsr().astype(np.float64)
    except ValueError:  # only stop words
        return {cls: [] for cls in classes if cls != NOISE}
    words_per_class = np.asarray(counts.sum(axis=1)).ravel()
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    idf = np.log(1 + words_per_class.mean() / np.where(frequency > 0, frequency, 1))
    vocabulary = vectorizer.get_feature_names_out()
    terms = {}
    for index, cls in enumerate(classes):
        if cls == NOISE:
            continue
        row = counts.getrow(index)
        scores = row.data / words_per_class[index] * idf[row.indices]
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], vocabulary[row.indices[i]]))
        terms[cls] = [str(vocabulary[row.indices[i]]) for i in order[:top]]
    return terms


def label_from_terms(terms: list[str], *, count: int = LABEL_TERMS) -> str:
    return " · ".join(terms[:count]) or "Untitled theme"
