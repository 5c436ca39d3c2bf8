"""Recomputing a workspace's themes from its insights, keeping what people made of them
(their edits: theme_edits.py).

A recompute clusters the insights nobody placed by hand (research.semantic.clustering),
then matches each new group to an existing theme by member overlap, or failing that by
centroid similarity, so a theme keeps its id from one recompute to the next. A matched
theme keeps its label when a person renamed it (label_locked) and gets the group's
generated label otherwise; a pinned theme, or one holding insights placed by hand,
persists when no group matches; other unmatched themes are deleted; new groups become new
themes. Automatic memberships are replaced, manual ones stay as placed.

After insight changes, `themes_recompute_soon` enqueues one recompute per burst of changes
(a cache key, then the task after RESEARCH_THEMES_RECOMPUTE_DELAY seconds).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from alignment.locks import workspace_lock
from alignment.models import Workspace
from research.models import Insight
from research.models import Theme
from research.models import ThemeMembership
from research.semantic.embeddings import compose_text
from research.semantic.embeddings import embed_texts
from research.semantic.model import from_bytes
from research.semantic.model import to_bytes

if TYPE_CHECKING:
    import numpy as np

# numpy and the clustering (research.semantic.clustering) are imported by the functions that
# compute: this module is loaded with research.services by every process, most of which
# never cluster (research.semantic.model).

logger = logging.getLogger(__name__)

# A new group takes over an old theme when they share this much of their automatic
# members (Jaccard), or else when their centres are this similar (cosine).
MATCH_OVERLAP = 0.3
MATCH_SIMILARITY = 0.85
MAX_LABEL_LENGTH = Theme._meta.get_field("label").max_length


def recompute_delay() -> int:
    return int(getattr(settings, "RESEARCH_THEMES_RECOMPUTE_DELAY", 60))


def _debounce_key(workspace_id: int) -> str:
    return f"research:themes-recompute:{workspace_id}"


# --- What is clustered ------------------------------------------------------------------


def workspace_texts(workspace: Workspace) -> tuple[list[int], list[str]]:
    """(ids, texts) of the workspace's insights in id order, as they are embedded."""
    rows = (
        Insight.objects.in_workspace(workspace)
        .order_by("pk")
        .values_list("pk", "title", "body", "evidence")
    )
    ids, texts = [], []
    for pk, title, body, evidence in rows.iterator(chunk_size=2000):
        ids.append(pk)
        texts.append(compose_text(title, body, evidence))
    return ids, texts


def text_vectors(texts: list[str]) -> np.ndarray:
    """Texts embedded as insights are (research.semantic.embeddings)."""
    return embed_texts(texts)


def _vectors(workspace: Workspace, ids: list[int], texts: list[str]) -> np.ndarray:
    """One unit-length row per insight of `ids` (in that order): the stored embeddings,
    the text model for those not stored yet (research.services.similarity)."""
    import numpy as np

    from research.services.similarity import insight_vectors

    stored_ids, matrix = insight_vectors(workspace)
    position = {int(pk): row for row, pk in enumerate(stored_ids)}
    if all(pk in position for pk in ids):
        return np.asarray(matrix, dtype=np.float32)[[position[pk] for pk in ids]]
    return text_vectors(texts)  # an insight created in between: embed them all alike


# --- Recompute --------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemesRecomputeResult:
    themes: int
    created: int
    matched: int
    deleted: int
    themed: int
    unthemed: int
    seconds: float


def _match(
    groups: list[set[int]],
    group_centres: list[np.ndarray],
    themes: list[Theme],
    previous_auto: dict[int, set[int]],
) -> dict[int, Theme]:
    """{group index: the existing theme it continues}, best pairs first."""
    candidates = []
    for g, members in enumerate(groups):
        for theme in themes:
            previous = previous_auto.get(theme.pk, set())
            overlap = len(members & previous) / len(members | previous) if previous else 0.0
            similarity = -1.0
            if theme.centroid:
                old_centre = from_bytes(theme.centroid)
                if old_centre.shape == group_centres[g].shape:
                    similarity = float(old_centre @ group_centres[g])
            if overlap >= MATCH_OVERLAP or similarity >= MATCH_SIMILARITY:
                candidates.append((overlap, similarity, -g, -theme.pk, g, theme))
    candidates.sort(key=lambda row: row[:4], reverse=True)
    matched: dict[int, Theme] = {}
    taken: set[int] = set()
    for *_, g, theme in candidates:
        if g not in matched and theme.pk not in taken:
            matched[g] = theme
            taken.add(theme.pk)
    return matched


def themes_recompute(*, workspace: Workspace) -> ThemesRecomputeResult:
    """Recluster the workspace's insights into themes; one recompute per workspace at a
    time (advisory lock). Ids, renamed labels, pins and manual placements survive."""
    import numpy as np

    from research.semantic import clustering

    started = time.monotonic()
    ids, texts = workspace_texts(workspace)
    matrix = _vectors(workspace, ids, texts) if ids else np.zeros((0, 0), dtype=np.float32)
    with workspace_lock("themes", workspace.pk):
        # Insights deleted while the vectors were computed drop out here.
        present = set(Insight.objects.in_workspace(workspace).values_list("pk", flat=True))
        keep = [row for row, pk in enumerate(ids) if pk in present]
        ids = [ids[row] for row in keep]
        texts = [texts[row] for row in keep]
        matrix = matrix[keep] if len(keep) else matrix[:0]
        row_of = {pk: row for row, pk in enumerate(ids)}

        themes = list(Theme.objects.in_workspace(workspace).order_by("pk"))
        memberships = list(ThemeMembership.objects.in_workspace(workspace))
        manual: dict[int, list[ThemeMembership]] = defaultdict(list)
        previous_auto: dict[int, set[int]] = defaultdict(set)
        placed = set()
        for membership in memberships:
            if membership.manual:
                manual[membership.theme_id].append(membership)
                placed.add(membership.insight_id)
            else:
                previous_auto[membership.theme_id].add(membership.insight_id)

        free = [row for row, pk in enumerate(ids) if pk not in placed]
        labels = clustering.cluster(matrix[free]) if free else np.zeros(0, dtype=int)
        groups: list[set[int]] = []
        group_rows: list[list[int]] = []
        for label in range(int(labels.max()) + 1 if len(labels) else 0):
            rows = [free[i] for i in np.flatnonzero(labels == label)]
            group_rows.append(rows)
            groups.append({ids[row] for row in rows})
        group_centres = [clustering.centroid(matrix[rows]) for rows in group_rows]
        matched = _match(groups, group_centres, themes, previous_auto)

        # The themes after this recompute, each with its automatic rows.
        final: list[tuple[Theme, list[int]]] = []
        deleted = []
        matched_ids = {theme.pk for theme in matched.values()}
        for theme in themes:
            if theme.pk in matched_ids:
                continue
            if theme.pinned or manual.get(theme.pk):
                final.append((theme, []))
            else:
                deleted.append(theme.pk)
        now = timezone.now()
        created = 0
        for g, rows in enumerate(group_rows):
            theme = matched.get(g)
            if theme is None:
                theme = Theme(workspace=workspace, label="", created_at=now)
                created += 1
            final.append((theme, rows))

        # Terms over each theme's whole membership (manual too); unthemed rows are the
        # background class.
        text_labels = np.full(len(ids), clustering.NOISE, dtype=int)
        all_rows: list[list[int]] = []
        for index, (theme, rows) in enumerate(final):
            manual_rows = [
                row_of[m.insight_id] for m in manual.get(theme.pk, []) if m.insight_id in row_of
            ]
            members = rows + manual_rows
            all_rows.append(members)
            text_labels[members] = index
        terms = clustering.characteristic_terms(texts, text_labels) if len(ids) else {}

        Theme.objects.filter(pk__in=deleted).delete()
        ThemeMembership.objects.in_workspace(workspace).filter(manual=False).delete()
        new_memberships, manual_updates = [], []
        for index, (theme, rows) in enumerate(final):
            members = all_rows[index]
            centre = clustering.centroid(matrix[members]) if members else None
            theme.terms = terms.get(index, [])
            if not theme.label_locked:
                theme.label = clustering.label_from_terms(theme.terms)[:MAX_LABEL_LENGTH]
            if centre is not None:
                theme.centroid = to_bytes(centre)
            theme.computed_at = now
            theme.save()
            for row in rows:
                new_memberships.append(
                    ThemeMembership(
                        workspace=workspace,
                        theme=theme,
                        insight_id=ids[row],
                        manual=False,
                        score=float(matrix[row] @ centre),
                    )
                )
            for membership in manual.get(theme.pk, []):
                if membership.insight_id in row_of and centre is not None:
                    membership.score = float(matrix[row_of[membership.insight_id]] @ centre)
                    manual_updates.append(membership)
        ThemeMembership.objects.bulk_create(new_memberships, batch_size=1000)
        ThemeMembership.objects.bulk_update(manual_updates, ["score"], batch_size=1000)
        themed = sum(len(rows) for rows in all_rows)
        return ThemesRecomputeResult(
            themes=len(final),
            created=created,
            matched=len(matched),
            deleted=len(deleted),
            themed=themed,
            unthemed=len(ids) - themed,
            seconds=round(time.monotonic() - started, 3),
        )


def _publish_recompute(workspace_id: int, countdown: int | None = None) -> bool:
    from alignment.queueing import broker_errors
    from alignment.queueing import publish
    from research.tasks import recompute_themes

    if not countdown or recompute_themes.app.conf.task_always_eager:
        return publish(recompute_themes, workspace_id)
    try:
        recompute_themes.apply_async(
            (workspace_id,),
            countdown=countdown,
            retry=True,
            retry_policy=settings.RELIABILITY_PUBLISH_RETRY_POLICY,
        )
    except broker_errors() as error:
        logger.warning("Themes recompute not published, the broker is unreachable: %s", error)
        return False
    return True


def _recompute_debounced(workspace_id: int) -> bool:
    delay = recompute_delay()
    # The key lives a little less than the countdown: a change after it expired enqueues
    # another run, and one before it is committed before the queued run reads.
    if not cache.add(_debounce_key(workspace_id), True, timeout=max(1, delay - 5)):
        return False
    if not _publish_recompute(workspace_id, delay):
        cache.delete(_debounce_key(workspace_id))
        return False
    return True


def themes_recompute_soon(*, workspace: Workspace) -> None:
    """After the current transaction commits: one recompute of the workspace's themes for
    a burst of insight changes (the first enqueues it with a countdown, the others find
    the cache key and leave it)."""
    transaction.on_commit(partial(_recompute_debounced, workspace.pk))


def themes_recompute_request(*, actor, workspace: Workspace) -> bool:
    """A recompute asked for now (the "Recompute now" button, POST themes/recompute/):
    enqueued at once; in-process mode runs it here. False when the broker is unreachable."""
    return _publish_recompute(workspace.pk)
