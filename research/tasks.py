"""Celery tasks of the research app: thin, ids in, one service call out."""

from celery import shared_task

from alignment.models import Workspace

# --- Themes ---------------------------------------------------------------------------


@shared_task(name="research.recompute_themes", acks_late=True, reject_on_worker_lost=True)
def recompute_themes(workspace_id: int) -> str:
    """Recluster a workspace's insights into themes (debounced after insight changes, or
    asked for from the Themes page / POST themes/recompute/)."""
    from research.services.themes import themes_recompute

    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return "missing"
    result = themes_recompute(workspace=workspace)
    return f"{result.themes} themes"


# --- Embeddings -----------------------------------------------------------------------


@shared_task(name="research.embed_insights", acks_late=True, reject_on_worker_lost=True)
def embed_insights(workspace_id: int, insight_ids: list[int] | None = None) -> int:
    """Embed the insights created or changed (enqueued on commit by the insight services);
    unchanged ones are skipped, so a rerun changes nothing."""
    from research.services.similarity import insight_embeddings_refresh

    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    return insight_embeddings_refresh(workspace=workspace, insight_ids=insight_ids)


@shared_task(name="research.embed_catch_up", acks_late=True, reject_on_worker_lost=True)
def embed_catch_up() -> int:
    """Periodic: insights without a vector of the current model version get one."""
    from research.services.similarity import insight_embeddings_catch_up

    return insight_embeddings_catch_up()
