"""Admin of the messaging models (registered when alignment/admin.py imports it)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from alignment import measures
from alignment.messaging.forms import scope_choice_of
from alignment.messaging.forms import scope_from_choice
from alignment.messaging.models import ActionItem
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import FeedbackComment
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import Positioning
from alignment.messaging.models import PositioningVersion
from alignment.messaging.models import Review
from alignment.messaging.models import SyncMeeting
from alignment.messaging.selectors import target_scope_label
from alignment.messaging.selectors import target_scope_labels
from alignment.messaging.services import objective_target_build
from alignment.messaging.services.meetings import ACTION_ITEM_FIELDS
from alignment.scoped_admin import WorkspaceInlineFormSet
from alignment.scoped_admin import WorkspacePickersMixin
from alignment.scoped_admin import WorkspaceScopedAdmin


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


SCOPE_FIELDS = {"scope", "scope_id", "scope_value"}


class ObjectiveTargetAdminForm(forms.ModelForm):
    """A target's scope picked by name, as on the objective's page: the whole workspace or
    one of the objective's workspace's products, features, campaigns or channels (never a
    bare id). Each row is checked as the objectives service checks it."""

    measured_over = forms.ChoiceField(
        label="Measured over",
        help_text="Save a new objective first to pick a product, feature, campaign or channel.",
    )

    class Meta:
        model = ObjectiveTarget
        fields = ["kpi", "target", "direction"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the field renders or validates: an inline row gets its workspace from
        # the objective only after it is built (WorkspaceInlineFormSet).
        self.fields["measured_over"].choices = self._scope_choices
        self.fields["measured_over"].initial = scope_choice_of(self.instance)

    def _scope_choices(self):
        workspace = self.instance.workspace if self.instance.workspace_id else None
        if workspace is None:
            return [(ObjectiveTarget.Scope.WORKSPACE, "The whole workspace")]
        return measures.engine().scope_choices(workspace)

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("measured_over")
        if not choice or any(name in self.errors for name in ("kpi", "target", "direction")):
            return cleaned
        try:
            objective = self.instance.objective
        except ObjectDoesNotExist:
            return cleaned
        data = {name: cleaned.get(name) for name in ("kpi", "target", "direction")}
        try:
            built = objective_target_build(objective=objective, **data, **scope_from_choice(choice))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                field = "measured_over" if name in SCOPE_FIELDS or name not in self.fields else name
                for message in messages:
                    self.add_error(field, message)
            return cleaned
        for name in SCOPE_FIELDS:
            setattr(self.instance, name, getattr(built, name))
        return cleaned


class ObjectiveTargetInline(WorkspacePickersMixin, admin.TabularInline):
    model = ObjectiveTarget
    form = ObjectiveTargetAdminForm
    formset = WorkspaceInlineFormSet
    extra = 0
    fields = ["kpi", "target", "direction", "measured_over"]


@admin.register(Objective)
class ObjectiveAdmin(WorkspaceScopedAdmin):
    list_display = ["title", "workspace", "period_start", "period_end", "product_owner", "kpis"]
    search_fields = ["title", "description"]
    list_select_related = ["workspace", "product_owner"]
    date_hierarchy = "period_start"
    inlines = [ObjectiveTargetInline]

    def get_queryset(self, request):
        targets = ObjectiveTarget.objects.select_related("workspace")
        return super().get_queryset(request).prefetch_related(Prefetch("targets", targets))

    @admin.display(description="Targets")
    def kpis(self, objective):
        """ "Conversion rate ≥ 3.00% (Feature: Insights / Funnels)": scopes by name."""
        targets = list(objective.targets.all())
        labels = target_scope_labels(workspace=objective.workspace, targets=targets)
        return "; ".join(f"{t} ({target_scope_label(t, labels)})" for t in targets) or "–"


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
    fields = [*ACTION_ITEM_FIELDS, "done"]


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
