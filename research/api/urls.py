"""The research API routes. `router` is mounted under /api/v1/workspaces/<workspace_slug>/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from research.api import roadmap
from research.api import viewsets
from research.api.highlights import HighlightViewSet
from research.api.themes import ThemeViewSet

app_name = "research-api"

router = SimpleRouter(trailing_slash=True)
router.register("personas", viewsets.PersonaViewSet, basename="persona")
router.register("segments", viewsets.SegmentViewSet, basename="segment")
router.register("studies", viewsets.StudyViewSet, basename="study")
router.register("insights", viewsets.InsightViewSet, basename="insight")
router.register(
    r"insights/(?P<insight_pk>[0-9]+)/highlights", HighlightViewSet, basename="insight-highlight"
)
router.register("insight-imports", viewsets.InsightImportViewSet, basename="insight-import")
router.register("opportunities", viewsets.OpportunityViewSet, basename="opportunity")
router.register("competitors", viewsets.CompetitorViewSet, basename="competitor")
router.register("tags", viewsets.TagViewSet, basename="tag")
router.register("journey-maps", viewsets.JourneyMapViewSet, basename="journeymap")
router.register("themes", ThemeViewSet, basename="theme")

urlpatterns = [
    # Spelled like metrics' `imports/<id>/errors.csv`: a file, without the trailing slash.
    path(
        "insight-imports/<int:pk>/errors.csv",
        viewsets.InsightImportViewSet.as_view({"get": "errors_csv"}),
        name="insight-import-errors-csv",
    ),
    path("roadmap/", roadmap.RoadmapView.as_view(), name="roadmap"),
    path("roadmap/move/", roadmap.RoadmapMoveView.as_view(), name="roadmap-move"),
    *router.urls,
]
