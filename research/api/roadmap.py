"""RICE fields of `opportunities/` (research.scoring), its `?ordering=-score`, and the
roadmap: `roadmap/` (GET the columns) and `roadmap/move/` (POST a card somewhere)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from alignment.api.base import WorkspaceApiView
from alignment.api.base import WorkspacePrimaryKeyRelatedField
from research import scoring
from research import selectors
from research import services
from research.models import Horizon
from research.models import Opportunity
from research.services.roadmap import MAX_POSITION

EFFECTIVE = {"reach": "reach_value", "confidence": "confidence_value"}


class ScoredListSerializer(serializers.ListSerializer):
    """Scores a list's opportunities at once (three queries), as a prefetch would: the
    opportunity serializer's Meta.list_serializer_class."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        scoring.attach([item for item in items if not scoring.is_scored(item)])
        return super().to_representation(items)


class OpportunityScoreMixin(serializers.Serializer):
    """RICE on an opportunity: `reach` and `confidence` read as the effective values (the
    override, else the evidence default beside them); writing one overrides it and needs
    its reason; null goes back to the evidence default."""

    reach = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=scoring.MAX_REACH,
        help_text="Effective reach: the override, else reach_default. Writing it overrides "
        "the evidence (reach_reason required); null returns to the default.",
    )
    reach_default = serializers.IntegerField(
        read_only=True,
        help_text="From the evidence: distinct customers for + personas + segments − "
        "customers against, at least 0.",
    )
    reach_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    impact = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        coerce_to_string=False,
        required=False,
        allow_null=True,
        help_text="3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal.",
    )
    confidence = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        coerce_to_string=False,
        required=False,
        allow_null=True,
        help_text="Effective confidence (0–1): the override, else confidence_default. "
        "Writing it needs confidence_reason; null returns to the default.",
    )
    confidence_default = serializers.FloatField(
        read_only=True,
        help_text="From the balance of evidence: (for + 1) / (for + against + 2).",
    )
    confidence_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    effort = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        coerce_to_string=False,
        required=False,
        allow_null=True,
        help_text=f"Person-weeks, more than 0 and at most {scoring.MAX_EFFORT}.",
    )
    score = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="reach × impact × confidence / effort; null until impact and effort are set.",
    )
    horizon = serializers.ChoiceField(
        choices=Horizon.choices,
        required=False,
        allow_null=True,
        help_text="The roadmap column; null: not on the roadmap.",
    )

    def to_representation(self, instance):
        if not scoring.is_scored(instance):
            scoring.attach([instance])
        data = super().to_representation(instance)
        for field, annotation in EFFECTIVE.items():
            if hasattr(instance, annotation):
                data[field] = getattr(instance, annotation)
        if data.get("confidence") is not None:
            data["confidence"] = round(float(data["confidence"]), 2)
        if data.get("score") is not None:
            data["score"] = round(data["score"], 2)
        return data


SCORE_FIELDS = [
    "reach", "reach_default", "reach_reason", "impact", "confidence", "confidence_default",
    "confidence_reason", "effort", "score", "horizon",
]  # fmt: skip


class ScoreOrderingFilter(OrderingFilter):
    """`?ordering=score` / `-score`: the score is computed (research.scoring), so the list
    is ranked in Python (scoring.RankedList, a sequence the paginator slices a page of);
    the ones without a score come last either way. Other orderings stay in SQL."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering and ordering[0].lstrip("-") == "score":
            return scoring.RankedList(queryset, descending=ordering[0].startswith("-"))
        return super().filter_queryset(request, queryset, view)

    def remove_invalid_fields(self, queryset, fields, view, request):
        # "score" is not a column: it is only valid first (it decides the whole order).
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        return [term for i, term in enumerate(valid) if i == 0 or term.lstrip("-") != "score"]


def with_score_ordering(backends) -> list:
    """The viewset's filter backends with ScoreOrderingFilter for DRF's OrderingFilter."""
    return [ScoreOrderingFilter if backend is OrderingFilter else backend for backend in backends]


class RoadmapSerializer(serializers.Serializer):
    """{now, next, later}: each a list of opportunities (fields built when first read, as
    the opportunity serializer imports this module)."""

    def get_fields(self):
        from research.api.serializers import OpportunitySerializer

        return {
            horizon: OpportunitySerializer(many=True, read_only=True) for horizon in Horizon.values
        }


class RoadmapMoveSerializer(serializers.Serializer):
    opportunity = WorkspacePrimaryKeyRelatedField(queryset=Opportunity.objects.all())
    horizon = serializers.ChoiceField(
        choices=Horizon.choices, allow_null=True, help_text="null takes it off the roadmap."
    )
    position = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_POSITION,
        help_text="0 is the top of the column; omitted or past the end: the end.",
    )


def _roadmap(view) -> dict:
    columns = selectors.roadmap_columns(workspace=view.workspace)
    context = {"request": view.request, "workspace": view.workspace}
    return RoadmapSerializer(columns, context=context).data


class RoadmapView(WorkspaceApiView):
    """{now: [opportunity], next: [...], later: [...]}: each column by its order on the
    board, then score (at most 200 cards a column)."""

    @extend_schema(responses=RoadmapSerializer)
    def get(self, request, *args, **kwargs):
        return Response(_roadmap(self))


class RoadmapMoveView(WorkspaceApiView):
    """POST {opportunity, horizon (now, next, later or null), position}: moves the card and
    renumbers the columns; answers the roadmap."""

    @extend_schema(request=RoadmapMoveSerializer, responses=RoadmapSerializer)
    def post(self, request, *args, **kwargs):
        serializer = RoadmapMoveSerializer(
            data=request.data, context={"request": request, "workspace": self.workspace}
        )
        serializer.is_valid(raise_exception=True)
        services.roadmap_move(actor=request.user, **serializer.validated_data)
        return Response(_roadmap(self))
