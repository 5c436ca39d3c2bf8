"""A study's survey: the responses imported into metrics under its survey name, and their
NPS and CSAT by the KPI engine's formulas (research's one read of metrics)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.db.models import Q
from django.db.models import QuerySet

from metrics import kpis
from metrics.models import SurveyResponse
from research.models import Study


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
