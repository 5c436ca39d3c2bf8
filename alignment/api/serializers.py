from rest_framework import serializers

from alignment.api.base import WorkspaceSerializer
from alignment.models import Feature, Membership, Product, Role, Workspace


class WorkspaceOutputSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)

    class Meta:
        model = Workspace
        fields = ["slug", "name", "role"]


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


class ProductSerializer(WorkspaceSerializer):
    feature_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Product
        fields = ["id", "name", "stage", "description", "feature_count", "created_at", "updated_at"]


class FeatureSerializer(WorkspaceSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    media_links = serializers.ListField(child=serializers.URLField(), required=False)

    class Meta:
        model = Feature
        fields = [
            "id",
            "product",
            "product_name",
            "name",
            "status",
            "release_date",
            "description",
            "anticipated_value",
            "media_links",
            "created_at",
            "updated_at",
        ]
