"""Writes of the research app: every rule that changes customer knowledge lives here.

Split by sub-domain; import from `research.services` as one module.
"""

from research.services.highlights import MAX_HIGHLIGHT_LENGTH
from research.services.highlights import highlight_create
from research.services.highlights import highlight_delete
from research.services.imports import IMPORT_COLUMNS
from research.services.imports import MAX_IMPORT_ROWS
from research.services.imports import InsightImportResult
from research.services.imports import insight_import_csv
from research.services.knowledge import STAGE_FIELDS
from research.services.knowledge import competitor_create
from research.services.knowledge import competitor_update
from research.services.knowledge import insight_create
from research.services.knowledge import insight_delete
from research.services.knowledge import insight_update
from research.services.knowledge import journey_map_create
from research.services.knowledge import journey_map_update
from research.services.knowledge import persona_create
from research.services.knowledge import persona_update
from research.services.knowledge import segment_create
from research.services.knowledge import segment_update
from research.services.knowledge import study_create
from research.services.knowledge import study_update
from research.services.knowledge import tags_resolve
from research.services.opportunities import evidence_add
from research.services.opportunities import evidence_remove
from research.services.opportunities import hypothesis_suggested_persona
from research.services.opportunities import opportunity_create
from research.services.opportunities import opportunity_set_status
from research.services.opportunities import opportunity_update
from research.services.roadmap import opportunity_score_input
from research.services.roadmap import roadmap_move
from research.services.theme_edits import theme_create
from research.services.theme_edits import theme_merge
from research.services.theme_edits import theme_move_insights
from research.services.theme_edits import theme_split
from research.services.theme_edits import theme_update
from research.services.themes import ThemesRecomputeResult
from research.services.themes import themes_recompute
from research.services.themes import themes_recompute_request
from research.services.themes import themes_recompute_soon
