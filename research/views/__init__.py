"""Research pages under /w/<workspace_slug>/research/. Reads through selectors, writes
through services, tenancy through the alignment mixins.

`research/urls.py` looks views up by name (`views.PersonaListView`), so every view is
re-exported here; the modules split the pages by area.
"""

from research.views._common import ResearchDeleteView
from research.views.competitors import (
    CompetitorCreateView,
    CompetitorDeleteView,
    CompetitorDetailView,
    CompetitorListView,
    CompetitorUpdateView,
)
from research.views.home import (
    FeatureResearchView,
    ResearchIndexView,
    ResearchSearchView,
)
from research.views.insights import (
    InsightCreateView,
    InsightDeleteView,
    InsightDetailView,
    InsightImportErrorsView,
    InsightImportView,
    InsightListView,
    InsightUpdateView,
    QuickInsightView,
)
from research.views.journeys import (
    JourneyMapCreateView,
    JourneyMapDeleteView,
    JourneyMapDetailView,
    JourneyMapListView,
    JourneyMapUpdateView,
    JourneyStagesMixin,
)
from research.views.opportunities import (
    OpportunityActionView,
    OpportunityCreateView,
    OpportunityDeleteView,
    OpportunityDetailView,
    OpportunityEvidenceRemoveView,
    OpportunityEvidenceView,
    OpportunityListView,
    OpportunityStatusView,
    OpportunityUpdateView,
)
from research.views.personas import (
    PersonaCreateView,
    PersonaDeleteView,
    PersonaDetailView,
    PersonaListView,
    PersonaUpdateView,
    SegmentCreateView,
    SegmentDeleteView,
    SegmentDetailView,
    SegmentListView,
    SegmentUpdateView,
)
from research.views.roadmap import (
    OpportunityRankedView,
    OpportunityScoreView,
    RoadmapMoveView,
    RoadmapPanelView,
    RoadmapView,
)
from research.views.studies import (
    StudyCreateView,
    StudyDeleteView,
    StudyDetailView,
    StudyListView,
    StudyUpdateView,
)

__all__ = [
    "CompetitorCreateView",
    "CompetitorDeleteView",
    "CompetitorDetailView",
    "CompetitorListView",
    "CompetitorUpdateView",
    "FeatureResearchView",
    "InsightCreateView",
    "InsightDeleteView",
    "InsightDetailView",
    "InsightImportErrorsView",
    "InsightImportView",
    "InsightListView",
    "InsightUpdateView",
    "JourneyMapCreateView",
    "JourneyMapDeleteView",
    "JourneyMapDetailView",
    "JourneyMapListView",
    "JourneyMapUpdateView",
    "JourneyStagesMixin",
    "OpportunityActionView",
    "OpportunityCreateView",
    "OpportunityDeleteView",
    "OpportunityDetailView",
    "OpportunityEvidenceRemoveView",
    "OpportunityEvidenceView",
    "OpportunityListView",
    "OpportunityRankedView",
    "OpportunityScoreView",
    "OpportunityStatusView",
    "OpportunityUpdateView",
    "PersonaCreateView",
    "PersonaDeleteView",
    "PersonaDetailView",
    "PersonaListView",
    "PersonaUpdateView",
    "QuickInsightView",
    "ResearchDeleteView",
    "ResearchIndexView",
    "ResearchSearchView",
    "RoadmapMoveView",
    "RoadmapPanelView",
    "RoadmapView",
    "SegmentCreateView",
    "SegmentDeleteView",
    "SegmentDetailView",
    "SegmentListView",
    "SegmentUpdateView",
    "StudyCreateView",
    "StudyDeleteView",
    "StudyDetailView",
    "StudyListView",
    "StudyUpdateView",
]
