"""Reads of the research app. API viewsets and HTML views call the same functions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from alignment.models import Feature, Workspace
from metrics import kpis
from metrics.models import SurveyResponse
from research import filters as filtersets
from research.models import (
    Competitor,
    Evidence,
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


def opportunity_list(*, workspace: Workspace, filters=None) -> QuerySet[Opportunity]:
    queryset = (
        Opportunity.objects.in_workspace(workspace)
        .select_related("workspace", "persona__workspace", "status_changed_by")
        .prefetch_related(Prefetch("features", queryset=FEATURES))
        .annotate(
            supporting_count=Count(
                "evidence", filter=Q(evidence__stance=Evidence.Stance.SUPPORTING), distinct=True
            ),
            contradicting_count=Count(
                "evidence", filter=Q(evidence__stance=Evidence.Stance.CONTRADICTING), distinct=True
            ),
        )
        .order_by("-updated_at", "-id")
    )
    return filtersets.OpportunityFilterSet.apply(filters, queryset, workspace=workspace)


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
        .select_related("workspace", "insight__workspace", "added_by")
        .order_by("stance", "-created_at")
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
