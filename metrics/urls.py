from django.urls import path

from metrics import views

app_name = "metrics"

urlpatterns = [
    path("", views.MetricsIndexView.as_view(), name="index"),
    path(
        "campaigns/<int:pk>/",
        views.CampaignPerformanceView.as_view(),
        name="campaign",
    ),
    path("features/<int:pk>/", views.FeatureUsageView.as_view(), name="feature"),
    path("channels/", views.ChannelComparisonView.as_view(), name="channels"),
    path("imports/", views.ImportListView.as_view(), name="import_list"),
    path("imports/new/", views.ImportCreateView.as_view(), name="import_create"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/errors.csv", views.ImportErrorsView.as_view(), name="import_errors"),
    path("mappings/", views.MappingListView.as_view(), name="mapping_list"),
    path("mappings/new/", views.MappingCreateView.as_view(), name="mapping_create"),
    path("diagnostics/", views.DiagnosisListView.as_view(), name="diagnosis_list"),
    path("diagnostics/run/", views.DiagnosticsRunView.as_view(), name="diagnostics_run"),
    path(
        "diagnostics/settings/", views.DiagnosticSettingsView.as_view(), name="diagnostic_settings"
    ),
    path("diagnostics/<int:pk>/", views.DiagnosisDetailView.as_view(), name="diagnosis_detail"),
    path("diagnostics/<int:pk>/state/", views.DiagnosisStateView.as_view(), name="diagnosis_state"),
    path(
        "diagnostics/<int:pk>/feedback/",
        views.DiagnosisFeedbackView.as_view(),
        name="diagnosis_feedback",
    ),
]
