import copy

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance

from alignment.admin import WorkspacePickersMixin
from alignment.admin import WorkspaceScopedAdmin
from launches import services
from launches.forms import LaunchTemplateItemForm
from launches.forms import TemplateItemBaseFormSet
from launches.models import CalendarFeed
from launches.models import Campaign
from launches.models import GtmSettings
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import LaunchTemplateItem
from launches.models import Milestone
from launches.models import Release
from launches.services.launch_templates import TEMPLATE_ITEM_FIELDS
from launches.services.plans import TASK_FIELDS


@admin.register(Campaign)
class CampaignAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "channel", "start_date", "end_date", "budget"]
    list_filter = ["channel", "start_date"]
    search_fields = ["name"]
    filter_horizontal = ["features"]


@admin.register(Release)
class ReleaseAdmin(WorkspaceScopedAdmin):
    list_display = ["version", "product", "workspace", "date"]
    list_filter = ["date"]
    search_fields = ["version", "product__name", "notes"]
    list_select_related = ["workspace", "product"]
    filter_horizontal = ["features"]
    date_hierarchy = "date"


class LaunchTemplateItemInline(WorkspacePickersMixin, admin.TabularInline):
    model = LaunchTemplateItem
    form = LaunchTemplateItemForm
    formset = TemplateItemBaseFormSet
    extra = 1
    fields = [*TEMPLATE_ITEM_FIELDS, "position"]
    exclude = ["workspace"]


@admin.register(LaunchTemplate)
class LaunchTemplateAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "tier", "updated_at"]
    list_filter = ["tier"]
    search_fields = ["name", "description"]
    inlines = [LaunchTemplateItemInline]
    actions = ["seed_defaults"]

    def save_formset(self, request, form, formset, change):
        # Inline items carry the workspace of their template.
        for item in formset.save(commit=False):
            item.workspace = form.instance.workspace
            item.save()
        for item in formset.deleted_objects:
            item.delete()

    @admin.action(description="Add the missing default tier 1-3 templates to their workspaces")
    def seed_defaults(self, request, queryset):
        workspaces = {template.workspace for template in queryset.select_related("workspace")}
        for workspace in workspaces:
            services.launch_template_seed_defaults(actor=request.user, workspace=workspace)
        self.message_user(request, f"Default templates checked in {len(workspaces)} workspace(s).")


@admin.register(Launch)
class LaunchAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "product", "workspace", "tier", "launch_date", "status"]
    list_filter = ["status", "tier", "launch_date"]
    search_fields = ["name", "goals", "product__name"]
    list_select_related = ["workspace", "product"]
    filter_horizontal = ["features"]
    date_hierarchy = "launch_date"
    readonly_fields = ["created_by"]


@admin.register(Milestone)
class MilestoneAdmin(WorkspaceScopedAdmin):
    list_display = ["__str__", "launch", "workspace", "team", "due_date", "done"]
    list_filter = ["kind", "team", "done"]
    search_fields = ["title", "launch__name"]
    list_select_related = ["workspace", "launch"]


class LaunchTaskAdminForm(forms.ModelForm):
    class Meta:
        model = LaunchTask
        fields = ["workspace", "launch", *sorted(TASK_FIELDS), "depends_on"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            # The form's values on a copy of the task: the service's checks see the edit.
            task = construct_instance(self, copy.copy(self.instance))
            try:
                services.launch_task_check(task, cleaned.get("depends_on"))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(LaunchTask)
class LaunchTaskAdmin(WorkspaceScopedAdmin):
    """Saved through the launch services, like the pages and the API: the same checks
    (member assignee, no dependency cycle, not done before the tasks it depends on),
    completion time and assignment email."""

    form = LaunchTaskAdminForm
    list_display = ["title", "launch", "workspace", "team", "assignee", "due_date", "status"]
    list_filter = ["status", "team", "channel"]
    search_fields = ["title", "description", "launch__name"]
    list_select_related = ["workspace", "launch", "assignee"]
    autocomplete_fields = ["assignee"]
    raw_id_fields = ["depends_on"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["launch"] if obj is not None else []  # a task stays with its launch
        return [*fixed, *super().get_readonly_fields(request, obj), "completed_at"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in TASK_FIELDS if name in form.cleaned_data}
        depends_on = form.cleaned_data.get("depends_on")
        if change:  # the stored row, so the service sees what changed (status, assignee)
            task = LaunchTask.objects.get(pk=obj.pk)
            saved = services.launch_task_update(
                actor=request.user, task=task, depends_on=depends_on, **data
            )
        else:
            saved = services.launch_task_create(
                actor=request.user,
                workspace=obj.workspace,
                launch=obj.launch,
                depends_on=depends_on,
                **data,
            )
        obj.pk, obj.completed_at = saved.pk, saved.completed_at
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The service has set the dependencies; the form must not set them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(GtmSettings)
class GtmSettingsAdmin(WorkspaceScopedAdmin):
    list_display = ["workspace", "conflict_window_days"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(WorkspaceScopedAdmin):
    list_display = ["user", "workspace", "created_at"]
    search_fields = ["user__username"]
    list_select_related = ["workspace", "user"]
    exclude = ["token"]
