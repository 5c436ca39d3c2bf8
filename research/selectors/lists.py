"""Querysets of research data, filtered by their FilterSets, prefetched for display."""

from __future__ import annotations

from django.db.models import Count
from django.db.models import Prefetch
from django.db.models import QuerySet

from alignment.models import Feature
from alignment.models import Workspace
from research import filters as filtersets
from research.models import Competitor
from research.models import JourneyMap
from research.models import JourneyStage
from research.models import Persona
from research.models import Segment
from research.models import Study
from research.models import Tag

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


def tag_list(*, workspace: Workspace, filters=None) -> QuerySet[Tag]:
    queryset = (
        Tag.objects.in_workspace(workspace)
        .annotate(insight_count=Count("insights"))
        .order_by("name")
    )
    return filtersets.TagFilterSet.apply(filters, queryset, workspace=workspace)


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


def feature_get(*, workspace: Workspace, pk) -> Feature:
    return FEATURES.in_workspace(workspace).get(pk=pk)
