"""The metrics pages: the dashboard, its drill-downs, imports and column mappings, and
diagnostics. Same selectors and services as the API; metrics/urls.py names each view by
its module."""

from metrics.views.dashboard import MetricsIndexView
from metrics.views.diagnostics import (
    DiagnosisActionView,
    DiagnosisDetailView,
    DiagnosisFeedbackView,
    DiagnosisListView,
    DiagnosisStateView,
    DiagnosticSettingsView,
    DiagnosticsRunView,
)
from metrics.views.drilldowns import (
    CampaignPerformanceView,
    ChannelComparisonView,
    FeatureUsageView,
)
from metrics.views.imports import (
    ImportCreateView,
    ImportDetailView,
    ImportErrorsView,
    ImportListView,
)
from metrics.views.mappings import MappingCreateView, MappingListView

__all__ = [
    "CampaignPerformanceView",
    "ChannelComparisonView",
    "DiagnosisActionView",
    "DiagnosisDetailView",
    "DiagnosisFeedbackView",
    "DiagnosisListView",
    "DiagnosisStateView",
    "DiagnosticSettingsView",
    "DiagnosticsRunView",
    "FeatureUsageView",
    "ImportCreateView",
    "ImportDetailView",
    "ImportErrorsView",
    "ImportListView",
    "MappingCreateView",
    "MappingListView",
    "MetricsIndexView",
]
