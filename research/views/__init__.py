"""Research pages under /w/<workspace_slug>/research/. Reads through selectors, writes
through services, tenancy through the alignment mixins.

`research/urls.py` looks views up by name (`views.PersonaListView`), so every view is
re-exported here; the modules split the pages by area.
"""

from research.views.competitors import CompetitorCreateView
from research.views.competitors import CompetitorDeleteView
from research.views.competitors import CompetitorDetailView
from research.views.competitors import CompetitorListView
from research.views.competitors import CompetitorUpdateView
from research.views.home import FeatureResearchView
from research.views.home import ResearchIndexView
from research.views.home import ResearchSearchView
from research.views.insights import InsightCreateView
from research.views.insights import InsightDeleteView
from research.views.insights import InsightDetailView
from research.views.insights import InsightImportErrorsView
from research.views.insights import InsightImportView
from research.views.insights import InsightListView
from research.views.insights import InsightUpdateView
from research.views.insights import QuickInsightView
from research.views.journeys import JourneyMapCreateView
from research.views.journeys import JourneyMapDeleteView
from research.views.journeys import JourneyMapDetailView
from research.views.journeys import JourneyMapListView
from research.views.journeys import JourneyMapUpdateView
from research.views.journeys import JourneyStagesMixin
from research.views.opportunities import OpportunityActionView
from research.views.opportunities import OpportunityCreateView
from research.views.opportunities import OpportunityDeleteView
from research.views.opportunities import OpportunityDetailView
from research.views.opportunities import OpportunityEvidenceRemoveView
from research.views.opportunities import OpportunityEvidenceView
from research.views.opportunities import OpportunityListView
from research.views.opportunities import OpportunityStatusView
from research.views.opportunities import OpportunityUpdateView
from research.views.personas import PersonaCreateView
from research.views.personas import PersonaDeleteView
from research.views.personas import PersonaDetailView
from research.views.personas import PersonaListView
from research.views.personas import PersonaUpdateView
from research.views.personas import SegmentCreateView
from research.views.personas import SegmentDeleteView
from research.views.personas import SegmentDetailView
from research.views.personas import SegmentListView
from research.views.personas import SegmentUpdateView
from research.views.roadmap import OpportunityRankedView
from research.views.roadmap import OpportunityScoreView
from research.views.roadmap import RoadmapMoveView
from research.views.roadmap import RoadmapPanelView
from research.views.roadmap import RoadmapView
from research.views.studies import StudyCreateView
from research.views.studies import StudyDeleteView
from research.views.studies import StudyDetailView
from research.views.studies import StudyListView
from research.views.studies import StudyUpdateView
