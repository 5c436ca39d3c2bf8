from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from alignment.api.base import WorkspaceViewSet
from alignment.exports import NO_REJECTED_ROWS
from alignment.exports import csv_response
from research import filters
from research import selectors
from research import services
from research.api import roadmap
from research.api import serializers
from research.api.similar import InsightSimilarActions
from research.models import Competitor
from research.models import Insight
from research.models import InsightImport
from research.models import JourneyMap
from research.models import Opportunity
from research.models import Persona
from research.models import Segment
from research.models import Study
from research.models import Tag


class PersonaViewSet(WorkspaceViewSet):
    queryset = Persona.objects.all()
    serializer_class = serializers.PersonaSerializer
    filterset_class = filters.PersonaFilterSet
    ordering_fields = ["name", "created_at", "updated_at"]
    create_service = staticmethod(services.persona_create)
    update_service = staticmethod(services.persona_update)
    selector = staticmethod(selectors.persona_list)


class SegmentViewSet(WorkspaceViewSet):
    queryset = Segment.objects.all()
    serializer_class = serializers.SegmentSerializer
    filterset_class = filters.SegmentFilterSet
    ordering_fields = ["name", "created_at", "updated_at"]
    create_service = staticmethod(services.segment_create)
    update_service = staticmethod(services.segment_update)
    selector = staticmethod(selectors.segment_list)


class StudyViewSet(WorkspaceViewSet):
    queryset = Study.objects.all()
    serializer_class = serializers.StudySerializer
    filterset_class = filters.StudyFilterSet
    ordering_fields = ["title", "kind", "started_on", "ended_on", "created_at"]
    create_service = staticmethod(services.study_create)
    update_service = staticmethod(services.study_update)
    selector = staticmethod(selectors.study_list)

    @extend_schema(responses=serializers.StudyResponsePageSerializer)
    @action(detail=True, methods=["get"], url_path="responses")
    def responses(self, request, *args, **kwargs):
        """The study's survey responses (imported in metrics under its survey name), NPS, CSAT."""
        study = self.get_object()
        page = self.paginate_queryset(selectors.study_survey_responses(study=study))
        response = self.get_paginated_response(
            serializers.StudySurveyAnswerSerializer(page, many=True).data
        )
        scores = selectors.study_survey_scores(study=study)
        response.data["nps"] = scores.nps
        response.data["csat"] = scores.csat
        return response


class InsightViewSet(InsightSimilarActions, WorkspaceViewSet):
    queryset = Insight.objects.all()
    serializer_class = serializers.InsightSerializer
    filterset_class = filters.InsightFilterSet
    ordering_fields = ["title", "sentiment", "created_at", "updated_at"]
    create_service = staticmethod(services.insight_create)
    update_service = staticmethod(services.insight_update)
    delete_service = staticmethod(services.insight_delete)
    selector = staticmethod(selectors.insight_list)

    @extend_schema(
        request={"multipart/form-data": serializers.InsightImportSerializer},
        responses={
            200: serializers.InsightImportResultSerializer,
            201: serializers.InsightImportResultSerializer,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_csv(self, request, *args, **kwargs):
        """POST multipart {file}: CSV with title, body, source, tags, persona, feature.

        Good rows land; bad ones come back as errors [{line, column, reason}].
        """
        serializer = serializers.InsightImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.insight_import_csv(
            actor=request.user, workspace=self.workspace, file=serializer.validated_data["file"]
        )
        return Response(
            {
                "id": result.record.pk,
                "rows_read": result.rows_read,
                "rows_imported": result.rows_imported,
                "rows_rejected": result.rows_rejected,
                "created": [insight.pk for insight in result.created],
                "errors": result.errors,
                "errors_url": serializers.errors_url(result.record, request=request),
                "message": result.message,
            },
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class InsightImportViewSet(WorkspaceViewSet):
    """CSV imports of insights (made by POST insights/import/), newest first; read-only."""

    queryset = InsightImport.objects.all()
    serializer_class = serializers.InsightImportRecordSerializer
    ordering_fields = ["created_at"]
    http_method_names = ["get", "head", "options"]

    def get_workspace_queryset(self):
        queryset = selectors.insight_import_list(workspace=self.workspace)
        if self.action == "errors_csv":
            queryset = queryset.defer(None)  # the rejected rows are what is asked for
        return queryset

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def errors_csv(self, request, *args, **kwargs):
        """The rejected rows with line, column and reason, then the row's cells as written
        (routed in urls.py as `insight-imports/<id>/errors.csv`, like metrics' imports)."""
        record = self.get_object()
        if not record.rows_rejected:
            raise Http404(NO_REJECTED_ROWS)
        header, rows = selectors.insight_import_rejected_table(record=record)
        return csv_response(f"insight-import-{record.pk}-errors", header, rows)


class OpportunityViewSet(WorkspaceViewSet):
    queryset = Opportunity.objects.all()
    serializer_class = serializers.OpportunitySerializer
    filterset_class = filters.OpportunityFilterSet
    ordering_fields = ["title", "status", "created_at", "updated_at", "score"]
    filter_backends = roadmap.with_score_ordering(WorkspaceViewSet.filter_backends)
    create_service = staticmethod(services.opportunity_create)
    update_service = staticmethod(services.opportunity_update)
    selector = staticmethod(selectors.opportunity_list)

    def _fresh(self, opportunity):
        return self.get_queryset().get(pk=opportunity.pk)  # with its evidence counts

    @extend_schema(
        request=serializers.OpportunityStatusSerializer, responses=serializers.OpportunitySerializer
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, *args, **kwargs):
        """POST {status, reason}: moves the opportunity and records who and why."""
        opportunity = self.get_object()
        serializer = serializers.OpportunityStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.opportunity_set_status(
            actor=request.user, opportunity=opportunity, **serializer.validated_data
        )
        return Response(self.get_serializer(self._fresh(opportunity)).data)

    @extend_schema(
        methods=["GET"], request=None, responses=serializers.EvidenceSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        request=serializers.EvidenceSerializer,
        responses={201: serializers.EvidenceSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="evidence", pagination_class=None)
    def evidence(self, request, *args, **kwargs):
        """GET [{id, insight, stance}]; POST {insight, stance: supporting or contradicting}."""
        opportunity = self.get_object()
        if request.method == "POST":
            serializer = serializers.EvidenceSerializer(
                data=request.data, context=self.get_serializer_context()
            )
            serializer.is_valid(raise_exception=True)
            evidence = services.evidence_add(
                actor=request.user, opportunity=opportunity, **serializer.validated_data
            )
            return Response(
                serializers.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED
            )
        rows = selectors.evidence_list(opportunity=opportunity)
        return Response(serializers.EvidenceSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Unlinked.")})
    @action(detail=True, methods=["delete"], url_path=r"evidence/(?P<evidence_pk>[0-9]+)")
    def evidence_remove(self, request, *args, evidence_pk=None, **kwargs):
        opportunity = self.get_object()
        evidence = get_object_or_404(
            selectors.evidence_list(opportunity=opportunity), pk=evidence_pk
        )
        services.evidence_remove(actor=request.user, evidence=evidence)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=serializers.StatusChangeSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="history", pagination_class=None)
    def history(self, request, *args, **kwargs):
        """Every status change: from, to, reason, who and when."""
        rows = selectors.status_change_list(opportunity=self.get_object())
        return Response(serializers.StatusChangeSerializer(rows, many=True).data)


class CompetitorViewSet(WorkspaceViewSet):
    queryset = Competitor.objects.all()
    serializer_class = serializers.CompetitorSerializer
    filterset_class = filters.CompetitorFilterSet
    ordering_fields = ["name", "created_at", "updated_at"]
    create_service = staticmethod(services.competitor_create)
    update_service = staticmethod(services.competitor_update)
    selector = staticmethod(selectors.competitor_list)


class JourneyMapViewSet(WorkspaceViewSet):
    queryset = JourneyMap.objects.all()
    serializer_class = serializers.JourneyMapSerializer
    filterset_class = filters.JourneyMapFilterSet
    ordering_fields = ["name", "created_at", "updated_at"]
    create_service = staticmethod(services.journey_map_create)
    update_service = staticmethod(services.journey_map_update)
    selector = staticmethod(selectors.journey_map_list)


class TagViewSet(WorkspaceViewSet):
    """The workspace's tags, for autocompletion: read-only, created by tagging insights."""

    queryset = Tag.objects.all()
    serializer_class = serializers.TagSerializer
    filterset_class = filters.TagFilterSet
    ordering_fields = ["name"]
    http_method_names = ["get", "head", "options"]
    selector = staticmethod(selectors.tag_list)
