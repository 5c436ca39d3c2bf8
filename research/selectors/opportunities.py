"""Opportunities: the list with its evidence counts, the RICE ranking, the roadmap's
columns, and an opportunity's evidence and status history."""

from __future__ import annotations

from django.db.models import Count
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from alignment.models import Workspace
from research import filters as filtersets
from research import scoring
from research.models import Evidence
from research.models import Horizon
from research.models import Opportunity
from research.models import OpportunityStatusChange
from research.models import Theme
from research.models import ThemeMembership
from research.selectors.lists import FEATURES

# The original insight of an evidence row (its duplicate_of, one level: links point to the
# root), so a duplicate and its original count once.
EVIDENCE_PIECE = Coalesce("evidence__insight__duplicate_of_id", "evidence__insight_id")


def opportunity_list(*, workspace: Workspace, filters=None) -> QuerySet[Opportunity]:
    queryset = (
        Opportunity.objects.in_workspace(workspace)
        .select_related("workspace", "persona__workspace", "status_changed_by")
        .prefetch_related(Prefetch("features", queryset=FEATURES))
        .annotate(
            # An insight and the insights marked as its duplicates are one piece of evidence.
            supporting_count=Count(
                EVIDENCE_PIECE,
                filter=Q(evidence__stance=Evidence.Stance.SUPPORTING),
                distinct=True,
            ),
            contradicting_count=Count(
                EVIDENCE_PIECE,
                filter=Q(evidence__stance=Evidence.Stance.CONTRADICTING),
                distinct=True,
            ),
        )
        .order_by("-updated_at", "-id")
    )
    return filtersets.OpportunityFilterSet.apply(filters, queryset, workspace=workspace)


def opportunity_ranked(*, workspace: Workspace, filters=None) -> scoring.RankedList:
    """Best RICE score first, the ones that need impact and effort last: a sequence for a
    paginator whose slices are scored opportunities (research.scoring.attach)."""
    return scoring.RankedList(opportunity_list(workspace=workspace, filters=filters))


def opportunity_status_counts(*, workspace: Workspace) -> dict[str, int]:
    """{status: count} with every status present, in flow order."""
    counts = dict(
        Opportunity.objects.in_workspace(workspace)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return {status: counts.get(status, 0) for status in Opportunity.Status.values}


def evidence_list(*, opportunity: Opportunity) -> QuerySet[Evidence]:
    return (
        Evidence.objects.in_workspace(opportunity.workspace)
        .filter(opportunity=opportunity)
        .select_related("workspace", "insight__workspace", "highlight", "added_by")
        .order_by("stance", "-created_at")
    )


def status_change_list(*, opportunity: Opportunity) -> QuerySet[OpportunityStatusChange]:
    return (
        OpportunityStatusChange.objects.in_workspace(opportunity.workspace)
        .filter(opportunity=opportunity)
        .select_related("changed_by")
    )


# --- The roadmap --------------------------------------------------------------------------

ROADMAP_COLUMN_LIMIT = 200  # cards per column (and in the tray) the board and roadmap/ show


def roadmap_columns(*, workspace: Workspace, limit: int = ROADMAP_COLUMN_LIMIT) -> dict:
    """{"now": [...], "next": [...], "later": [...], None: [...]} (None: not on the roadmap,
    best score first), each column by roadmap_position then score, at most `limit` cards,
    scored (research.scoring.attach); every card carries `theme_list` (the themes of its
    evidence), and "column_totals" says how many each column has in all."""
    base = opportunity_list(workspace=workspace)
    planned = scoring.attach(base.filter(horizon__isnull=False))
    columns: dict = {horizon: [] for horizon in Horizon.values}
    for card in sorted(planned, key=lambda card: (card.roadmap_position, scoring.rank_key(card))):
        columns[card.horizon].append(card)
    totals = {horizon: len(cards) for horizon, cards in columns.items()}
    columns = {horizon: cards[:limit] for horizon, cards in columns.items()}
    tray = scoring.RankedList(base.filter(horizon__isnull=True))
    columns[None], totals[None] = tray[:limit], len(tray)
    cards = [card for column in columns.values() for card in column]
    themes = opportunity_themes(opportunity_ids=[card.pk for card in cards])
    for card in cards:
        card.theme_list = themes.get(card.pk, [])
    columns["column_totals"] = totals
    return columns


def opportunity_themes(*, opportunity_ids: list[int], per_card: int = 5) -> dict[int, list]:
    """{opportunity id: [Theme]}: the themes its evidence's insights are in, the theme with
    the most of them first (one query)."""
    rows = (
        ThemeMembership.objects.filter(insight__evidence_links__opportunity__in=opportunity_ids)
        .values("insight__evidence_links__opportunity", "theme_id", "theme__label")
        .annotate(n=Count("insight", distinct=True))
        .order_by("-n", "theme__label")
    )
    themes: dict[int, list] = {}
    for row in rows:
        found = themes.setdefault(row["insight__evidence_links__opportunity"], [])
        if len(found) < per_card:
            found.append(Theme(pk=row["theme_id"], label=row["theme__label"]))
    return themes
