from django.urls import path

from research import views

app_name = "research"


def crud(prefix: str, name: str, view_prefix: str):
    """list, new, detail, edit and delete pages of one model."""

    def view(suffix: str):
        return getattr(views, f"{view_prefix}{suffix}View").as_view()

    return [
        path(f"{prefix}/", view("List"), name=f"{name}_list"),
        path(f"{prefix}/new/", view("Create"), name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/", view("Detail"), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", view("Update"), name=f"{name}_update"),
        path(f"{prefix}/<int:pk>/delete/", view("Delete"), name=f"{name}_delete"),
    ]


urlpatterns = [
    path("", views.ResearchIndexView.as_view(), name="index"),
    path("search/", views.ResearchSearchView.as_view(), name="search"),
    path("insights/capture/", views.QuickInsightView.as_view(), name="insight_quick"),
    path("insights/import/", views.InsightImportView.as_view(), name="insight_import"),
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
    *crud("personas", "persona", "Persona"),
    *crud("segments", "segment", "Segment"),
    *crud("studies", "study", "Study"),
    *crud("insights", "insight", "Insight"),
    *crud("opportunities", "opportunity", "Opportunity"),
    *crud("competitors", "competitor", "Competitor"),
    *crud("journey-maps", "journeymap", "JourneyMap"),
]
