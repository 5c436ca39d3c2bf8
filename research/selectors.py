"""Reads of the research app. API viewsets and HTML views call the same functions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from alignment.models import Feature, Workspace
from metrics import kpis
from metrics.models import SurveyResponse
from research import filters as filtersets
from research import scoring
from research.models import (
    Competitor,
    Evidence,
    Highlight,
    Horizon,
    Insight,
    InsightImport,
    JourneyMap,
    JourneyStage,
    Opportunity,
    OpportunityStatusChange,
    Persona,
    Segment,
    Study,
    Tag,
    Theme,
    ThemeMembership,
)
from research.search import apply_search

FEATURES = Feature.objects.select_related("product", "workspace")
# Rows rendered with get_absolute_url() need their workspace's slug: fetched in the same query.
PERSONAS = Persona.objects.select_related("workspace")


def persona_list(*, workspace: Workspace, filters=None) -> QuerySet[Persona]:
    queryset = (
        Persona.objects.in_workspace(workspace)
        .annotate(insight_count=Count("insights", distinct=True))
        .order_by("name")
    )
    return filtersets.PersonaFilterSet.apply(filters, queryset, workspace=workspace)


def segment_list(*, workspace: Workspace, filters=None) -> QuerySet[Segment]:
    queryset = (
        Segment.objects.in_workspace(workspace)
        .select_related("workspace")
        .prefetch_related(Prefetch("personas", queryset=PERSONAS))
    )
    return filtersets.SegmentFilterSet.apply(filters, queryset, workspace=workspace)


def study_list(*, workspace: Workspace, filters=None) -> QuerySet[Study]:
    queryset = (
        Study.objects.in_workspace(workspace)
        .select_related("workspace")
        .annotate(insight_count=Count("insights", distinct=True))
        .prefetch_related(Prefetch("personas", queryset=PERSONAS), "segments__workspace")
        .order_by("-started_on", "title")
    )
    return filtersets.StudyFilterSet.apply(filters, queryset, workspace=workspace)


def study_survey_responses(*, study: Study) -> QuerySet[SurveyResponse]:
    """The imported survey responses (metrics) attached to the study by its survey name."""
    queryset = SurveyResponse.objects.in_workspace(study.workspace)
    if not study.survey.strip():
        return queryset.none()
    return queryset.filter(survey__iexact=study.survey.strip()).order_by("-submitted_at", "-pk")


@dataclass(frozen=True)
class SurveyScores:
    nps: float | None  # -100 to 100
    nps_responses: int
    csat: float | None  # share of 4-5 answers, 0 to 1
    csat_responses: int


def study_survey_scores(*, study: Study) -> SurveyScores:
    """NPS and CSAT of the study's responses, by the KPI engine's own formulas."""
    sums = study_survey_responses(study=study).aggregate(
        nps_responses=Count("id", filter=Q(scale=SurveyResponse.Scale.NPS)),
        promoters=Count("id", filter=Q(scale=SurveyResponse.Scale.NPS, score__gte=9)),
        detractors=Count("id", filter=Q(scale=SurveyResponse.Scale.NPS, score__lte=6)),
        csat_responses=Count("id", filter=Q(scale=SurveyResponse.Scale.CSAT)),
        satisfied=Count("id", filter=Q(scale=SurveyResponse.Scale.CSAT, score__gte=4)),
    )
    return SurveyScores(
        nps=kpis.evaluate("nps", sums) if sums["nps_responses"] else None,
        nps_responses=sums["nps_responses"],
        csat=kpis.evaluate("csat", sums) if sums["csat_responses"] else None,
        csat_responses=sums["csat_responses"],
    )


def tag_list(*, workspace: Workspace, filters=None) -> QuerySet[Tag]:
    queryset = (
        Tag.objects.in_workspace(workspace)
        .annotate(insight_count=Count("insights"))
        .order_by("name")
    )
    return filtersets.TagFilterSet.apply(filters, queryset, workspace=workspace)


def insight_list(*, workspace: Workspace, filters=None) -> QuerySet[Insight]:
    queryset = (
        Insight.objects.in_workspace(workspace)
        .select_related("workspace", "study__workspace", "created_by")
        .prefetch_related(
            Prefetch("personas", queryset=PERSONAS),
            Prefetch("features", queryset=FEATURES),
            "competitors__workspace",
            "tags",
        )
    )
    return filtersets.InsightFilterSet.apply(filters, queryset, workspace=workspace)


def insight_import_list(*, workspace: Workspace) -> QuerySet[InsightImport]:
    """The workspace's CSV imports of insights, newest first; their rows stay unloaded."""
    return (
        InsightImport.objects.in_workspace(workspace)
        .select_related("workspace", "created_by")
        .defer("header", "rejected")
    )


def insight_import_rejected_table(*, record: InsightImport) -> tuple[list, list[list]]:
    """(header, rows) of errors.csv: line, column, reason, then the rejected row's cells
    under the file's own header, one line per rejected row (its problems joined), so the
    file can be fixed and imported again without duplicating a row."""
    header = ["line", "column", "reason", *record.header]
    rows = [
        [
            row["line"],
            "; ".join(dict.fromkeys(e["column"] for e in row["errors"] if e["column"])),
            " ".join(e["reason"] for e in row["errors"]),
            *row["cells"],
        ]
        for row in record.rejected
    ]
    return header, rows


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


def highlight_list(*, insight: Insight) -> QuerySet[Highlight]:
    """An insight's highlights in reading order, with what their rows show."""
    return (
        Highlight.objects.in_workspace(insight.workspace)
        .filter(insight=insight)
        .select_related("persona", "feature__product", "created_by")
        .prefetch_related("tags")
        .order_by("start", "id")
    )


def status_change_list(*, opportunity: Opportunity) -> QuerySet[OpportunityStatusChange]:
    return (
        OpportunityStatusChange.objects.in_workspace(opportunity.workspace)
        .filter(opportunity=opportunity)
        .select_related("changed_by")
    )


def competitor_list(*, workspace: Workspace, filters=None) -> QuerySet[Competitor]:
    queryset = (
        Competitor.objects.in_workspace(workspace)
        .annotate(mention_count=Count("insights", distinct=True))
        .order_by("name")
    )
    return filtersets.CompetitorFilterSet.apply(filters, queryset, workspace=workspace)


def journey_map_list(*, workspace: Workspace, filters=None) -> QuerySet[JourneyMap]:
    queryset = (
        JourneyMap.objects.in_workspace(workspace)
        .select_related("workspace", "persona__workspace")
        .prefetch_related(Prefetch("stages", queryset=JourneyStage.objects.order_by("position")))
    )
    return filtersets.JourneyMapFilterSet.apply(filters, queryset, workspace=workspace)


# --- Pages that gather evidence ---------------------------------------------------------


def persona_profile(*, persona: Persona) -> dict:
    """A persona with its insights, opportunities, journey maps and the features serving it
    (the features its insights and opportunities are about)."""
    workspace = persona.workspace
    feature_ids = set(
        Insight.features.through.objects.filter(insight__personas=persona).values_list(
            "feature_id", flat=True
        )
    ) | set(
        Opportunity.features.through.objects.filter(opportunity__persona=persona).values_list(
            "feature_id", flat=True
        )
    )
    return {
        "insights": insight_list(workspace=workspace, filters={"persona": persona.pk}),
        "opportunities": opportunity_list(workspace=workspace, filters={"persona": persona.pk}),
        "journey_maps": journey_map_list(workspace=workspace, filters={"persona": persona.pk}),
        "features": FEATURES.in_workspace(workspace).filter(pk__in=feature_ids),
        "segments": Segment.objects.in_workspace(workspace).filter(personas=persona),
    }


def feature_research(*, feature: Feature) -> dict:
    """The insights and opportunities behind a feature: what a PM and a PMM both read."""
    workspace = feature.workspace
    insights = insight_list(workspace=workspace, filters={"feature": feature.pk})
    return {
        "insights": insights,
        "opportunities": opportunity_list(workspace=workspace, filters={"feature": feature.pk}),
        "sentiment_counts": dict(
            insights.order_by().values_list("sentiment").annotate(n=Count("id"))
        ),
    }


def feature_get(*, workspace: Workspace, pk) -> Feature:
    return FEATURES.in_workspace(workspace).get(pk=pk)


@dataclass(frozen=True)
class SearchResult:
    kind: str
    object: object
    title: str
    snippet: str
    rank: float | None


SEARCHABLE = [
    ("insight", lambda ws: Insight.objects.in_workspace(ws), "title"),
    (
        "opportunity",
        lambda ws: Opportunity.objects.in_workspace(ws).select_related("persona"),
        "title",
    ),
    ("study", lambda ws: Study.objects.in_workspace(ws), "title"),
    ("persona", lambda ws: Persona.objects.in_workspace(ws), "name"),
]


def research_search(*, workspace: Workspace, query: str, limit: int = 20) -> dict[str, list]:
    """Insights, opportunities, studies and personas matching `query`, best first per kind."""
    results: dict[str, list] = {}
    for kind, base, title_field in SEARCHABLE:
        rows = apply_search(base(workspace), query)[:limit] if query.strip() else []
        results[kind] = [
            SearchResult(
                kind=kind,
                object=row,
                title=getattr(row, title_field),
                snippet=row.search_snippet or "",
                rank=row.search_rank,
            )
            for row in rows
        ]
    return results


def recent_insights(*, workspace: Workspace, limit: int = 8) -> QuerySet[Insight]:
    return insight_list(workspace=workspace)[:limit]


# Themes ---------------------------------------------------------------------------------

THEME_TREND_WEEKS = 12
THEME_TOP_RELATED = 5


def theme_list(*, workspace: Workspace) -> QuerySet:
    """The workspace's themes, pinned first then largest, each with its memberships (best
    placed first) and their insights' personas and features prefetched: `theme_*` below
    read them without another query."""
    from research.models import Theme, ThemeMembership

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
    from datetime import timedelta

    from django.utils import timezone

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
