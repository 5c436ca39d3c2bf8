"""Django admin for ops. Superusers see every workspace; other staff only those they
administer (WorkspaceScopedAdmin), so the admin cannot leak one tenant to another."""

from django.contrib import admin

# Messaging's admin registers its models with this app's (it is part of the app).
import alignment.messaging.admin  # noqa: F401
from alignment.models import Feature
from alignment.models import Invitation
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Workspace
from alignment.scoped_admin import SameWorkspaceLinksForm  # noqa: F401  (the names other apps' admins import)
from alignment.scoped_admin import WorkspaceInlineFormSet  # noqa: F401  (the names other apps' admins import)
from alignment.scoped_admin import WorkspacePickersMixin  # noqa: F401  (the names other apps' admins import)
from alignment.scoped_admin import WorkspaceScopedAdmin  # noqa: F401  (the names other apps' admins import)
from alignment.scoped_admin import administered_workspaces  # noqa: F401  (the names other apps' admins import)


class MembershipInline(WorkspacePickersMixin, admin.TabularInline):
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


@admin.register(Invitation)
class InvitationAdmin(WorkspaceScopedAdmin):
    """Read only: invitations are made and answered in the app, where the invitee consents
    (an invitee is, by definition, not yet a member the pickers would offer). Deleting a
    pending one withdraws it, like revoking it on the members page."""

    list_display = ["username", "workspace", "role", "status", "invited_by", "expires_at"]
    list_filter = ["status", "role"]
    search_fields = ["username"]
    list_select_related = ["workspace", "invited_by"]
    exclude = ["token"]  # the secret of the invitee's link

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
