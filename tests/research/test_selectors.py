import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from metrics.models import SurveyResponse
from research import selectors
from research.models import Opportunity
from research.templatetags.research_tags import highlight
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.research.factories import EvidenceFactory
from tests.research.factories import InsightFactory
from tests.research.factories import JourneyMapFactory
from tests.research.factories import OpportunityFactory
from tests.research.factories import PersonaFactory
from tests.research.factories import StudyFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite fallback")


def _titles(queryset):
    return [row.title for row in queryset]


def test_search_finds_matches_in_title_and_body_on_any_database(workspace, other_workspace):
    InsightFactory(workspace=workspace, title="Onboarding takes days", body="slow setup")
    InsightFactory(workspace=workspace, title="Pricing", body="The onboarding checklist is long")
    InsightFactory(workspace=workspace, title="Exports", body="CSV export times out")
    InsightFactory(workspace=other_workspace, title="Onboarding elsewhere")

    found = selectors.insight_list(workspace=workspace, filters={"search": "onboarding"})

    assert set(_titles(found)) == {"Onboarding takes days", "Pricing"}
    assert all(row.search_snippet is not None for row in found)


@on_postgres
def test_postgres_ranks_title_matches_above_body_matches_and_highlights(workspace):
    InsightFactory(workspace=workspace, title="Notes", body="Exporting is painful for them")
    InsightFactory(workspace=workspace, title="Export to CSV breaks", body="Large funnels")
    InsightFactory(workspace=workspace, title="Unrelated", body="Nothing here")

    found = list(selectors.insight_list(workspace=workspace, filters={"search": "export"}))

    # Stemming: "exporting" matches "export"; the title (weight A) ranks first.
    assert _titles(found) == ["Export to CSV breaks", "Notes"]
    assert found[0].search_rank > found[1].search_rank
    assert "<mark>Exporting</mark>" in found[1].search_snippet


@on_postgres
def test_postgres_understands_web_search_syntax(workspace):
    InsightFactory(workspace=workspace, title="Mobile onboarding", body="")
    InsightFactory(workspace=workspace, title="Desktop onboarding", body="")
    found = selectors.insight_list(workspace=workspace, filters={"search": "onboarding -mobile"})
    assert _titles(found) == ["Desktop onboarding"]


@on_sqlite
def test_sqlite_falls_back_to_a_plain_case_insensitive_match(workspace):
    InsightFactory(workspace=workspace, title="Export to CSV", body="")
    InsightFactory(workspace=workspace, title="Notes", body="The EXPORT broke")
    InsightFactory(workspace=workspace, title="Exporting", body="")
    found = selectors.insight_list(workspace=workspace, filters={"search": "export"})
    assert set(_titles(found)) == {"Export to CSV", "Notes", "Exporting"}
    assert all(row.search_rank is None for row in found)


def test_research_search_covers_insights_studies_opportunities_and_personas(
    workspace, other_workspace
):
    InsightFactory(workspace=workspace, title="Churn after trial", body="")
    StudyFactory(workspace=workspace, title="Churn interviews", summary="")
    OpportunityFactory(workspace=workspace, title="Reduce churn", problem="")
    PersonaFactory(workspace=workspace, name="Churned admin", summary="")
    InsightFactory(workspace=other_workspace, title="Churn at Globex")

    groups = selectors.research_search(workspace=workspace, query="churn")

    assert {group.type: [r.title for r in group.results] for group in groups} == {
        "insight": ["Churn after trial"],
        "study": ["Churn interviews"],
        "opportunity": ["Reduce churn"],
        "persona": ["Churned admin"],
    }


def test_empty_search_changes_nothing(workspace):
    InsightFactory.create_batch(2, workspace=workspace)
    assert selectors.insight_list(workspace=workspace, filters={"search": "  "}).count() == 2
    assert selectors.research_search(workspace=workspace, query=" ") == []


def test_highlight_escapes_everything_but_marks():
    assert highlight("<b>x</b> <mark>churn</mark>") == ("&lt;b&gt;x&lt;/b&gt; <mark>churn</mark>")
    assert highlight("Big <i>CHURN</i>", "churn") == "Big &lt;i&gt;<mark>CHURN</mark>&lt;/i&gt;"


def test_opportunity_list_counts_evidence_per_stance(workspace):
    opportunity = OpportunityFactory(workspace=workspace)
    EvidenceFactory.create_batch(3, opportunity=opportunity, stance="supporting")
    EvidenceFactory(opportunity=opportunity, stance="contradicting")
    OpportunityFactory(workspace=workspace)

    rows = {row.pk: row for row in selectors.opportunity_list(workspace=workspace)}

    assert (rows[opportunity.pk].supporting_count, rows[opportunity.pk].contradicting_count) == (
        3,
        1,
    )
    assert len(rows) == 2


def test_status_counts_list_every_status(workspace):
    OpportunityFactory.create_batch(2, workspace=workspace, status="validating")
    OpportunityFactory(workspace=workspace, status="validated")
    assert selectors.opportunity_status_counts(workspace=workspace) == {
        "identified": 0,
        "validating": 2,
        "validated": 1,
        "invalidated": 0,
    }


def test_persona_profile_gathers_its_evidence(workspace):
    persona = PersonaFactory(workspace=workspace)
    feature = FeatureFactory(product=ProductFactory(workspace=workspace))
    other_feature = FeatureFactory(product=ProductFactory(workspace=workspace))
    unrelated = FeatureFactory(product=ProductFactory(workspace=workspace))
    insight = InsightFactory(workspace=workspace)
    insight.personas.add(persona)
    insight.features.add(feature)
    InsightFactory(workspace=workspace).features.add(unrelated)
    opportunity = OpportunityFactory(workspace=workspace, persona=persona)
    opportunity.features.add(other_feature)
    journey = JourneyMapFactory(workspace=workspace, persona=persona)

    profile = selectors.persona_profile(persona=persona)

    assert list(profile["insights"]) == [insight]
    assert list(profile["opportunities"]) == [opportunity]
    assert list(profile["journey_maps"]) == [journey]
    assert set(profile["features"]) == {feature, other_feature}


def test_feature_research_gathers_insights_and_opportunities(workspace):
    feature = FeatureFactory(product=ProductFactory(workspace=workspace))
    linked = InsightFactory(workspace=workspace, sentiment="negative")
    linked.features.add(feature)
    InsightFactory(workspace=workspace)
    opportunity = OpportunityFactory(workspace=workspace, status=Opportunity.Status.VALIDATING)
    opportunity.features.add(feature)

    research = selectors.feature_research(feature=feature)

    assert list(research["insights"]) == [linked]
    assert list(research["opportunities"]) == [opportunity]
    assert research["sentiment_counts"] == {"negative": 1}


_answers = itertools.count(1)


def _answer(workspace, survey, scale, score):
    """One imported survey response (metrics' fact row)."""
    n = next(_answers)
    return SurveyResponse.objects.create(
        workspace=workspace,
        survey=survey,
        respondent=f"r{n}",
        submitted_at=timezone.now() - timedelta(minutes=n),
        scale=scale,
        score=score,
    )


def test_study_survey_scores_come_from_its_imported_survey(workspace, other_workspace):
    study = StudyFactory(workspace=workspace, survey="")
    assert selectors.study_survey_scores(study=study).nps is None
    for score in (10, 9, 8, 7, 3):
        _answer(workspace, "Quarterly NPS", "nps", score)
    for score in (5, 4, 2, 1):
        _answer(workspace, "quarterly nps", "csat", score)
    _answer(workspace, "Another survey", "nps", 0)
    _answer(other_workspace, "Quarterly NPS", "nps", 0)
    assert selectors.study_survey_scores(study=study).nps_responses == 0  # no survey named

    study.survey = "Quarterly NPS"
    scores = selectors.study_survey_scores(study=study)

    assert scores.nps == 20.0  # 2 promoters, 1 detractor, 5 answers
    assert scores.csat == 0.5
    assert (scores.nps_responses, scores.csat_responses) == (5, 4)
    assert selectors.study_survey_responses(study=study).count() == 9
