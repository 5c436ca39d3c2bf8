"""Themes: the list with its members prefetched, and what a theme's card shows (its
insights, the personas and features they name most, its weekly trend)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.db.models import Prefetch
from django.db.models import QuerySet
from django.utils import timezone

from alignment.models import Feature
from alignment.models import Workspace
from research.models import Insight
from research.models import Persona
from research.models import Theme
from research.models import ThemeMembership
from research.selectors.insights import insight_list

THEME_TREND_WEEKS = 12
THEME_TOP_RELATED = 5


def theme_list(*, workspace: Workspace) -> QuerySet:
    """The workspace's themes, pinned first then largest, each with its memberships (best
    placed first) and their insights' personas and features prefetched: `theme_*` below
    read them without another query."""
    members = (
        ThemeMembership.objects.select_related("insight")
        .only(
            "id",
            "theme_id",
            "insight_id",
            "manual",
            "score",
            "insight__title",
            "insight__created_at",
        )  # fmt: skip
        .order_by("-manual", "-score", "insight_id")
    )
    return (
        Theme.objects.in_workspace(workspace)
        .select_related("workspace")
        .annotate(insight_count=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch("memberships", queryset=members, to_attr="member_rows"),
            Prefetch("member_rows__insight__personas", queryset=Persona.objects.only("id")),
            Prefetch("member_rows__insight__features", queryset=Feature.objects.only("id")),
        )
        .order_by("-pinned", "-insight_count", "label", "id")
    )


def theme_insight_ids(theme) -> list[int]:
    return [row.insight_id for row in theme.member_rows]


def theme_top_related(theme, name: str, *, limit: int = THEME_TOP_RELATED) -> list[int]:
    """Ids of the personas or features (`name`) the theme's insights name most, most first
    (ties: lowest id)."""
    counts: dict[int, int] = {}
    for row in theme.member_rows:
        for related in getattr(row.insight, name).all():
            counts[related.pk] = counts.get(related.pk, 0) + 1
    return [pk for pk, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))][:limit]


def _iso_week(day) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def theme_trend(theme, *, today=None, weeks: int = THEME_TREND_WEEKS) -> list[dict]:
    """[{week: "2026-W07", count}] of the theme's insights created per ISO week, the last
    `weeks` weeks (this one last), empty weeks included."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    keys = [_iso_week(monday - timedelta(weeks=back)) for back in range(weeks - 1, -1, -1)]
    counts = dict.fromkeys(keys, 0)
    for row in theme.member_rows:
        key = _iso_week(timezone.localdate(row.insight.created_at))
        if key in counts:
            counts[key] += 1
    return [{"week": key, "count": counts[key]} for key in keys]


def theme_insights(*, theme) -> QuerySet[Insight]:
    """The theme's insights as the insight list shows them, best placed first."""
    return (
        insight_list(workspace=theme.workspace)
        .filter(theme_memberships__theme=theme)
        .order_by("-theme_memberships__manual", "-theme_memberships__score", "-created_at")
    )
