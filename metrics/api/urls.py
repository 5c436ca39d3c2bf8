"""The metrics API routes. `router` is mounted under /api/v1/workspaces/<workspace_slug>/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from metrics.api import viewsets

app_name = "metrics-api"

router = SimpleRouter(trailing_slash=True)
router.register("imports", viewsets.ImportJobViewSet, basename="import")
router.register("mappings", viewsets.ColumnMappingViewSet, basename="mapping")
router.register("diagnostics", viewsets.DiagnosisViewSet, basename="diagnosis")

urlpatterns = [
    # API.md spells it without a trailing slash.
    path(
        "imports/<int:pk>/errors.csv",
        viewsets.ImportJobViewSet.as_view({"get": "errors_csv"}),
        name="import-errors-csv",
    ),
    path("metrics/campaign/", viewsets.CampaignRowsView.as_view(), name="metrics-campaign"),
    path("metrics/usage/", viewsets.UsageRowsView.as_view(), name="metrics-usage"),
    path("metrics/survey/", viewsets.SurveyRowsView.as_view(), name="metrics-survey"),
    path("kpis/", viewsets.KpiView.as_view(), name="kpis"),
    path("dashboard/", viewsets.DashboardView.as_view(), name="dashboard"),
    *router.urls,
]
