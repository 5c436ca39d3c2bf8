"""Admin of messaging models (imported from alignment/admin.py)."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from alignment.admin import WorkspacePickersMixin, WorkspaceScopedAdmin
from alignment.models_messaging import (
    ActionItem,
    ActivityEvent,
    Claim,
    Feedback,
    FeedbackComment,
    HandoffDocument,
    Objective,
    ObjectiveTarget,
    Positioning,
    PositioningVersion,
    Review,
    SyncMeeting,
)


class WorkspaceInlineFormSet(BaseInlineFormSet):
    """Inline rows take their parent's workspace before they are validated, so the
    same-workspace check in clean() compares like with like."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if form.instance.workspace_id is None:
            form.instance.workspace_id = self.instance.workspace_id
        return form


class ReadOnlyInline(WorkspacePickersMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PositioningVersionInline(ReadOnlyInline):
    model = PositioningVersion
    fields = ["number", "target_customer", "need", "our_product", "author", "created_at"]
    readonly_fields = fields


@admin.register(Positioning)
class PositioningAdmin(WorkspaceScopedAdmin):
    list_display = ["__str__", "workspace", "version", "updated_at"]
    search_fields = ["product__name", "persona__name", "our_product"]
    list_select_related = ["workspace", "product", "persona"]
    inlines = [PositioningVersionInline]


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ["reviewer", "decision", "comment", "created_at"]
    readonly_fields = fields
    fk_name = "claim"


class DocumentReviewInline(ReviewInline):
    fk_name = "document"


@admin.register(Claim)
class ClaimAdmin(WorkspaceScopedAdmin):
    list_display = ["headline", "workspace", "feature", "status", "author", "updated_at"]
    list_filter = ["status", "feature__status"]
    search_fields = ["headline", "body", "proof_point"]
    list_select_related = ["workspace", "feature__product", "author"]
    readonly_fields = ["author", "reviewed_by", "reviewed_at", "submitted_at"]
    inlines = [ReviewInline]


@admin.register(HandoffDocument)
class HandoffDocumentAdmin(WorkspaceScopedAdmin):
    list_display = ["title", "workspace", "kind", "feature", "status", "updated_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "body"]
    list_select_related = ["workspace", "feature__product"]
    readonly_fields = ["author", "reviewed_by", "reviewed_at", "submitted_at"]
    inlines = [DocumentReviewInline]


class ObjectiveTargetInline(WorkspacePickersMixin, admin.TabularInline):
    model = ObjectiveTarget
    formset = WorkspaceInlineFormSet
    extra = 0
    fields = ["kpi", "target", "direction", "scope", "scope_id", "scope_value"]


@admin.register(Objective)
class ObjectiveAdmin(WorkspaceScopedAdmin):
    list_display = ["title", "workspace", "period_start", "period_end", "product_owner"]
    search_fields = ["title", "description"]
    list_select_related = ["workspace", "product_owner"]
    date_hierarchy = "period_start"
    inlines = [ObjectiveTargetInline]


class FeedbackCommentInline(ReadOnlyInline):
    model = FeedbackComment
    fields = ["author", "body", "created_at"]
    readonly_fields = fields


@admin.register(Feedback)
class FeedbackAdmin(WorkspaceScopedAdmin):
    list_display = ["__str__", "workspace", "from_team", "to_team", "subject_type", "status"]
    list_filter = ["status", "from_team", "to_team", "subject_type"]
    search_fields = ["title", "body"]
    list_select_related = ["workspace"]
    inlines = [FeedbackCommentInline]


class ActionItemInline(WorkspacePickersMixin, admin.TabularInline):
    model = ActionItem
    formset = WorkspaceInlineFormSet
    extra = 0
    fields = ["title", "owner", "due_date", "done"]


@admin.register(SyncMeeting)
class SyncMeetingAdmin(WorkspaceScopedAdmin):
    list_display = ["title", "workspace", "date"]
    search_fields = ["title", "updates", "decisions"]
    date_hierarchy = "date"
    filter_horizontal = ["attendees"]
    inlines = [ActionItemInline]


@admin.register(ActionItem)
class ActionItemAdmin(WorkspaceScopedAdmin):
    list_display = ["title", "workspace", "owner", "due_date", "done"]
    list_filter = ["done", "due_date"]
    search_fields = ["title"]
    list_select_related = ["workspace", "owner"]


@admin.register(ActivityEvent)
class ActivityEventAdmin(WorkspaceScopedAdmin):
    list_display = ["created_at", "workspace", "actor", "verb", "target_type", "target_label"]
    list_filter = ["verb", "target_type"]
    search_fields = ["target_label"]
    list_select_related = ["workspace", "actor"]

    def has_change_permission(self, request, obj=None):
        return False
