"""The metrics API: imports (202 then poll), saved column mappings, JSON rows, KPIs and
the dashboard snapshot. Every view resolves the caller's membership first (404 for
non-members) and reads and writes through selectors and services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from alignment.api.base import WorkspaceApiView
from alignment.api.base import WorkspaceViewSet
from alignment.api.parsers import JSONParser
from alignment.exports import NO_REJECTED_ROWS
from alignment.exports import stored_csv_response
from metrics import kpis
from metrics import selectors
from metrics import services
from metrics.api.serializers import ColumnMappingSerializer
from metrics.api.serializers import DiagnosisSerializer
from metrics.api.serializers import DiagnosisStateSerializer
from metrics.api.serializers import FeedbackCreatedSerializer
from metrics.api.serializers import ImportAcceptedSerializer
from metrics.api.serializers import ImportCreateSerializer
from metrics.api.serializers import ImportJobSerializer
from metrics.api.serializers import KpiQuerySerializer
from metrics.api.serializers import KpiResultSerializer
from metrics.filters import DiagnosisFilterSet
from metrics.filters import ImportJobFilterSet
from metrics.models import ColumnMapping
from metrics.models import Diagnosis
from metrics.models import ImportJob
from metrics.models import ImportKind


class ImportJobViewSet(WorkspaceViewSet):
    """POST a file (multipart: kind, file, optional mapping or preset) -> 202 {id, status};
    then GET the job until its status is final."""

    queryset = ImportJob.objects.all()
    serializer_class = ImportJobSerializer
    filterset_class = ImportJobFilterSet
    ordering_fields = ["created_at", "finished_at"]
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    upload_max_size = staticmethod(services.max_import_size)  # alignment.uploads
    selector = staticmethod(selectors.import_job_list)

    def get_serializer_class(self):
        if self.action == "create":
            return ImportCreateSerializer
        return ImportJobSerializer

    @extend_schema(request=ImportCreateSerializer, responses={202: ImportAcceptedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.import_job_create(
            actor=request.user, workspace=self.workspace, **serializer.validated_data
        )
        return Response({"id": job.pk, "status": job.status}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def errors_csv(self, request, *args, **kwargs):
        """The rejected rows with line, column and reason (routed in urls.py: API.md spells
        it `imports/<id>/errors.csv`, without the router's trailing slash)."""
        job = self.get_object()
        return stored_csv_response(
            job.errors_file, f"import-{job.pk}-errors", missing=NO_REJECTED_ROWS
        )

    @extend_schema(request=None, responses={202: ImportAcceptedSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, *args, **kwargs):
        """Queue a failed import again, from its stored file (400 unless it failed)."""
        job = services.import_job_retry(actor=request.user, job=self.get_object())
        return Response({"id": job.pk, "status": job.status}, status=status.HTTP_202_ACCEPTED)


class ColumnMappingViewSet(WorkspaceViewSet):
    """Saved header mappings, pickable on upload: {name, kind, columns: {header: field},
    defaults: {field: value}}."""

    queryset = ColumnMapping.objects.all()
    serializer_class = ColumnMappingSerializer
    filterset_fields = ["kind"]
    create_service = staticmethod(services.columnmapping_create)
    update_service = staticmethod(services.columnmapping_update)
    selector = staticmethod(selectors.columnmapping_list)


class RowsView(WorkspaceApiView):
    """POST a JSON list of rows of the import contract -> the import's result object."""

    kind = ""
    parser_classes = [JSONParser]

    @extend_schema(
        request={"application/json": {"type": "array", "items": {"type": "object"}}},
        responses={201: ImportJobSerializer},
    )
    def post(self, request, workspace_slug):
        job = services.import_rows(
            actor=request.user, workspace=self.workspace, kind=self.kind, rows=request.data
        )
        context = {"request": request, "workspace": self.workspace}
        code = status.HTTP_400_BAD_REQUEST if job.status == ImportJob.Status.FAILED else 201
        return Response(ImportJobSerializer(job, context=context).data, status=code)


class CampaignRowsView(RowsView):
    kind = ImportKind.CAMPAIGN


class UsageRowsView(RowsView):
    kind = ImportKind.USAGE


class SurveyRowsView(RowsView):
    kind = ImportKind.SURVEY


class KpiView(WorkspaceApiView):
    """?kpi=&from=&to=&product=&feature=&campaign=&channel=&granularity= ->
    {kpi, value, series: [{period, value}]}. Default range: the last 30 days."""

    @extend_schema(parameters=[KpiQuerySerializer], responses={200: KpiResultSerializer})
    def get(self, request, workspace_slug):
        query = KpiQuerySerializer(data=request.query_params, context={"workspace": self.workspace})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        end = data.get("to") or timezone.localdate()
        start = data.get("from") or end - timedelta(days=29)
        scope = kpis.Scope(
            product=data.get("product"),
            feature=data.get("feature"),
            campaign=data.get("campaign"),
            channel=data.get("channel"),
        )
        result = kpis.kpi_compute(
            workspace=self.workspace,
            kpi=data["kpi"],
            start=start,
            end=end,
            granularity=data["granularity"],
            scope=scope,
        )
        return Response(result)


class DashboardView(WorkspaceApiView):
    """The latest snapshot: {computed_at, kpis, series, diagnostics, ...}."""

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description=(
            "The latest snapshot. Values are machine values, as `kpis/` returns them: "
            "fractions for rates and shares (0.0118 is 1.18%), ratios for ROAS, decimal "
            "strings with two places for money (in the workspace's `currency`), integers for "
            "counts, scores from -100 to 100 for NPS. In `headline.<days>.<kpi>`, `value` and "
            "`previous` are the period and the one before; `change` is the relative change "
            "(a fraction, null when `previous` is 0). Pages show a rate's or a score's change "
            "as the difference (percentage points, NPS points) instead."
        ),
    )
    def get(self, request, workspace_slug):
        snapshot = selectors.dashboard_get(workspace=self.workspace, with_data=False)
        data = dict(selectors.dashboard_made(snapshot, "api", dict)) if snapshot else {}
        return Response(
            {
                "computed_at": snapshot.computed_at if snapshot else None,
                "kpis": data.pop("kpis", {}),
                "series": data.pop("series", {}),
                "diagnostics": data.pop("diagnostics", []),
                **data,
                "last_error": snapshot.last_error if snapshot else "",
            }
        )


class DiagnosisViewSet(WorkspaceViewSet):
    """What the diagnostic rules found: ?rule=&team=&severity=&state=. PATCH {state:
    acknowledged or dismissed, reason}; POST <id>/feedback/ sends it to the other team."""

    queryset = Diagnosis.objects.all()
    serializer_class = DiagnosisSerializer
    filterset_class = DiagnosisFilterSet
    http_method_names = ["get", "patch", "post", "head", "options"]
    selector = staticmethod(selectors.diagnosis_list)

    @extend_schema(exclude=True)
    def create(self, request, *args, **kwargs):
        # Diagnoses come from the rules, never from a client.
        return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)

    @extend_schema(request=DiagnosisStateSerializer, responses={200: DiagnosisSerializer})
    def partial_update(self, request, *args, **kwargs):
        diagnosis = self.get_object()
        data = DiagnosisStateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.diagnosis_set_state(actor=request.user, diagnosis=diagnosis, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=diagnosis.pk)).data)

    @extend_schema(request=None, responses={201: FeedbackCreatedSerializer})
    @action(detail=True, methods=["post"])
    def feedback(self, request, *args, **kwargs):
        """Turn the diagnosis into a feedback item for the other team."""
        feedback = services.diagnosis_to_feedback(actor=request.user, diagnosis=self.get_object())
        return Response(
            {"id": feedback.pk, "to_team": feedback.to_team, "url": feedback.get_absolute_url()},
            status=status.HTTP_201_CREATED,
        )
