from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import status
from rest_framework import viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from alignment import selectors
from alignment import services
from alignment.api.base import WorkspaceViewSet
from alignment.api.serializers import FeatureSerializer
from alignment.api.serializers import InvitationSerializer
from alignment.api.serializers import MemberInvitedSerializer
from alignment.api.serializers import MembershipSerializer
from alignment.api.serializers import ProductSerializer
from alignment.api.serializers import WorkspaceInvitationSerializer
from alignment.api.serializers import WorkspaceOutputSerializer
from alignment.filters import FeatureFilterSet
from alignment.filters import ProductFilterSet
from alignment.models import Feature
from alignment.models import Invitation
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Role
from alignment.models import Workspace


class TokenObtainView(ObtainAuthToken):
    """POST {username, password} -> {token}. Throttled against password guessing."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # DRF's view names its own


class WorkspaceApiViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's workspaces. Creating one makes the caller its admin."""

    serializer_class = WorkspaceOutputSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "workspace_slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Workspace.objects.none()  # for the schema; get_queryset() scopes to the caller
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.workspace_list_for_user(user=self.request.user)

    def perform_create(self, serializer):
        workspace = services.workspace_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=workspace.pk)

    def perform_update(self, serializer):
        workspace = services.workspace_update(
            actor=self.request.user, workspace=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=workspace.pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self.get_serializer(serializer.instance).data, status.HTTP_201_CREATED)


INVITED = "If that user exists, they have been invited."


class MemberViewSet(WorkspaceViewSet):
    """Members of a workspace; only admins invite, change or remove them."""

    queryset = Membership.objects.all()
    serializer_class = MembershipSerializer
    lookup_field = "user__username"
    lookup_url_kwarg = "username"
    lookup_value_regex = r"[\w.@+-]+"
    write_roles = frozenset({Role.ADMIN})
    filterset_fields = ["role"]
    ordering_fields = ["user__username", "role"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    selector = staticmethod(selectors.membership_list)

    @extend_schema(request=MembershipSerializer, responses={202: MemberInvitedSerializer})
    def create(self, request, *args, **kwargs):
        """Invite a user (admins only). They become a member when they accept the invitation
        (/api/v1/invitations/). The answer is the same 202 whether or not the name is an
        account here, or already a member."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {"role": Role.VIEWER, **serializer.validated_data}
        services.invitation_create(actor=request.user, workspace=self.workspace, **data)
        answer = {"detail": INVITED, "username": data["username"], "role": data["role"]}
        return Response(MemberInvitedSerializer(answer).data, status=status.HTTP_202_ACCEPTED)

    def perform_destroy(self, instance):
        services.membership_remove(actor=self.request.user, membership=instance)

    def perform_update(self, serializer):
        serializer.instance = services.membership_set_role(
            actor=self.request.user,
            membership=serializer.instance,
            role=serializer.validated_data.get("role", serializer.instance.role),
        )


class WorkspaceInvitationViewSet(WorkspaceViewSet):
    """Open invitations of a workspace: members see them, admins revoke one (DELETE).
    Invite through members/ (POST)."""

    queryset = Invitation.objects.all()
    serializer_class = WorkspaceInvitationSerializer
    write_roles = frozenset({Role.ADMIN})
    filterset_fields = ["role"]
    ordering_fields = ["created_at", "expires_at", "username"]
    http_method_names = ["get", "delete", "head", "options"]
    selector = staticmethod(selectors.invitation_list)

    def perform_destroy(self, instance):
        services.invitation_revoke(actor=self.request.user, invitation=instance)


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's invitations: the list shows the open ones; accept/ or decline/ answers
    one. Anybody else's invitation answers 404."""

    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()  # for the schema; get_queryset() scopes to the caller
    ordering_fields = ["created_at", "expires_at"]

    def get_queryset(self):
        return selectors.invitation_list_for_invitee(
            user=self.request.user, open_only=self.action == "list"
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """Join the workspace with the invited role."""
        invitation = self.get_object()
        services.invitation_accept(actor=request.user, invitation=invitation)
        return Response(self.get_serializer(self.get_queryset().get(pk=invitation.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        invitation = self.get_object()
        services.invitation_decline(actor=request.user, invitation=invitation)
        return Response(self.get_serializer(self.get_queryset().get(pk=invitation.pk)).data)


class ProductViewSet(WorkspaceViewSet):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    filterset_class = ProductFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "stage", "created_at", "updated_at"]
    create_service = staticmethod(services.product_create)
    update_service = staticmethod(services.product_update)
    selector = staticmethod(selectors.product_list)


class FeatureViewSet(WorkspaceViewSet):
    queryset = Feature.objects.all()
    serializer_class = FeatureSerializer
    filterset_class = FeatureFilterSet
    search_fields = ["name", "description", "product__name"]
    ordering_fields = ["name", "status", "release_date", "created_at", "updated_at"]
    create_service = staticmethod(services.feature_create)
    update_service = staticmethod(services.feature_update)
    selector = staticmethod(selectors.feature_list)
