"""Highlights of one insight: `insights/<insight_pk>/highlights/` (GET, POST) and
`insights/<insight_pk>/highlights/<id>/` (GET, DELETE)."""

from django.http import Http404
from django.utils.functional import cached_property
from rest_framework import serializers

from alignment.api.base import WorkspaceSerializer
from alignment.api.base import WorkspaceViewSet
from research import selectors
from research import services
from research.api.serializers import TagListField
from research.models import Highlight


class HighlightSerializer(WorkspaceSerializer):
    start = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, help_text="Offset of the first character in the body."
    )
    end = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="Offset just after the last character (characters are Unicode code points "
        "of the body's Markdown source).",
    )
    text = serializers.CharField(
        read_only=True, help_text="The passage, cut from the insight's body by the server."
    )
    tags = TagListField(required=False)
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Highlight
        fields = [
            "id", "insight", "start", "end", "text", "tags", "persona", "feature",
            "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["insight", "created_at"]
        extra_kwargs = {"persona": {"required": False}, "feature": {"required": False}}

    def validate(self, attrs):
        # The checks against the body (range, length) are the service's; this one needs no row.
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["End must come after start."]})
        return attrs


class HighlightViewSet(WorkspaceViewSet):
    """Passages of an insight's body saved with tags and an optional persona or feature.
    Their author or an admin deletes them."""

    queryset = Highlight.objects.all()
    serializer_class = HighlightSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]
    pagination_class = None  # at most services.MAX_HIGHLIGHTS_PER_INSIGHT rows
    delete_service = staticmethod(services.highlight_delete)

    @cached_property
    def insight(self):
        insight = (
            selectors.insight_list(workspace=self.workspace)
            .filter(pk=self.kwargs["insight_pk"])
            .first()
        )
        if insight is None:
            raise Http404("No such insight.")
        return insight

    def get_workspace_queryset(self):
        return selectors.highlight_list(insight=self.insight)

    def perform_create(self, serializer):
        serializer.instance = services.highlight_create(
            actor=self.request.user,
            workspace=self.workspace,
            insight=self.insight,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.highlight_delete(actor=self.request.user, highlight=instance)
