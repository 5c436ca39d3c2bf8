from django.urls import reverse
from rest_framework import serializers

from alignment.api.base import WorkspacePrimaryKeyRelatedField
from alignment.api.base import WorkspaceSerializer
from alignment.dates import date_span_validators
from alignment.models import Feature
from alignment.models import Product
from launches.models import Campaign
from metrics.importing.reader import PRESETS
from metrics.kpis import GRANULARITIES
from metrics.kpis import KPIS
from metrics.models import ColumnMapping
from metrics.models import Diagnosis
from metrics.models import ImportJob


class ImportJobSerializer(WorkspaceSerializer):
    errors_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "status",
            "rows_read",
            "rows_imported",
            "rows_rejected",
            "progress",
            "errors_url",
            "rows_changed",
            "source",
            "original_name",
            "size",
            "mapping",
            "preset",
            "message",
            "attempts",
            "enqueued_at",
            "created_dimensions",
            "error_sample",
            "date_from",
            "date_to",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_errors_url(self, job) -> str | None:
        if not job.rows_rejected:
            return None
        path = reverse(
            "metrics-api:import-errors-csv",
            kwargs={"workspace_slug": self.context["workspace"].slug, "pk": job.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ImportCreateSerializer(WorkspaceSerializer):
    file = serializers.FileField(allow_empty_file=False, use_url=False)
    preset = serializers.ChoiceField(
        choices=[(k, v["label"]) for k, v in PRESETS.items()], required=False, allow_blank=True
    )

    class Meta:
        model = ImportJob
        fields = ["kind", "file", "mapping", "preset"]
        extra_kwargs = {"kind": {"required": True}, "mapping": {"required": False}}


class ColumnMappingSerializer(WorkspaceSerializer):
    class Meta:
        model = ColumnMapping
        fields = ["id", "name", "kind", "columns", "defaults", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"columns": {"required": True}}


class ImportAcceptedSerializer(serializers.Serializer):
    """The answer to an upload: the job to poll."""

    id = serializers.IntegerField()
    status = serializers.CharField()


class KpiQuerySerializer(serializers.Serializer):
    kpi = serializers.ChoiceField(choices=list(KPIS))
    to = serializers.DateField(required=False, validators=date_span_validators())
    granularity = serializers.ChoiceField(choices=GRANULARITIES, default="day")
    product = WorkspacePrimaryKeyRelatedField(queryset=Product.objects.all(), required=False)
    feature = WorkspacePrimaryKeyRelatedField(queryset=Feature.objects.all(), required=False)
    campaign = WorkspacePrimaryKeyRelatedField(queryset=Campaign.objects.all(), required=False)
    channel = serializers.CharField(required=False, max_length=60)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: declare it here.
        fields["from"] = serializers.DateField(required=False, validators=date_span_validators())
        return fields


KPI_VALUE_HELP = (
    "The KPI in its machine unit: a fraction for rates and shares (ROI, conversion, CTR, "
    "adoption, retention, CSAT: 0.0118 is 1.18%), a ratio for ROAS (2.5 is 2.5×), a decimal "
    "string with two places for money (spend, revenue, CPA; in the workspace's `currency`), "
    "an integer for counts (visits, purchases), a score from -100 to 100 for NPS, a daily "
    "average for active_users; null when its denominator is zero or there is no data."
)


class KpiPointSerializer(serializers.Serializer):
    period = serializers.DateField(help_text="The first day of the day, week or month.")
    value = serializers.JSONField(allow_null=True, help_text=KPI_VALUE_HELP)


class KpiResultSerializer(serializers.Serializer):
    """GET kpis/: one KPI over a range and scope, and its series."""

    kpi = serializers.ChoiceField(choices=list(KPIS))
    value = serializers.JSONField(allow_null=True, help_text=KPI_VALUE_HELP)
    to = serializers.DateField()
    granularity = serializers.ChoiceField(choices=GRANULARITIES, allow_null=True)
    scope = serializers.DictField(
        help_text="{product, feature, campaign, channel}: the ids (and channel) it is scoped to."
    )
    series = KpiPointSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()  # a Python keyword
        return fields


class DiagnosisSerializer(WorkspaceSerializer):
    """API.md: {id, rule, severity, team, subject_type, subject_id, message, detected_at,
    resolved_at}; added: state, next_step, link, and `evidence`: what it was judged on
    ({kpi, label, series: [{date, value, display}], baseline: {value, display, label}, ...
    the rule's figures}) with `supporting`, the findings of other rules folded into it."""

    evidence = serializers.JSONField(read_only=True)

    class Meta:
        model = Diagnosis
        fields = [
            "id",
            "rule",
            "severity",
            "team",
            "subject_type",
            "subject_id",
            "message",
            "detected_at",
            "resolved_at",
            "state",
            "next_step",
            "link",
            "evidence",
        ]
        read_only_fields = fields


class DiagnosisStateSerializer(serializers.Serializer):
    """PATCH diagnoses/<id>/: {state: acknowledged or dismissed, reason}."""

    state = serializers.ChoiceField(choices=["acknowledged", "dismissed"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class FeedbackCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    to_team = serializers.CharField()
    url = serializers.CharField()
