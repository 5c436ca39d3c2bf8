from django.contrib import admin
from django.db import models

from alignment.admin import WorkspaceInlineFormSet
from alignment.admin import WorkspacePickersMixin
from alignment.admin import WorkspaceScopedAdmin
from research.models import Competitor
from research.models import Evidence
from research.models import Insight
from research.models import InsightImport
from research.models import JourneyMap
from research.models import JourneyStage
from research.models import Opportunity
from research.models import OpportunityStatusChange
from research.models import Persona
from research.models import Segment
from research.models import Study
from research.models import Tag


class WorkspaceInline(WorkspacePickersMixin, admin.TabularInline):
    formset = WorkspaceInlineFormSet
    extra = 0


@admin.register(Persona)
class PersonaAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "updated_at"]
    search_fields = ["name", "summary", "goals", "pains"]


@admin.register(Segment)
class SegmentAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "updated_at"]
    search_fields = ["name", "criteria"]
    filter_horizontal = ["personas"]


@admin.register(Study)
class StudyAdmin(WorkspaceScopedAdmin):
    list_display = ["title", "kind", "workspace", "started_on", "ended_on"]
    list_filter = ["kind"]
    search_fields = ["title", "summary"]
    date_hierarchy = "started_on"
    filter_horizontal = ["personas", "segments"]


@admin.register(Tag)
class TagAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace"]
    search_fields = ["name"]


@admin.register(Insight)
class InsightAdmin(WorkspaceScopedAdmin):
    list_display = ["title", "sentiment", "source", "study", "workspace", "created_at"]
    list_filter = ["sentiment", "created_at"]
    search_fields = ["title", "body", "evidence", "source"]
    list_select_related = ["workspace", "study"]
    filter_horizontal = ["personas", "features", "competitors", "tags"]
    readonly_fields = ["created_by"]


class EvidenceInline(WorkspaceInline):
    model = Evidence
    fields = ["insight", "stance"]
    raw_id_fields = ["insight"]


class StatusChangeInline(WorkspaceInline):
    model = OpportunityStatusChange
    fields = ["from_status", "to_status", "reason", "changed_by", "changed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Opportunity)
class OpportunityAdmin(WorkspaceScopedAdmin):
    list_display = ["title", "status", "persona", "workspace", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "problem", "reason", "signal"]
    list_select_related = ["workspace", "persona"]
    filter_horizontal = ["features"]
    # Status moves through the service (who and why are recorded), not by editing the row.
    readonly_fields = ["status", "status_reason", "status_changed_by", "status_changed_at"]
    inlines = [EvidenceInline, StatusChangeInline]


@admin.register(Competitor)
class CompetitorAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "website", "updated_at"]
    search_fields = ["name", "positioning"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class JourneyStageInline(WorkspaceInline):
    model = JourneyStage
    fields = ["position", "name", "touchpoints", "pains", "opportunities"]


@admin.register(JourneyMap)
class JourneyMapAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "persona", "workspace", "updated_at"]
    search_fields = ["name", "persona__name"]
    list_select_related = ["workspace", "persona"]
    inlines = [JourneyStageInline]


@admin.register(InsightImport)
class InsightImportAdmin(WorkspaceScopedAdmin):
    """A record of what an insight CSV import did: read-only (the rows it rejected are
    downloaded as errors.csv from the research pages and the API)."""

    list_display = ["id", "workspace", "rows_read", "rows_imported", "rows_rejected", "created_at"]
    list_select_related = ["workspace", "created_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_by",
        "created_at",
        "rows_read",
        "rows_imported",
        "rows_rejected",
        "header",
        "rejected",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
