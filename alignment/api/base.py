"""The shared API machinery: the workspace viewset, its role permission and serializer."""

from __future__ import annotations

from django.utils.functional import cached_property
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions
from rest_framework import serializers
from rest_framework import status
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from alignment.filters import WorkspaceFilterSet
from alignment.models import Role
from alignment.services import object_delete
from alignment.tenancy import get_membership_or_404
from alignment.tenancy import narrow_related_querysets


class WorkspaceRolePermission(permissions.BasePermission):
    """Roles in the view's `read_roles` read (default: every member); roles in its
    `write_roles` write (default: all but viewer).

    On routes about one object the role is checked only after the object was found in
    the workspace, so another tenant's object answers 404, never 403.
    """

    message = "Your role in this workspace is read-only for this resource."
    unreadable = "Your role in this workspace cannot see this resource."

    def _allowed(self, request, view) -> bool:
        role = view.membership.role
        if not view.role_can_read(role):
            self.message = self.unreadable
            return False
        return request.method in permissions.SAFE_METHODS or view.role_can_write(role)

    def has_permission(self, request, view):
        # The membership is resolved first either way: 404 for non-members.
        if view.membership and view.detail:
            return True
        return self._allowed(request, view)

    def has_object_permission(self, request, view, obj):
        return self._allowed(request, view)


class WorkspaceFilterBackend(DjangoFilterBackend):
    """Hands the view's workspace to WorkspaceFilterSets so choices stay in the tenant."""

    def filter_queryset(self, request, queryset, view):
        # A request that names none of the filters skips building the FilterSet, its form
        # class and their validation: a bound FilterSet without values filters nothing.
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not _names_a_filter(request, filterset_class):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class and issubclass(filterset_class, WorkspaceFilterSet):
            kwargs["workspace"] = view.workspace
        return kwargs


def _names_a_filter(request, filterset_class) -> bool:
    """Whether a query parameter is one of the filters, or one part of a filter whose
    widget reads several (`date_after`, `amount_min`, `range_0`)."""
    names = filterset_class.base_filters
    return any(param in names or param.rsplit("_", 1)[0] in names for param in request.query_params)


class WorkspaceSerializer(serializers.ModelSerializer):
    # Base of every serializer of a workspace resource: related fields only accept ids
    # from the request's workspace. (A comment, not a docstring: the schema would show it.)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workspace = self.context.get("workspace")
        if workspace is not None:
            narrow_related_querysets(self.fields, workspace)


class WorkspacePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of a row in the serializer context's workspace, narrowed when a value is read.

    For query serializers built on every request: their fields need no per-request
    queryset, so one that names no such id costs nothing."""

    def get_queryset(self):
        workspace = self.context.get("workspace")  # absent only for the schema
        queryset = super().get_queryset()
        return queryset.in_workspace(workspace) if workspace else queryset.none()


class WorkspaceMembershipMixin:
    """Who the caller is in the URL's workspace, resolved once per request (404 when they
    are not a member), and whether their role may write here."""

    permission_classes = [permissions.IsAuthenticated, WorkspaceRolePermission]
    write_roles: frozenset[str] | None = None  # None: every role but viewer
    read_roles: frozenset[str] | None = None  # None: every member (admin-only resources set it)

    @cached_property
    def membership(self):
        return get_membership_or_404(self.request.user, self.kwargs["workspace_slug"])

    @property
    def workspace(self):
        return self.membership.workspace

    def role_can_read(self, role: str) -> bool:
        return self.read_roles is None or role in self.read_roles

    def role_can_write(self, role: str) -> bool:
        if self.write_roles is None:
            return Role.can_write(role)
        return role in self.write_roles


class WorkspaceViewSet(WorkspaceMembershipMixin, viewsets.ModelViewSet):
    """Base of every resource under /api/v1/workspaces/<workspace_slug>/.

    The membership is resolved once per request (404 when the caller is not a member),
    every queryset is restricted to the workspace here, and writes go through services:
    subclasses set `create_service` / `update_service` (staticmethods called with actor,
    the workspace or the instance, and the validated data) and `selector` (a staticmethod
    called with workspace=..., the rows every action reads; without one, the model's rows).
    """

    filter_backends = [
        WorkspaceFilterBackend,
        *[
            backend
            for backend in api_settings.DEFAULT_FILTER_BACKENDS
            if not issubclass(backend, DjangoFilterBackend)
        ],
    ]
    create_service = None
    update_service = None
    delete_service = staticmethod(object_delete)
    selector = None

    def get_workspace_queryset(self):
        if self.selector is not None:
            return self.selector(workspace=self.workspace)
        return self.queryset.model.objects.all()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no workspace
            return self.queryset.model.objects.none()
        return self.get_workspace_queryset().in_workspace(self.workspace)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and "workspace_slug" in self.kwargs:
            context["workspace"] = self.workspace
        return context

    def perform_create(self, serializer):
        serializer.instance = self.create_service(
            actor=self.request.user, workspace=self.workspace, **serializer.validated_data
        )

    def perform_update(self, serializer):
        # Update services name their instance after the model: product_update(product=...).
        instance_kwarg = {serializer.instance._meta.model_name: serializer.instance}
        serializer.instance = self.update_service(
            actor=self.request.user, **instance_kwarg, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        self.delete_service(actor=self.request.user, instance=instance)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self._output(serializer.instance), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self._output(serializer.instance))

    def _output(self, instance):
        # Re-read through the selector so the answer carries the same annotations as a GET.
        return self.get_serializer(self.get_queryset().get(pk=instance.pk)).data


class WorkspaceApiView(WorkspaceMembershipMixin, APIView):
    """Base of the endpoints under a workspace that are not resources (a calendar, the
    dashboard, KPI queries): the viewsets' membership and role rules."""

    detail = False

    def role_can_write(self, role: str) -> bool:
        # A view with no write method answers 405 to every role, not 403 to some.
        if not any(hasattr(self, method) for method in ("post", "put", "patch", "delete")):
            return True
        return super().role_can_write(role)
