"""Writes of the research app: every rule that changes customer knowledge lives here.

Split by sub-domain; import from `research.services` as one module.
"""

from research.services.highlights import (
    MAX_HIGHLIGHT_LENGTH,
    highlight_create,
    highlight_delete,
)
from research.services.imports import (
    IMPORT_COLUMNS,
    MAX_IMPORT_ROWS,
    InsightImportResult,
    insight_import_csv,
)
from research.services.knowledge import (
    STAGE_FIELDS,
    competitor_create,
    competitor_update,
    insight_create,
    insight_delete,
    insight_update,
    journey_map_create,
    journey_map_update,
    persona_create,
    persona_update,
    segment_create,
    segment_update,
    study_create,
    study_update,
    tags_resolve,
)
from research.services.opportunities import (
    evidence_add,
    evidence_remove,
    hypothesis_suggested_persona,
    opportunity_create,
    opportunity_set_status,
    opportunity_update,
)
from research.services.roadmap import opportunity_score_input, roadmap_move
from research.services.themes import (
    ThemesRecomputeResult,
    theme_create,
    theme_merge,
    theme_move_insights,
    theme_split,
    theme_update,
    themes_recompute,
    themes_recompute_request,
    themes_recompute_soon,
)

__all__ = [
    "IMPORT_COLUMNS",
    "MAX_HIGHLIGHT_LENGTH",
    "MAX_IMPORT_ROWS",
    "STAGE_FIELDS",
    "InsightImportResult",
    "ThemesRecomputeResult",
    "competitor_create",
    "competitor_update",
    "evidence_add",
    "evidence_remove",
    "highlight_create",
    "highlight_delete",
    "hypothesis_suggested_persona",
    "insight_create",
    "insight_delete",
    "insight_import_csv",
    "insight_update",
    "journey_map_create",
    "journey_map_update",
    "opportunity_create",
    "opportunity_set_status",
    "opportunity_update",
    "opportunity_score_input",
    "persona_create",
    "persona_update",
    "roadmap_move",
    "segment_create",
    "segment_update",
    "study_create",
    "study_update",
    "tags_resolve",
    "theme_merge",
    "theme_move_insights",
    "theme_split",
    "theme_create",
    "theme_update",
    "themes_recompute",
    "themes_recompute_request",
    "themes_recompute_soon",
]
