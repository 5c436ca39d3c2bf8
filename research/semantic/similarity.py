"""Reads over the insights' vectors: the workspace's matrix, and the insights most similar to
an insight or to a text being typed.

Stored vectors (InsightEmbedding, written by research.services.similarity) are read as they
are; an insight with no vector under the current model version yet is embedded here, on the
fly, without storing it, so similar insights work before the embedding task ran.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alignment.models import Workspace
from research.models import Insight
from research.semantic import model
from research.semantic.embeddings import MAX_QUERY_CHARS
from research.semantic.embeddings import embed_texts
from research.semantic.embeddings import insight_text

if TYPE_CHECKING:
    import numpy as np

# Cosine similarity from which a similar insight is flagged as a likely duplicate. Chosen on
# the labelled set (tests/research/text_set/insights.json, `python -m tests.evaluation.text_model`):
# the threshold with the best F0.5 (precision weighs double: a false warning costs trust) is
# 0.64; above 0.65 only ~1 in 16,000 pairs of different insights score, while an insight
# retyped in other words that share its vocabulary scores about 0.9. Paraphrases sharing no
# keyword mostly score 0.2-0.5 and are not flagged (recall 0.08 on the set): they still show
# in the similar list, best first.
DUPLICATE_THRESHOLD = 0.65
DEFAULT_LIMIT = 5
MAX_LIMIT = 20
EMBED_BATCH = 256


def insight_vectors(workspace: Workspace) -> tuple[list[int], np.ndarray]:
    """(insight ids, one unit-length float32 row each) for every insight of the workspace,
    in id order."""
    import numpy as np  # loaded with the first vector, not with the module (model.py)

    rows = list(
        Insight.objects.in_workspace(workspace)
        .order_by("pk")
        .values_list("pk", "embedding__model_version", "embedding__vector")
    )
    ids = [pk for pk, _, _ in rows]
    matrix = np.zeros((len(rows), model.DIMENSIONS), dtype=np.float32)
    missing: list[int] = []
    for position, (_, version, vector) in enumerate(rows):
        if version == model.MODEL_VERSION and vector is not None:
            matrix[position] = model.from_bytes(vector)
        else:
            missing.append(position)
    for start in range(0, len(missing), EMBED_BATCH):
        positions = missing[start : start + EMBED_BATCH]
        texts = {
            insight.pk: insight_text(insight)
            for insight in Insight.objects.filter(pk__in=[ids[p] for p in positions]).only(
                "title", "body", "evidence"
            )
        }
        matrix[positions] = embed_texts([texts.get(ids[p], "") for p in positions])
    return ids, matrix


def similar_insights(
    *,
    workspace: Workspace,
    insight: Insight | None = None,
    text: str | None = None,
    limit: int = DEFAULT_LIMIT,
    exclude: set[int] | None = None,
) -> list[tuple[Insight, float]]:
    """The `limit` insights most similar to `insight` (itself left out) or to `text`, best
    first, with their cosine similarity (0 to 1, rounded to 4 places). Ties: older first."""
    import numpy as np

    limit = max(0, min(int(limit), MAX_LIMIT))
    exclude = set(exclude or ())
    ids, matrix = insight_vectors(workspace)
    if insight is not None:
        exclude.add(insight.pk)
        try:
            query = matrix[ids.index(insight.pk)]
        except ValueError:  # not in this workspace
            return []
    else:
        # Callers refuse longer input (a 400); the cut only bounds the work here.
        query = embed_texts([(text or "")[: MAX_QUERY_CHARS + 500]])[0]
    if not limit or not ids or not query.any():
        return []
    scores = matrix @ query
    candidates = [p for p in np.argsort(-scores, kind="stable") if ids[p] not in exclude]
    chosen = [(ids[p], float(scores[p])) for p in candidates[:limit] if scores[p] > 0]
    found = (
        Insight.objects.in_workspace(workspace)
        .select_related("workspace")
        .in_bulk([pk for pk, _ in chosen])
    )
    return [(found[pk], round(min(score, 1.0), 4)) for pk, score in chosen if pk in found]


def is_duplicate(score: float) -> bool:
    return score >= DUPLICATE_THRESHOLD
