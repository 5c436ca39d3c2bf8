from rest_framework import serializers

from alignment.api.base import WorkspaceSerializer
from alignment.models import Feature
from alignment.models import Invitation
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Role
from alignment.models import Workspace
from alignment.services import FEATURE_FIELDS
from alignment.services import PRODUCT_FIELDS


class WorkspaceOutputSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)

    class Meta:
        model = Workspace
        fields = ["slug", "name", "role", "currency"]
        extra_kwargs = {
            "currency": {
                "required": False,
                "help_text": "ISO 4217 code (default USD). Money in the API (spend, revenue, "
                "CPA: decimal strings with two places) is in this currency; pages show it "
                "with its symbol.",
            }
        }


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", max_length=150)

    class Meta:
        model = Membership
        fields = ["username", "role"]

    def validate(self, attrs):
        # Flatten {"user": {"username": ...}} into the service's `username` argument.
        user = attrs.pop("user", None)
        if user is not None:
            if self.instance is not None and user["username"] != self.instance.user.username:
                raise serializers.ValidationError({"username": ["A member's user cannot change."]})
            if self.instance is None:
                attrs["username"] = user["username"]
        return attrs


class MemberInvitedSerializer(serializers.Serializer):
    # The answer to members/ POST: the same for every name, so it tells nobody which names
    # are accounts here.
    detail = serializers.CharField()
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)


def _username_of(source: str):
    """A user's username, read only; null once that user is gone."""
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


class InvitationSerializer(serializers.ModelSerializer):
    # An invitation as its invitee sees it (/api/v1/invitations/).
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    workspace_name = serializers.CharField(source="workspace.name", read_only=True)
    invited_by = _username_of("invited_by.username")

    class Meta:
        model = Invitation
        fields = [
            "id",
            "workspace",
            "workspace_name",
            "role",
            "invited_by",
            "status",
            "created_at",
            "expires_at",
            "responded_at",
        ]
        read_only_fields = fields


class WorkspaceInvitationSerializer(serializers.ModelSerializer):
    # An open invitation as the workspace's members see it: the name the admin typed,
    # never whether it is an account.
    invited_by = _username_of("invited_by.username")

    class Meta:
        model = Invitation
        fields = ["id", "username", "role", "invited_by", "status", "created_at", "expires_at"]
        read_only_fields = fields


class ProductSerializer(WorkspaceSerializer):
    feature_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Product
        fields = ["id", *PRODUCT_FIELDS, "feature_count", "created_at", "updated_at"]


class FeatureSerializer(WorkspaceSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    media_links = serializers.ListField(child=serializers.URLField(), required=False)
    external_refs = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text="Jira or Linear keys (PAY-123) or github:owner/repo (optionally #label or "
        "@tag): an inbound release of one releases the feature.",
    )

    class Meta:
        model = Feature
        fields = ["id", *FEATURE_FIELDS, "product_name", "created_at", "updated_at"]
