"""Django admin for ops. Superusers see every workspace; other staff only those they
administer (WorkspaceScopedAdmin), so the admin cannot leak one tenant to another."""

from django.contrib import admin

from alignment.models import Feature, Membership, Product, Role, Workspace


def administered_workspaces(user):
    if user.is_superuser:
        return Workspace.objects.all()
    return Workspace.objects.filter(memberships__user=user, memberships__role=Role.ADMIN)


class WorkspaceScopedAdmin(admin.ModelAdmin):
    """Base admin of every workspace-scoped model."""

    list_select_related = ["workspace"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(workspace__in=administered_workspaces(request.user))

    def get_list_filter(self, request):
        return ["workspace", *super().get_list_filter(request)]

    def get_readonly_fields(self, request, obj=None):
        # The workspace is chosen when a row is added, then fixed.
        fixed = ["workspace"] if obj is not None else []
        return [*fixed, *super().get_readonly_fields(request, obj)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            model = db_field.related_model
            if model is Workspace:
                field.queryset = administered_workspaces(request.user)
            elif hasattr(model, "workspace"):
                field.queryset = field.queryset.filter(
                    workspace__in=administered_workspaces(request.user)
                )
        return field


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return administered_workspaces(request.user)


@admin.register(Membership)
class MembershipAdmin(WorkspaceScopedAdmin):
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "workspace__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["workspace", "user"]


@admin.register(Product)
class ProductAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "stage", "updated_at"]
    list_filter = ["stage"]
    search_fields = ["name", "description"]


@admin.register(Feature)
class FeatureAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "product", "workspace", "status", "release_date"]
    list_filter = ["status", "release_date"]
    search_fields = ["name", "description", "product__name"]
    list_select_related = ["workspace", "product"]
    date_hierarchy = "release_date"


import alignment.admin_messaging  # noqa: E402, F401  (messaging admin, issue 4)
