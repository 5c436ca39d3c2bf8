"""Imported data: import jobs, the fact tables, survey answers, dashboard snapshots,
background runs and diagnoses.

Every model is imported here, so Django finds them all and `from metrics.models import X`
works whatever module X lives in.
"""

from metrics.models.background_runs import BackgroundRun
from metrics.models.dashboard import DashboardSnapshot
from metrics.models.diagnostics import Diagnosis
from metrics.models.diagnostics import DiagnosticDigest
from metrics.models.diagnostics import DiagnosticSettings
from metrics.models.facts import CampaignMetric
from metrics.models.facts import SurveyResponse
from metrics.models.facts import UsageMetric
from metrics.models.imports import ColumnMapping
from metrics.models.imports import ImportJob
from metrics.models.imports import ImportKind
