"""Similar insights and duplicates, as actions of the insights resource:

- `insights/<id>/similar/` GET: [{id, title, score, duplicate}] best first;
- `insights/similar/` POST {title, body}: the same for a text being typed (the form);
- `insights/<id>/duplicate/` POST {duplicate_of} links the insight to the one it repeats
  (the same evidence, counted once); DELETE unlinks it.

Mixed into InsightViewSet (research/api/viewsets.py), so tenancy and roles are the
viewset's: another workspace's insight is a 404, a viewer's link or unlink a 403.
"""

from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from alignment.api.base import WorkspacePrimaryKeyRelatedField
from research.models import Insight
from research.semantic import similarity
from research.semantic.embeddings import MAX_QUERY_CHARS
from research.semantic.embeddings import compose_text
from research.services import similarity as services


class SimilarInsightSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    score = serializers.FloatField(help_text="Cosine similarity, 0 to 1.")
    duplicate = serializers.BooleanField(help_text="Likely the same insight (a duplicate).")

    @staticmethod
    def rows(found) -> list[dict]:
        return [
            {
                "id": insight.pk,
                "title": insight.title,
                "score": score,
                "duplicate": similarity.is_duplicate(score),
            }
            for insight, score in found
        ]


class SimilarQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=similarity.MAX_LIMIT,
        default=similarity.DEFAULT_LIMIT,
    )


class SimilarTextSerializer(SimilarQuerySerializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_CHARS,
        default="",
        help_text=f"At most {MAX_QUERY_CHARS} characters.",
    )


class DuplicateSerializer(serializers.Serializer):
    duplicate_of = WorkspacePrimaryKeyRelatedField(
        queryset=Insight.objects.all(), help_text="The insight this one repeats."
    )


class DuplicateResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    duplicate_of = serializers.IntegerField(
        allow_null=True, help_text="The original (never itself a duplicate)."
    )


class InsightSimilarActions:
    """The similar and duplicate actions of InsightViewSet."""

    def role_can_write(self, role: str) -> bool:
        # Comparing a typed text is a read: every member may (the form is a writer's page).
        if getattr(self, "action", None) == "similar_text":
            return True
        return super().role_can_write(role)

    @extend_schema(
        parameters=[SimilarQuerySerializer],
        responses=SimilarInsightSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="similar", pagination_class=None)
    def similar(self, request, *args, **kwargs):
        """The insights most similar to this one (itself left out), best first; `duplicate`
        marks a likely duplicate."""
        insight = self.get_object()
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = similarity.similar_insights(
            workspace=self.workspace, insight=insight, limit=query.validated_data["limit"]
        )
        return Response(SimilarInsightSerializer.rows(found))

    @extend_schema(
        request=SimilarTextSerializer,
        responses=SimilarInsightSerializer(many=True),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="similar",
        url_name="similar-text",
        pagination_class=None,
        filter_backends=[],  # a text is compared, not a list filtered
    )
    def similar_text(self, request, *args, **kwargs):
        """POST {title, body}: the insights most similar to a text being typed, best first."""
        serializer = SimilarTextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        found = similarity.similar_insights(
            workspace=self.workspace,
            text=compose_text(data["title"], data["body"]),
            limit=data["limit"],
        )
        return Response(SimilarInsightSerializer.rows(found))

    @extend_schema(
        methods=["POST"], request=DuplicateSerializer, responses=DuplicateResultSerializer
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={204: OpenApiResponse(description="No longer a duplicate.")},
    )
    @action(detail=True, methods=["post", "delete"], url_path="duplicate")
    def duplicate(self, request, *args, **kwargs):
        """POST {duplicate_of}: this insight repeats that one (linked to its original, so
        the evidence counts once). DELETE: it stands on its own again."""
        insight = self.get_object()
        if request.method == "DELETE":
            services.insight_unmark_duplicate(actor=request.user, insight=insight)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = DuplicateSerializer(data=request.data, context={"workspace": self.workspace})
        serializer.is_valid(raise_exception=True)
        insight = services.insight_mark_duplicate(
            actor=request.user,
            insight=insight,
            duplicate_of=serializer.validated_data["duplicate_of"],
        )
        return Response({"id": insight.pk, "duplicate_of": insight.duplicate_of_id})
