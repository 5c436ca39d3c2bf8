"""Writes of the text model: insights' stored vectors, and linking an insight as a
duplicate of another (the same evidence, counted once)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alignment.models import Workspace
from alignment.tenancy import INVALID_CHOICE
from research.models import Insight
from research.models import InsightEmbedding
from research.semantic import model
from research.semantic.embeddings import embed_texts
from research.semantic.embeddings import insight_text
from research.semantic.embeddings import text_hash

# The read other services use (themes): re-exported here, defined with the other reads.
from research.semantic.similarity import insight_vectors  # noqa: F401

BATCH = 256

# --- Embeddings -------------------------------------------------------------------------


def _stale(workspace: Workspace, insights: list[Insight]) -> list[tuple[Insight, str, str]]:
    """(insight, text, hash) of those whose stored vector is missing, of another model
    version or of another text."""
    stored = {
        pk: (version, digest)
        for pk, version, digest in InsightEmbedding.objects.in_workspace(workspace)
        .filter(insight__in=[insight.pk for insight in insights])
        .values_list("insight_id", "model_version", "text_hash")
    }
    stale = []
    for insight in insights:
        text = insight_text(insight)
        digest = text_hash(text)
        if stored.get(insight.pk) != (model.MODEL_VERSION, digest):
            stale.append((insight, text, digest))
    return stale


@transaction.atomic
def insight_embeddings_refresh(*, workspace: Workspace, insight_ids=None) -> int:
    """Embed the workspace's insights (or those of `insight_ids` in it) whose vector is
    missing or stale, BATCH at a time, upserted on the insight. Returns how many were
    (re)computed; an unchanged insight is not embedded again."""
    queryset = Insight.objects.in_workspace(workspace).only("title", "body", "evidence")
    if insight_ids is not None:
        queryset = queryset.filter(pk__in=list(insight_ids))
    computed = 0
    batch: list[Insight] = []
    for insight in queryset.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(insight)
        if len(batch) == BATCH:
            computed += _embed_batch(workspace, batch)
            batch = []
    if batch:
        computed += _embed_batch(workspace, batch)
    return computed


def _embed_batch(workspace: Workspace, insights: list[Insight]) -> int:
    stale = _stale(workspace, insights)
    if not stale:
        return 0
    vectors = embed_texts([text for _, text, _ in stale])
    now = timezone.now()
    InsightEmbedding.objects.bulk_create(
        [
            InsightEmbedding(
                workspace=workspace,
                insight=insight,
                model_version=model.MODEL_VERSION,
                text_hash=digest,
                vector=model.to_bytes(vector),
                updated_at=now,
            )
            for (insight, _, digest), vector in zip(stale, vectors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["insight"],
        update_fields=["model_version", "text_hash", "vector", "updated_at"],
    )
    return len(stale)


def insight_embeddings_catch_up() -> int:
    """Periodic: every workspace with an insight lacking a vector of the current model
    version is refreshed (after a model change, or when an enqueue was lost)."""
    workspace_ids = set(
        Insight.objects.exclude(embedding__model_version=model.MODEL_VERSION)
        .order_by()
        .values_list("workspace_id", flat=True)
        .distinct()
    )
    computed = 0
    for workspace in Workspace.objects.filter(pk__in=workspace_ids).order_by("pk"):
        computed += insight_embeddings_refresh(workspace=workspace)
    return computed


class _Batch:
    """The insights of one transaction waiting for their embedding task."""

    def __init__(self):
        self.ids: dict[int, set[int]] = {}
        self.flushed = False

    def flush(self):
        self.flushed = True
        from alignment.queueing import publish
        from research.tasks import embed_insights

        for workspace_id, pks in sorted(self.ids.items()):
            publish(embed_insights, workspace_id, sorted(pks))


def insight_embeddings_enqueue(*, workspace: Workspace, insight_ids) -> None:
    """After the transaction commits, one task embeds the insights created or changed in it
    (a CSV import of many rows publishes one task, not one per row). A batch whose commit
    callback was dropped by a rollback is not reused: its ids never committed."""
    connection = transaction.get_connection()
    batch = getattr(connection, "_insight_embedding_batch", None)
    registered = (
        batch is not None
        and not batch.flushed
        and any(entry[1] == batch.flush for entry in connection.run_on_commit)
    )
    if not registered:
        batch = connection._insight_embedding_batch = _Batch()
    batch.ids.setdefault(workspace.pk, set()).update(insight_ids)
    if not registered:
        transaction.on_commit(batch.flush)


# --- Duplicates -------------------------------------------------------------------------


def _root(insight: Insight) -> Insight:
    seen = {insight.pk}
    while insight.duplicate_of_id is not None and insight.duplicate_of_id not in seen:
        seen.add(insight.duplicate_of_id)
        insight = insight.duplicate_of
    return insight


@transaction.atomic
def insight_mark_duplicate(*, actor, insight: Insight, duplicate_of: Insight) -> Insight:
    """`insight` repeats `duplicate_of`: it points to the original's root (no chains), and
    the insights that repeated `insight` now point there too."""
    if duplicate_of.workspace_id != insight.workspace_id:
        raise ValidationError({"duplicate_of": [INVALID_CHOICE]})
    if duplicate_of.pk == insight.pk:
        raise ValidationError({"duplicate_of": ["An insight cannot be a duplicate of itself."]})
    rows = Insight.objects.in_workspace(insight.workspace).select_for_update()
    insight = rows.get(pk=insight.pk)
    root = _root(rows.get(pk=duplicate_of.pk))
    if root.pk == insight.pk:
        raise ValidationError(
            {"duplicate_of": ["That insight is already a duplicate of this one."]}
        )
    insight.duplicate_of = root
    insight.save(update_fields=["duplicate_of", "updated_at"])
    rows.filter(duplicate_of=insight).update(duplicate_of=root)
    return insight


@transaction.atomic
def insight_unmark_duplicate(*, actor, insight: Insight) -> Insight:
    if insight.duplicate_of_id is not None:
        insight.duplicate_of = None
        insight.save(update_fields=["duplicate_of", "updated_at"])
    return insight
