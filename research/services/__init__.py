"""Writes of the research app: every rule that changes customer knowledge lives here.

Split by sub-domain; import from `research.services` as one module.
"""

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
    opportunity_create,
    opportunity_set_status,
    opportunity_update,
)

__all__ = [
    "IMPORT_COLUMNS",
    "MAX_IMPORT_ROWS",
    "STAGE_FIELDS",
    "InsightImportResult",
    "competitor_create",
    "competitor_update",
    "evidence_add",
    "evidence_remove",
    "insight_create",
    "insight_import_csv",
    "insight_update",
    "journey_map_create",
    "journey_map_update",
    "opportunity_create",
    "opportunity_set_status",
    "opportunity_update",
    "persona_create",
    "persona_update",
    "segment_create",
    "segment_update",
    "study_create",
    "study_update",
    "tags_resolve",
]
