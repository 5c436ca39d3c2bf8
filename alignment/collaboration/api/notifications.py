"""The caller's notifications in a workspace, marking them read, and email preferences."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import serializers
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.metadata import SimpleMetadata
from rest_framework.response import Response

from alignment.api.base import WorkspaceMembershipMixin
from alignment.api.base import WorkspaceViewSet
from alignment.collaboration import selectors
from alignment.collaboration import services
from alignment.collaboration.kinds import SUBSCRIBABLE
from alignment.collaboration.kinds import Delivery
from alignment.collaboration.models import Notification
from alignment.collaboration.services.notifications import MARK_MAX

BIGINT_MAX = 2**63 - 1


class NotificationSerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event.kind", read_only=True)
    actor = serializers.SerializerMethodField()
    subject_type = serializers.CharField(source="event.subject_type", read_only=True)
    subject_id = serializers.IntegerField(
        source="event.subject_id", read_only=True, allow_null=True
    )
    message = serializers.CharField(source="event.message", read_only=True)
    url = serializers.CharField(
        source="event.url", read_only=True, help_text="The path of the subject's page."
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "event",
            "actor",
            "subject_type",
            "subject_id",
            "message",
            "url",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_actor(self, notification) -> str | None:
        actor = notification.event.actor
        return actor.get_username() if actor is not None else None


class NotificationReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        max_length=MARK_MAX,
        required=False,
        help_text=f"Notifications to mark read (at most {MARK_MAX}); others' ids are ignored.",
    )
    all = serializers.BooleanField(required=False, default=False, help_text="Mark every one.")

    def validate(self, data):
        if not data.get("all") and "ids" not in data:
            raise serializers.ValidationError({"ids": ["Give the ids to mark read, or all: true."]})
        return data


class NotificationReadResultSerializer(serializers.Serializer):
    updated = serializers.IntegerField()


class _KindField(serializers.ChoiceField):
    """A preference, keyed by its event kind: the dots of "claim.submitted" are part of the
    key, not a path to follow."""

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.source_attrs = [field_name]


class NotificationPreferencesSerializer(serializers.Serializer):
    # {kind: immediately | digest | off} for every kind; a PUT may name only some.

    def get_fields(self):
        return {
            kind.value: _KindField(choices=Delivery.choices, required=False, help_text=kind.label)
            for kind in SUBSCRIBABLE
        }

    def validate(self, data):
        unknown = {
            key: ["Unknown event kind."]
            for key in (self.initial_data or {})
            if key not in self.fields
        }
        if unknown:
            raise serializers.ValidationError(unknown)
        return data


class _PreferencesMetadata(SimpleMetadata):
    # OPTIONS of preferences/: DRF's metadata would look up an object for PUT; there is none.
    def determine_actions(self, request, view):
        return {"PUT": self.get_serializer_info(NotificationPreferencesSerializer())}


class NotificationViewSet(
    WorkspaceMembershipMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own notifications in the workspace, newest first (`?unread=true` for the
    unread ones). Anybody else's answers 404. Every member, viewers too, marks their own
    read and chooses how they are mailed: that is their state, not the workspace's."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filter_backends = WorkspaceViewSet.filter_backends
    filterset_class = selectors.NotificationFilterSet
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no workspace
            return Notification.objects.none()
        return selectors.notification_list(user=self.request.user, workspace=self.workspace)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["workspace"] = self.workspace
        return context

    def role_can_write(self, role: str) -> bool:
        return True  # every write here is to the caller's own notifications or preferences

    @extend_schema(request=NotificationReadSerializer, responses=NotificationReadResultSerializer)
    @action(detail=False, methods=["post"])
    def read(self, request, *args, **kwargs):
        """Mark read the given `ids`, or `all: true` every unread one; returns how many."""
        serializer = NotificationReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        updated = services.notifications_mark_read(
            actor=request.user,
            workspace=self.workspace,
            ids=data.get("ids"),
            all=data["all"],
        )
        return Response({"updated": updated})

    @extend_schema(methods=["GET"], request=None, responses=NotificationPreferencesSerializer)
    @extend_schema(
        methods=["PUT"],
        request=NotificationPreferencesSerializer,
        responses=NotificationPreferencesSerializer,
    )
    @action(
        detail=False,
        methods=["get", "put"],
        pagination_class=None,
        filterset_class=None,
        metadata_class=_PreferencesMetadata,
    )
    def preferences(self, request, *args, **kwargs):
        """How each kind of notification is mailed to the caller: immediately, in the daily
        digest or off (the same in every workspace). PUT the kinds to change."""
        if request.method == "PUT":
            serializer = NotificationPreferencesSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            chosen = services.notification_preferences_update(
                user=request.user, choices=dict(serializer.validated_data)
            )
        else:
            chosen = services.notification_preferences(user=request.user)
        return Response(NotificationPreferencesSerializer(chosen).data)
