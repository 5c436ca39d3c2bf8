from django.contrib import admin

from alignment.admin import WorkspaceScopedAdmin
from metrics.models import CampaignMetric
from metrics.models import ColumnMapping
from metrics.models import DashboardSnapshot
from metrics.models import Diagnosis
from metrics.models import DiagnosticDigest
from metrics.models import DiagnosticSettings
from metrics.models import ImportJob
from metrics.models import SurveyResponse
from metrics.models import UsageMetric


@admin.register(ImportJob)
class ImportJobAdmin(WorkspaceScopedAdmin):
    list_display = [
        "id",
        "workspace",
        "kind",
        "status",
        "rows_read",
        "rows_imported",
        "rows_rejected",
        "created_at",
    ]
    list_filter = ["kind", "status", "source"]
    search_fields = ["original_name", "checksum"]
    readonly_fields = ["checksum", "started_at", "finished_at"]


@admin.register(ColumnMapping)
class ColumnMappingAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(CampaignMetric)
class CampaignMetricAdmin(WorkspaceScopedAdmin):
    list_display = ["date", "campaign", "channel", "spend", "revenue", "workspace"]
    list_filter = ["channel"]
    search_fields = ["channel"]
    list_select_related = ["workspace", "campaign"]
    show_full_result_count = False


@admin.register(UsageMetric)
class UsageMetricAdmin(WorkspaceScopedAdmin):
    list_display = ["date", "product", "feature", "active_users", "workspace"]
    list_filter = ["date"]
    search_fields = ["product__name", "feature__name"]
    list_select_related = ["workspace", "product", "feature"]
    show_full_result_count = False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(WorkspaceScopedAdmin):
    list_display = ["submitted_at", "survey", "respondent", "scale", "score", "workspace"]
    list_filter = ["scale"]
    search_fields = ["survey", "respondent", "comment"]
    show_full_result_count = False


@admin.register(DashboardSnapshot)
class DashboardSnapshotAdmin(WorkspaceScopedAdmin):
    list_display = ["workspace", "as_of", "computed_at", "duration_ms", "failed_at"]
    search_fields = ["workspace__name"]
    readonly_fields = ["data"]


@admin.register(DiagnosticSettings)
class DiagnosticSettingsAdmin(WorkspaceScopedAdmin):
    list_display = ["workspace", "window_days", "baseline_days", "twc_min_visits", "drop_z"]
    search_fields = ["workspace__name"]


@admin.register(Diagnosis)
class DiagnosisAdmin(WorkspaceScopedAdmin):
    list_display = [
        "rule",
        "subject_label",
        "severity",
        "team",
        "state",
        "workspace",
        "detected_at",
    ]
    list_filter = ["rule", "severity", "team", "state"]
    search_fields = ["subject_label", "message", "reason"]
    readonly_fields = ["evidence", "detected_at", "last_seen_at", "resolved_at", "dismissed_level"]


@admin.register(DiagnosticDigest)
class DiagnosticDigestAdmin(WorkspaceScopedAdmin):
    list_display = ["workspace", "team", "sent_on", "diagnosis_count"]
    list_filter = ["team"]
    search_fields = ["workspace__name"]
