"""Reads of the research app: lists, insights, opportunities and the roadmap, themes, the
pages that gather evidence, a study's survey scores and the research search.

API viewsets and HTML views call the same functions.
"""

from research.selectors.insights import highlight_list
from research.selectors.insights import insight_import_list
from research.selectors.insights import insight_import_rejected_table
from research.selectors.insights import insight_list
from research.selectors.insights import recent_insights
from research.selectors.lists import FEATURES
from research.selectors.lists import PERSONAS
from research.selectors.lists import competitor_list
from research.selectors.lists import feature_get
from research.selectors.lists import journey_map_list
from research.selectors.lists import persona_list
from research.selectors.lists import segment_list
from research.selectors.lists import study_list
from research.selectors.lists import tag_list
from research.selectors.opportunities import EVIDENCE_PIECE
from research.selectors.opportunities import ROADMAP_COLUMN_LIMIT
from research.selectors.opportunities import evidence_list
from research.selectors.opportunities import opportunity_list
from research.selectors.opportunities import opportunity_ranked
from research.selectors.opportunities import opportunity_status_counts
from research.selectors.opportunities import opportunity_themes
from research.selectors.opportunities import roadmap_columns
from research.selectors.opportunities import status_change_list
from research.selectors.profiles import feature_research
from research.selectors.profiles import persona_profile
from research.selectors.search import RESEARCH_TYPES
from research.selectors.search import research_search
from research.selectors.surveys import SurveyScores
from research.selectors.surveys import study_survey_responses
from research.selectors.surveys import study_survey_scores
from research.selectors.themes import THEME_TOP_RELATED
from research.selectors.themes import THEME_TREND_WEEKS
from research.selectors.themes import theme_insight_ids
from research.selectors.themes import theme_insights
from research.selectors.themes import theme_list
from research.selectors.themes import theme_top_related
from research.selectors.themes import theme_trend
