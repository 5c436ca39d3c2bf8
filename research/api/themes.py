"""Themes in the API: `themes/` (read; PATCH {label, pinned}), `themes/recompute/`, and the
edits that survive recomputes: `themes/<id>/merge/`, `split/` and `move/`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from alignment.api.base import WorkspacePrimaryKeyRelatedField
from alignment.api.base import WorkspaceSerializer
from alignment.api.base import WorkspaceViewSet
from research import selectors
from research import services
from research.models import Insight
from research.models import Theme


class ThemeWeekSerializer(serializers.Serializer):
    week = serializers.CharField(help_text="ISO week, e.g. 2026-W07.")
    count = serializers.IntegerField()


class ThemeSerializer(WorkspaceSerializer):
    insight_count = serializers.IntegerField(read_only=True)
    insights = serializers.SerializerMethodField()
    terms = serializers.ListField(child=serializers.CharField(), read_only=True)
    personas = serializers.SerializerMethodField()
    features = serializers.SerializerMethodField()
    trend = serializers.SerializerMethodField()
    label = serializers.CharField(max_length=Theme._meta.get_field("label").max_length)

    class Meta:
        model = Theme
        fields = [
            "id", "label", "label_locked", "insight_count", "insights", "terms", "personas",
            "features", "trend", "pinned", "computed_at",
        ]  # fmt: skip
        read_only_fields = ["label_locked", "computed_at"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_insights(self, theme) -> list[int]:
        return selectors.theme_insight_ids(theme)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_personas(self, theme) -> list[int]:
        return selectors.theme_top_related(theme, "personas")

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_features(self, theme) -> list[int]:
        return selectors.theme_top_related(theme, "features")

    @extend_schema_field(ThemeWeekSerializer(many=True))
    def get_trend(self, theme) -> list[dict]:
        return selectors.theme_trend(theme)


class ThemeMergeSerializer(serializers.Serializer):
    into = WorkspacePrimaryKeyRelatedField(
        queryset=Theme.objects.all(), help_text="The theme that takes the insights."
    )


class ThemeInsightsSerializer(serializers.Serializer):
    insights = serializers.ListField(
        child=WorkspacePrimaryKeyRelatedField(queryset=Insight.objects.all()),
        min_length=1,
        max_length=1000,
    )


class ThemeRecomputeSerializer(serializers.Serializer):
    queued = serializers.BooleanField()


class ThemeViewSet(WorkspaceViewSet):
    """Groups of insights about one thing, recomputed after insight changes. A PM renames
    (PATCH label: kept by later recomputes), pins (PATCH pinned: kept even when no group
    matches), merges, splits or moves insights; those survive recomputes."""

    queryset = Theme.objects.all()
    serializer_class = ThemeSerializer
    http_method_names = ["get", "patch", "post", "head", "options"]
    update_service = staticmethod(services.theme_update)
    selector = staticmethod(selectors.theme_list)

    @extend_schema(exclude=True)
    def create(self, request, *args, **kwargs):
        # Themes come from the clustering (or a split), never from a client.
        return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)

    def _answer(self, theme, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=theme.pk)).data, code)

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(request=None, responses={202: ThemeRecomputeSerializer})
    @action(detail=False, methods=["post"])
    def recompute(self, request, *args, **kwargs):
        """Recompute the workspace's themes now (queued; in-process mode runs it at once)."""
        queued = services.themes_recompute_request(actor=request.user, workspace=self.workspace)
        return Response({"queued": queued}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=ThemeMergeSerializer, responses={200: ThemeSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs):
        """Move this theme's insights into `into` (placed by hand) and delete this theme."""
        theme = self.get_object()
        into = self._input(ThemeMergeSerializer)["into"]
        return self._answer(services.theme_merge(actor=request.user, theme=theme, into=into))

    @extend_schema(request=ThemeInsightsSerializer, responses={201: ThemeSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request, *args, **kwargs):
        """A new theme with these insights of this one (placed by hand)."""
        theme = self.get_object()
        insights = self._input(ThemeInsightsSerializer)["insights"]
        new = services.theme_split(actor=request.user, theme=theme, insights=insights)
        return self._answer(new, status.HTTP_201_CREATED)

    @extend_schema(request=ThemeInsightsSerializer, responses={200: ThemeSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        """Place these insights in this theme by hand, out of the themes that held them."""
        theme = self.get_object()
        insights = self._input(ThemeInsightsSerializer)["insights"]
        return self._answer(
            services.theme_move_insights(actor=request.user, theme=theme, insights=insights)
        )
