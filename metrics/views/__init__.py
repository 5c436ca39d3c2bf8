"""The metrics pages: the dashboard, its drill-downs, imports and column mappings, and
diagnostics. Same selectors and services as the API; metrics/urls.py names each view by
its module."""

from metrics.views.dashboard import MetricsIndexView
from metrics.views.diagnostics import DiagnosisActionView
from metrics.views.diagnostics import DiagnosisDetailView
from metrics.views.diagnostics import DiagnosisFeedbackView
from metrics.views.diagnostics import DiagnosisListView
from metrics.views.diagnostics import DiagnosisStateView
from metrics.views.diagnostics import DiagnosticSettingsView
from metrics.views.diagnostics import DiagnosticsRunView
from metrics.views.drilldowns import CampaignPerformanceView
from metrics.views.drilldowns import ChannelComparisonView
from metrics.views.drilldowns import FeatureUsageView
from metrics.views.imports import ImportCreateView
from metrics.views.imports import ImportDetailView
from metrics.views.imports import ImportErrorsView
from metrics.views.imports import ImportListView
from metrics.views.mappings import MappingCreateView
from metrics.views.mappings import MappingListView
