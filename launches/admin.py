from django.contrib import admin

from alignment.admin import WorkspaceScopedAdmin
from launches import services
from launches.forms import TemplateItemBaseFormSet
from launches.models import (
    CalendarFeed,
    Campaign,
    GtmSettings,
    Launch,
    LaunchTask,
    LaunchTemplate,
    LaunchTemplateItem,
    Milestone,
    Release,
)


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


class LaunchTemplateItemInline(admin.TabularInline):
    model = LaunchTemplateItem
    formset = TemplateItemBaseFormSet
    extra = 1
    fields = ["kind", "title", "team", "offset_days", "milestone_kind", "channel", "position"]
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


@admin.register(LaunchTask)
class LaunchTaskAdmin(WorkspaceScopedAdmin):
    list_display = ["title", "launch", "workspace", "team", "assignee", "due_date", "status"]
    list_filter = ["status", "team", "channel"]
    search_fields = ["title", "description", "launch__name"]
    list_select_related = ["workspace", "launch", "assignee"]
    autocomplete_fields = ["assignee"]
    raw_id_fields = ["depends_on"]


@admin.register(GtmSettings)
class GtmSettingsAdmin(WorkspaceScopedAdmin):
    list_display = ["workspace", "conflict_window_days"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(WorkspaceScopedAdmin):
    list_display = ["user", "workspace", "created_at"]
    search_fields = ["user__username"]
    list_select_related = ["workspace", "user"]
    exclude = ["token"]
