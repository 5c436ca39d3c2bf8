"""Outbound webhook subscriptions and the inbound hooks' secret (workspace admins), and
the endpoint GitHub, Jira and Linear post to (signed; no session or token)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework import serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from alignment.api.base import WorkspaceApiView
from alignment.api.base import WorkspaceSerializer
from alignment.api.base import WorkspaceViewSet
from alignment.api.throttling import AnonRateThrottle
from alignment.collaboration import selectors
from alignment.collaboration.kinds import SUBSCRIBABLE
from alignment.collaboration.models import InboundDelivery
from alignment.collaboration.models import InboundHook
from alignment.collaboration.models import WebhookDelivery
from alignment.collaboration.models import WebhookSubscription
from alignment.collaboration.services import inbound_hook_get
from alignment.collaboration.services import inbound_hook_receive
from alignment.collaboration.services import inbound_hook_rotate
from alignment.collaboration.services import inbound_hook_set_linear_secret
from alignment.collaboration.services import webhook_create
from alignment.collaboration.services import webhook_send_test
from alignment.collaboration.services import webhook_update
from alignment.collaboration.services.inbound import MAX_BODY
from alignment.collaboration.services.inbound import SOURCES
from alignment.collaboration.services.inbound import InboundRejected
from alignment.collaboration.services.inbound import inbound_hook_urls
from alignment.collaboration.services.webhooks import webhook_delete
from alignment.models import Role
from alignment.models import Workspace

ADMINS = frozenset({Role.ADMIN})


class WebhookSerializer(WorkspaceSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=[(kind.value, kind.label) for kind in SUBSCRIBABLE]),
        allow_empty=False,
        max_length=len(SUBSCRIBABLE),
        help_text="Event kinds to send (each once).",
    )

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "format", "active", "created_at"]
        read_only_fields = ["id", "created_at"]


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="Signs every delivery (X-Tandem-Signature). Shown in this answer only.",
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="delivery_id", read_only=True)
    event = serializers.CharField(source="event.kind", read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "status",
            "status_code",
            "attempts",
            "error",
            "created_at",
            "delivered_at",
            "next_attempt_at",
        ]
        read_only_fields = fields


class WebhookViewSet(WorkspaceViewSet):
    """Where the workspace's events are POSTed (admins only). The secret is made by the
    server and shown once, in the answer to the POST that creates the subscription."""

    queryset = WebhookSubscription.objects.all()
    serializer_class = WebhookSerializer
    read_roles = ADMINS
    write_roles = ADMINS
    search_fields = ["url"]
    ordering_fields = ["created_at", "url"]
    create_service = staticmethod(webhook_create)
    selector = staticmethod(selectors.webhook_list)

    @extend_schema(responses={201: WebhookCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        created = self.get_queryset().get(pk=serializer.instance.pk)
        return Response(
            WebhookCreatedSerializer(created, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_update(self, serializer):
        serializer.instance = webhook_update(
            actor=self.request.user, webhook=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        webhook_delete(actor=self.request.user, webhook=instance)

    @extend_schema(responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, *args, **kwargs):
        """The subscription's delivery log, newest first."""
        deliveries = selectors.webhook_delivery_list(webhook=self.get_object())
        page = self.paginate_queryset(deliveries)
        if page is not None:
            return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
        return Response(WebhookDeliverySerializer(deliveries, many=True).data)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request, *args, **kwargs):
        """Send a `ping` event to this subscription (whatever kinds it lists)."""
        delivery = webhook_send_test(actor=request.user, webhook=self.get_object())
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


# --- Inbound ----------------------------------------------------------------------------


class InboundHookSerializer(serializers.Serializer):
    secret = serializers.CharField(
        help_text="GitHub and Jira sign their posts with it (and Linear's are checked with it "
        "while no Linear signing secret is set)."
    )
    github = serializers.URLField(help_text="Payload URL of a GitHub webhook (release events).")
    jira = serializers.URLField(help_text="URL of a Jira Cloud webhook (issue updated).")
    linear = serializers.URLField(help_text="URL of a Linear webhook (issues).")
    linear_secret_set = serializers.BooleanField(
        help_text="Whether the signing secret Linear made for its webhook is stored (its value "
        "is never shown)."
    )


class InboundLinearSecretSerializer(serializers.Serializer):
    linear_secret = serializers.CharField(
        required=False,  # PATCH: absent leaves it as it is
        allow_blank=True,
        max_length=InboundHook._meta.get_field("linear_secret").max_length,
        help_text="The signing secret Linear shows on its webhook's page; empty clears it "
        "(Linear posts are then checked with the inbound secret).",
    )


def _inbound_answer(workspace, hook) -> dict:
    return {
        "secret": hook.secret,
        **inbound_hook_urls(workspace=workspace),
        "linear_secret_set": bool(hook.linear_secret),
    }


class InboundHookView(WorkspaceApiView):
    """The workspace's inbound secret and the URL each source posts to (admins only); PATCH
    stores the signing secret Linear made for its webhook."""

    read_roles = ADMINS
    write_roles = ADMINS

    @extend_schema(responses=InboundHookSerializer)
    def get(self, request, *args, **kwargs):
        hook = inbound_hook_get(workspace=self.workspace)
        return Response(_inbound_answer(self.workspace, hook))

    @extend_schema(request=InboundLinearSecretSerializer, responses=InboundHookSerializer)
    def patch(self, request, *args, **kwargs):
        serializer = InboundLinearSecretSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if "linear_secret" in serializer.validated_data:
            hook = inbound_hook_set_linear_secret(
                actor=request.user,
                workspace=self.workspace,
                secret=serializer.validated_data["linear_secret"],
            )
        else:
            hook = inbound_hook_get(workspace=self.workspace)
        return Response(_inbound_answer(self.workspace, hook))


class InboundHookRotateView(WorkspaceApiView):
    """A new inbound secret: posts signed with the old one answer 401 from now on."""

    read_roles = ADMINS
    write_roles = ADMINS

    @extend_schema(request=None, responses=InboundHookSerializer)
    def post(self, request, *args, **kwargs):
        hook = inbound_hook_rotate(actor=request.user, workspace=self.workspace)
        return Response(_inbound_answer(self.workspace, hook))


class InboundResultSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=InboundDelivery.Outcome.choices)
    references = serializers.ListField(child=serializers.CharField())
    released = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the features it released."
    )


class InboundErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class InboundReceiveView(APIView):
    """A signed post from GitHub (`release`), Jira (`jira:issue_updated`) or Linear
    (`Issue`), verified with the workspace's inbound secret (Linear's with the signing secret
    pasted from Linear, when set): 202 when accepted (also when it names no feature: logged,
    nothing changes), 401 for a bad signature."""

    authentication_classes = []  # no session (so no CSRF) and no token: the signature
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        operation_id="inbound_hook_receive",
        parameters=[
            OpenApiParameter("source", str, OpenApiParameter.PATH, enum=SOURCES),
            OpenApiParameter("workspace_slug", str, OpenApiParameter.PATH),
        ],
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            202: InboundResultSerializer,
            400: OpenApiResponse(InboundErrorSerializer, description="Too large or not JSON."),
            401: OpenApiResponse(InboundErrorSerializer, description="Bad signature."),
            404: OpenApiResponse(
                InboundErrorSerializer, description="Unknown workspace or source."
            ),
        },
        auth=[],
    )
    def post(self, request, workspace_slug: str, source: str):
        workspace = Workspace.objects.filter(slug=workspace_slug).first()
        if workspace is None or source not in SOURCES:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:  # refused before the body is read
            return Response(
                {"detail": f"The body is larger than {MAX_BODY // 1000} kB."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            delivery = inbound_hook_receive(
                workspace=workspace, source=source, headers=request.headers, body=request.body
            )
        except InboundRejected as rejected:
            return Response({"detail": str(rejected)}, status=rejected.status)
        return Response(
            {
                "outcome": delivery.outcome,
                "references": delivery.references,
                "released": delivery.released_feature_ids,
            },
            status=status.HTTP_202_ACCEPTED,
        )
