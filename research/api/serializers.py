from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alignment.api.base import WorkspaceSerializer
from research.api.roadmap import SCORE_FIELDS
from research.api.roadmap import OpportunityScoreMixin
from research.api.roadmap import ScoredListSerializer
from research.models import MAX_BODY_LENGTH
from research.models import Competitor
from research.models import Evidence
from research.models import Insight
from research.models import InsightImport
from research.models import JourneyMap
from research.models import JourneyStage
from research.models import Opportunity
from research.models import OpportunityStatusChange
from research.models import Persona
from research.models import Segment
from research.models import Study
from research.models import Tag
from research.services.knowledge import COMPETITOR_FIELDS
from research.services.knowledge import JOURNEY_MAP_FIELDS
from research.services.knowledge import PERSONA_FIELDS
from research.services.opportunities import hypothesis_suggested_persona


class SearchSnippetMixin(serializers.Serializer):
    """`search_rank` and `search_snippet` are filled only when the list was searched."""

    search_rank = serializers.SerializerMethodField()
    search_snippet = serializers.SerializerMethodField()

    def get_search_rank(self, obj) -> float | None:
        return getattr(obj, "search_rank", None)

    def get_search_snippet(self, obj) -> str | None:
        return getattr(obj, "search_snippet", None)


class PersonaSerializer(SearchSnippetMixin, WorkspaceSerializer):
    insight_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Persona
        fields = [
            "id",
            *PERSONA_FIELDS,
            "insight_count",
            "search_rank",
            "search_snippet",
            "created_at",
            "updated_at",
        ]


class SegmentSerializer(WorkspaceSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "criteria", "description", "personas", "created_at", "updated_at"]


class StudySerializer(SearchSnippetMixin, WorkspaceSerializer):
    insight_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Study
        fields = [
            "id", "kind", "title", "started_on", "ended_on", "summary", "survey", "personas",
            "segments",
            "insight_count", "search_rank", "search_snippet", "created_at", "updated_at",
        ]  # fmt: skip


class StudySurveyAnswerSerializer(serializers.Serializer):
    # Imported metrics rows, read-only here. Plain strings: the scale enum stays metrics'.
    id = serializers.IntegerField()
    survey = serializers.CharField()
    respondent = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    scale = serializers.CharField()
    score = serializers.IntegerField()
    comment = serializers.CharField()


class StudyResponsePageSerializer(serializers.Serializer):
    """A page of the study's survey responses, with its scores (null without answers)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StudySurveyAnswerSerializer(many=True)
    nps = serializers.FloatField(allow_null=True)
    csat = serializers.FloatField(allow_null=True, help_text="Share of 4-5 answers, 0 to 1.")


class TagSerializer(WorkspaceSerializer):
    insight_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Tag
        fields = ["id", "name", "insight_count"]


class TagListField(serializers.ListField):
    """Tags in and out as names; unknown names become new tags of the workspace."""

    child = serializers.CharField(max_length=60)
    max_length = 20

    def to_representation(self, data):
        return [tag.name for tag in data.all()]


class InsightSerializer(SearchSnippetMixin, WorkspaceSerializer):
    body = serializers.CharField(max_length=MAX_BODY_LENGTH, allow_blank=True, required=False)
    tags = TagListField(required=False)
    body_html = serializers.CharField(read_only=True)

    class Meta:
        model = Insight
        fields = [
            "id", "title", "body", "body_html", "evidence", "source", "study", "personas",
            "features", "competitors", "tags", "sentiment", "search_rank", "search_snippet",
            "created_at", "updated_at",
        ]  # fmt: skip
        extra_kwargs = {
            "personas": {"required": False},
            "features": {"required": False},
            "competitors": {"required": False},
        }


class InsightImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


def errors_url(record: InsightImport, *, request=None) -> str | None:
    """Where the import's rejected rows download as CSV; None when it rejected none."""
    if not record.rows_rejected:
        return None
    path = reverse(
        "research-api:insight-import-errors-csv",
        kwargs={"workspace_slug": record.workspace.slug, "pk": record.pk},
    )
    return request.build_absolute_uri(path) if request else path


class InsightImportResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The import: GET insight-imports/<id>/.")
    rows_read = serializers.IntegerField()
    rows_imported = serializers.IntegerField()
    rows_rejected = serializers.IntegerField()
    created = serializers.ListField(child=serializers.IntegerField())
    errors = ImportErrorSerializer(many=True)
    errors_url = serializers.CharField(allow_null=True, help_text="The rejected rows as CSV.")
    message = serializers.CharField(
        allow_blank=True, help_text="Notes on the file: its encoding, rejected rows not kept."
    )


class InsightImportRecordSerializer(WorkspaceSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None, allow_null=True)
    errors_url = serializers.SerializerMethodField()

    class Meta:
        model = InsightImport
        fields = [
            "id",
            "created_at",
            "created_by",
            "rows_read",
            "rows_imported",
            "rows_rejected",
            "errors_url",
            "message",
        ]
        read_only_fields = fields

    def get_errors_url(self, record) -> str | None:
        return errors_url(record, request=self.context.get("request"))


class SuggestedPersonaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OpportunitySerializer(OpportunityScoreMixin, SearchSnippetMixin, WorkspaceSerializer):
    hypothesis = serializers.CharField(
        required=False,
        max_length=5000,
        help_text="Free text, never refused. In the shape “We believe <persona> has <problem> "
        "because <reason>; we will know we are right when <signal>” it fills problem, reason "
        "and signal, and links the persona it names (any case, singular or plural); fields "
        "sent explicitly win. Otherwise it is kept as written. Read back as written.",
    )
    suggested_persona = serializers.SerializerMethodField(
        help_text="The closest persona when the hypothesis names none of the workspace's."
    )
    supporting_count = serializers.IntegerField(read_only=True)
    contradicting_count = serializers.IntegerField(read_only=True)
    status_changed_by = serializers.CharField(
        source="status_changed_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Opportunity
        fields = [
            "id", "title", "hypothesis", "persona", "problem", "reason", "signal",
            "description", "features", "status", "status_reason", "status_changed_by",
            "status_changed_at", "supporting_count", "contradicting_count", "suggested_persona",
            "search_rank", "search_snippet", "created_at", "updated_at", *SCORE_FIELDS,
        ]  # fmt: skip
        read_only_fields = ["status", "status_reason", "status_changed_at"]
        list_serializer_class = ScoredListSerializer
        extra_kwargs = {"features": {"required": False}}

    @extend_schema_field(SuggestedPersonaSerializer(allow_null=True))
    def get_suggested_persona(self, obj):
        if obj.persona_id or not obj.hypothesis_text:
            return None
        # The workspace's personas are read once per response, not once per opportunity.
        personas = self.context.get("_hypothesis_personas")
        if personas is None:
            personas = list(
                Persona.objects.in_workspace(obj.workspace_id).only("id", "name").order_by("name")
            )
            self.context["_hypothesis_personas"] = personas
        persona = hypothesis_suggested_persona(opportunity=obj, personas=personas)
        return {"id": persona.pk, "name": persona.name} if persona else None


class OpportunityStatusSerializer(serializers.Serializer):
    # A plain string (the service checks it against the flow): a second enum component
    # for the same "status" choices would collide in the OpenAPI schema.
    status = serializers.CharField(
        max_length=12, help_text="The next status: " + ", ".join(Opportunity.Status.values)
    )
    reason = serializers.CharField(max_length=5000)


class StatusChangeSerializer(serializers.ModelSerializer):
    # Plain strings: the same choices as Opportunity.status, without a second enum name.
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    changed_by = serializers.CharField(source="changed_by.username", default=None, allow_null=True)

    class Meta:
        model = OpportunityStatusChange
        fields = ["from_status", "to_status", "reason", "changed_by", "changed_at"]


class EvidenceSerializer(WorkspaceSerializer):
    insight_title = serializers.CharField(source="insight.title", read_only=True)
    highlight_text = serializers.CharField(
        source="highlight.text", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Evidence
        fields = [
            "id", "insight", "insight_title", "highlight", "highlight_text", "stance", "created_at",
        ]  # fmt: skip
        extra_kwargs = {
            "insight": {
                "required": False,
                "help_text": "The insight; optional when a highlight of it is named.",
            },
            "highlight": {
                "required": False,
                "help_text": "A highlighted passage of the insight: the evidence is that passage.",
            },
        }

    def validate(self, attrs):
        if not attrs.get("insight") and not attrs.get("highlight"):
            raise serializers.ValidationError({"insight": ["Name an insight or a highlight."]})
        return attrs


class CompetitorSerializer(WorkspaceSerializer):
    mention_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Competitor
        fields = ["id", *COMPETITOR_FIELDS, "mention_count", "created_at", "updated_at"]


class JourneyStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = JourneyStage
        fields = ["position", "name", "touchpoints", "pains", "opportunities"]
        read_only_fields = ["position"]


class JourneyMapSerializer(WorkspaceSerializer):
    stages = JourneyStageSerializer(many=True, required=False)

    class Meta:
        model = JourneyMap
        fields = ["id", *JOURNEY_MAP_FIELDS, "stages", "created_at", "updated_at"]

    def validate_stages(self, value):
        if len(value) > 30:
            raise serializers.ValidationError("At most 30 stages.")
        return value
