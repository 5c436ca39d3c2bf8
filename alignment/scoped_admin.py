"""The admin's tenancy, for every app's admin: superusers see every workspace; other staff
only those they administer (WorkspaceScopedAdmin), and every picker, inline and list
filter stays inside them, so the admin cannot leak one tenant to another."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.db.models import QuerySet

from alignment.mixins import WorkspaceInlineFormSet  # noqa: F401 - the admins' inlines import it here
from alignment.models import Membership
from alignment.models import Role
from alignment.models import Workspace


def administered_workspaces(user):
    if user.is_superuser:
        return Workspace.objects.all()
    return Workspace.objects.filter(memberships__user=user, memberships__role=Role.ADMIN)


def _narrowed(queryset, user):
    """`queryset` of a picker, cut to what `user` may link: rows of the workspaces they
    administer, their members for a user picker, those workspaces for a workspace picker."""
    if user.is_superuser:
        return queryset
    workspaces = administered_workspaces(user)
    model = queryset.model
    if model is Workspace:
        return queryset.filter(pk__in=workspaces)
    if model is get_user_model():
        return queryset.filter(memberships__workspace__in=workspaces).distinct()
    if any(field.name == "workspace" for field in model._meta.get_fields()):
        return queryset.filter(workspace__in=workspaces)
    return queryset


class WorkspacePickersMixin:
    """Every foreign-key and many-to-many picker of an admin form (and of its inlines)
    offers only rows the staff user may link (see `_narrowed`); a POST naming another
    row fails the field's validation. Pickers are plain selects for staff who are not
    superusers: an autocomplete would search the target's own admin, all users included."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = _narrowed(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = _narrowed(field.queryset, request.user)
        return field

    def get_autocomplete_fields(self, request):
        return super().get_autocomplete_fields(request) if request.user.is_superuser else ()


class WorkspaceListFilter(admin.RelatedFieldListFilter):
    """The sidebar's choices of a related field, narrowed like the pickers: another
    tenant's names are never listed."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        queryset = _narrowed(field.related_model._default_manager.all(), request.user)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(row.pk, str(row)) for row in queryset]


class WorkspaceScopedAdmin(WorkspacePickersMixin, admin.ModelAdmin):
    """Base admin of every workspace-scoped model."""

    list_select_related = ["workspace"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(workspace__in=administered_workspaces(request.user))

    def get_list_filter(self, request):
        filters = ["workspace", *super().get_list_filter(request)]
        return [self._scoped_filter(entry) for entry in filters]

    def _scoped_filter(self, entry):
        if isinstance(entry, str) and "__" not in entry:
            field = self.model._meta.get_field(entry)
            if field.is_relation and field.related_model is not None:
                return (entry, WorkspaceListFilter)
        return entry

    def get_readonly_fields(self, request, obj=None):
        # The workspace is chosen when a row is added, then fixed.
        fixed = ["workspace"] if obj is not None else []
        return [*fixed, *super().get_readonly_fields(request, obj)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (SameWorkspaceLinksForm, form), {})


class SameWorkspaceLinksForm(forms.ModelForm):
    """Every row the form links to (a foreign key, a many-to-many, a user) belongs to the
    object's workspace: staff who administer two workspaces cannot tie one to the other."""

    def clean(self):
        cleaned = super().clean()
        workspace = cleaned.get("workspace") or getattr(self.instance, "workspace", None)
        if not isinstance(workspace, Workspace):
            return cleaned
        for name, value in list(cleaned.items()):
            rows = list(value) if isinstance(value, QuerySet | list | tuple) else [value]
            if any(self._foreign(row, workspace) for row in rows):
                self.add_error(name, "Choose only rows of this object's workspace.")
        return cleaned

    @staticmethod
    def _foreign(row, workspace) -> bool:
        if isinstance(row, get_user_model()):
            return not Membership.objects.filter(user=row, workspace=workspace).exists()
        if isinstance(row, Model) and not isinstance(row, Workspace):
            workspace_id = getattr(row, "workspace_id", None)
            return workspace_id is not None and workspace_id != workspace.pk
        return False
