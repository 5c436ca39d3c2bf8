from django.urls import path

from alignment.routing import object_pages
from research import views
from research.views import highlights as highlight_views
from research.views import similar
from research.views import themes as theme_views

app_name = "research"


urlpatterns = [
    path("", views.ResearchIndexView.as_view(), name="index"),
    path("search/", views.ResearchSearchView.as_view(), name="search"),
    path("insights/capture/", views.QuickInsightView.as_view(), name="insight_quick"),
    path("insights/import/", views.InsightImportView.as_view(), name="insight_import"),
    path(
        "insights/transcript/",
        highlight_views.InsightFromTranscriptView.as_view(),
        name="insight_transcript",
    ),
    path(
        "insights/<int:pk>/highlights/",
        highlight_views.HighlightCreateView.as_view(),
        name="insight_highlight_create",
    ),
    path(
        "insights/<int:pk>/highlights/<int:highlight_pk>/delete/",
        highlight_views.HighlightDeleteView.as_view(),
        name="insight_highlight_delete",
    ),
    path(
        "insights/<int:pk>/evidence/",
        highlight_views.InsightEvidenceView.as_view(),
        name="insight_evidence",
    ),
    path(
        "opportunities/<int:pk>/persona/",
        highlight_views.OpportunityPersonaView.as_view(),
        name="opportunity_persona",
    ),
    path("insights/similar/", similar.InsightSimilarView.as_view(), name="insight_similar"),
    path(
        "insights/<int:pk>/duplicate/",
        similar.InsightDuplicateView.as_view(),
        name="insight_duplicate",
    ),
    path(
        "insights/import/<int:pk>/errors.csv",
        views.InsightImportErrorsView.as_view(),
        name="insight_import_errors",
    ),
    path("features/<int:pk>/", views.FeatureResearchView.as_view(), name="feature_research"),
    path(
        "opportunities/<int:pk>/status/",
        views.OpportunityStatusView.as_view(),
        name="opportunity_status",
    ),
    path(
        "opportunities/<int:pk>/evidence/",
        views.OpportunityEvidenceView.as_view(),
        name="opportunity_evidence",
    ),
    path(
        "opportunities/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.OpportunityEvidenceRemoveView.as_view(),
        name="opportunity_evidence_remove",
    ),
    path("opportunities/ranked/", views.OpportunityRankedView.as_view(), name="opportunity_ranked"),
    path(
        "opportunities/<int:pk>/score/",
        views.OpportunityScoreView.as_view(),
        name="opportunity_score",
    ),
    path("roadmap/", views.RoadmapView.as_view(), name="roadmap"),
    path("roadmap/move/", views.RoadmapMoveView.as_view(), name="roadmap_move"),
    path("roadmap/panel/", views.RoadmapPanelView.as_view(), name="roadmap_panel"),
    path("themes/", theme_views.ThemeListView.as_view(), name="theme_list"),
    path("themes/recompute/", theme_views.ThemeRecomputeView.as_view(), name="theme_recompute"),
    path("themes/<int:pk>/", theme_views.ThemeDetailView.as_view(), name="theme_detail"),
    path("themes/<int:pk>/rename/", theme_views.ThemeRenameView.as_view(), name="theme_rename"),
    path("themes/<int:pk>/pin/", theme_views.ThemePinView.as_view(), name="theme_pin"),
    path("themes/<int:pk>/merge/", theme_views.ThemeMergeView.as_view(), name="theme_merge"),
    path(
        "themes/<int:pk>/insights/",
        theme_views.ThemeInsightsView.as_view(),
        name="theme_insights",
    ),
    *object_pages(views, "personas", "persona", "Persona"),
    *object_pages(views, "segments", "segment", "Segment"),
    *object_pages(views, "studies", "study", "Study"),
    *object_pages(views, "insights", "insight", "Insight"),
    *object_pages(views, "opportunities", "opportunity", "Opportunity"),
    *object_pages(views, "competitors", "competitor", "Competitor"),
    *object_pages(views, "journey-maps", "journeymap", "JourneyMap"),
]
