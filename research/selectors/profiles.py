"""Pages that gather evidence: a persona's profile and the research behind a feature."""

from __future__ import annotations

from django.db.models import Count

from alignment.models import Feature
from research.models import Insight
from research.models import Opportunity
from research.models import Persona
from research.models import Segment
from research.selectors.insights import insight_list
from research.selectors.lists import FEATURES
from research.selectors.lists import journey_map_list
from research.selectors.opportunities import opportunity_list


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
