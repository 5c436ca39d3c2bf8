"""Reads of the research app: lists, insights, opportunities and the roadmap, themes, the
pages that gather evidence, a study's survey scores and the research search.

API viewsets and HTML views call the same functions.
"""

from research.selectors.insights import (
    highlight_list,
    insight_import_list,
    insight_import_rejected_table,
    insight_list,
    recent_insights,
)
from research.selectors.lists import (
    FEATURES,
    PERSONAS,
    competitor_list,
    feature_get,
    journey_map_list,
    persona_list,
    segment_list,
    study_list,
    tag_list,
)
from research.selectors.opportunities import (
    EVIDENCE_PIECE,
    ROADMAP_COLUMN_LIMIT,
    evidence_list,
    opportunity_list,
    opportunity_ranked,
    opportunity_status_counts,
    opportunity_themes,
    roadmap_columns,
    status_change_list,
)
from research.selectors.profiles import feature_research, persona_profile
from research.selectors.search import RESEARCH_TYPES, research_search
from research.selectors.surveys import (
    SurveyScores,
    study_survey_responses,
    study_survey_scores,
)
from research.selectors.themes import (
    THEME_TOP_RELATED,
    THEME_TREND_WEEKS,
    theme_insight_ids,
    theme_insights,
    theme_list,
    theme_top_related,
    theme_trend,
)

__all__ = [
    "EVIDENCE_PIECE",
    "FEATURES",
    "PERSONAS",
    "ROADMAP_COLUMN_LIMIT",
    "RESEARCH_TYPES",
    "THEME_TOP_RELATED",
    "THEME_TREND_WEEKS",
    "SurveyScores",
    "competitor_list",
    "evidence_list",
    "feature_get",
    "feature_research",
    "highlight_list",
    "insight_import_list",
    "insight_import_rejected_table",
    "insight_list",
    "journey_map_list",
    "opportunity_list",
    "opportunity_ranked",
    "opportunity_status_counts",
    "opportunity_themes",
    "persona_list",
    "persona_profile",
    "recent_insights",
    "research_search",
    "roadmap_columns",
    "segment_list",
    "status_change_list",
    "study_list",
    "study_survey_responses",
    "study_survey_scores",
    "tag_list",
    "theme_insight_ids",
    "theme_insights",
    "theme_list",
    "theme_top_related",
    "theme_trend",
]
