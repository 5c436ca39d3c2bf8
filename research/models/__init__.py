"""Customer knowledge: personas, segments, studies, insights, opportunities, competitors,
journey maps. Every model inherits WorkspaceScopedModel, so it carries `workspace` directly.

Django loads `research.models`, so every model is imported here, in the order the app
registry has always listed them; the modules split them by area.
"""

# isort: off
# In this order, as in the old single module: it is the order the app registry lists
# the models in (and so the order content types and permissions are created in).
from research.models._common import (
    MAX_BODY_LENGTH,
    MAX_TEXT_LENGTH,
)
from research.models.personas import (
    Persona,
    Segment,
)
from research.models.insights import (
    Competitor,
    Insight,
    Study,
    Tag,
)
from research.models.opportunities import (
    Evidence,
    Horizon,
    Opportunity,
    OpportunityStatusChange,
)
from research.models.journeys import (
    JourneyMap,
    JourneyStage,
)
from research.models.imports import InsightImport
from research.models.themes import (
    Highlight,
    InsightEmbedding,
    Theme,
    ThemeMembership,
)
# isort: on
