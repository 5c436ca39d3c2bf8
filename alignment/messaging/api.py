"""API of messaging: positioning, claims, handoff documents, objectives, feedback, sync
meetings with their action items, and the activity feed. Registered in alignment/api/urls.py.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from alignment.api.base import WorkspaceSerializer, WorkspaceViewSet
from alignment.messaging import selectors as selectors
from alignment.messaging import services as services
from alignment.messaging.filters import (
    ActionItemFilterSet,
    ActivityEventFilterSet,
    ClaimFilterSet,
    FeedbackFilterSet,
    HandoffDocumentFilterSet,
    ObjectiveFilterSet,
    PositioningFilterSet,
    SyncMeetingFilterSet,
)
from alignment.messaging.models import (
    WORK_TEAM_CHOICES,
    ActionItem,
    ActivityEvent,
    Claim,
    Feedback,
    FeedbackComment,
    HandoffDocument,
    Objective,
    ObjectiveTarget,
    Positioning,
    PositioningVersion,
    Review,
    SyncMeeting,
)
from alignment.rendering import render_markdown

User = get_user_model()

READ_ONLY_METHODS = ["get", "head", "options"]


def _name_of(source: str):
    """A related object's name, read only; null when the user or object is gone."""
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


def _username_field(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.none(), **kwargs
    )


class MessagingSerializer(WorkspaceSerializer):
    """Also narrows user fields (given by username) to members of the workspace."""

    user_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workspace = self.context.get("workspace")
        for name in self.user_fields:
            field = self.fields[name]
            target = getattr(field, "child_relation", field)
            if workspace is not None:
                target.queryset = User.objects.filter(memberships__workspace=workspace)


# --- Positioning ------------------------------------------------------------------------


class PositioningSerializer(WorkspaceSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    persona_name = serializers.CharField(source="persona.name", read_only=True)

    class Meta:
        model = Positioning
        fields = [
            "id",
            "product",
            "product_name",
            "persona",
            "persona_name",
            "target_customer",
            "need",
            "alternative",
            "our_product",
            "differentiator",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version"]


class PositioningVersionSerializer(serializers.ModelSerializer):
    author = _name_of("author.username")

    class Meta:
        model = PositioningVersion
        fields = [
            "number",
            "target_customer",
            "need",
            "alternative",
            "our_product",
            "differentiator",
            "author",
            "created_at",
        ]


class PositioningViewSet(WorkspaceViewSet):
    """Positioning per product and persona; every edit keeps the previous version."""

    queryset = Positioning.objects.all()
    serializer_class = PositioningSerializer
    filterset_class = PositioningFilterSet
    ordering_fields = ["updated_at", "version"]
    create_service = staticmethod(services.positioning_create)
    update_service = staticmethod(services.positioning_update)

    def get_workspace_queryset(self):
        return selectors.positioning_list(workspace=self.workspace)

    @extend_schema(responses=PositioningVersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole history, a list
    def versions(self, request, *args, **kwargs):
        versions = selectors.positioning_versions(positioning=self.get_object())
        return Response(PositioningVersionSerializer(versions, many=True).data)


# --- Review flow ------------------------------------------------------------------------


class ReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Review.Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewableSerializer(WorkspaceSerializer):
    author = _name_of("author.username")
    reviewed_by = _name_of("reviewed_by.username")
    feature_name = serializers.CharField(source="feature.name", read_only=True)
    supported = serializers.BooleanField(read_only=True)

    review_fields = [
        "status",
        "supported",
        "author",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "created_at",
        "updated_at",
    ]


class ReviewActionsMixin:
    """`submit/` and `review/` transitions, calling the viewset's services."""

    submit_service = None
    review_service = None
    instance_kwarg = ""

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        instance = self.submit_service(
            actor=request.user, **{self.instance_kwarg: self.get_object()}
        )
        return Response(self.get_serializer(instance).data)

    @extend_schema(request=ReviewInputSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        instance = self.get_object()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        instance = self.review_service(
            actor=request.user, **{self.instance_kwarg: instance}, **data.validated_data
        )
        return Response(self.get_serializer(instance).data)


# --- Claims -----------------------------------------------------------------------------


class ClaimSerializer(ReviewableSerializer):
    class Meta:
        model = Claim
        fields = [
            "id",
            "headline",
            "body",
            "proof_point",
            "feature",
            "feature_name",
            "personas",
            *ReviewableSerializer.review_fields,
        ]
        read_only_fields = ["status", "submitted_at", "reviewed_at", "review_comment"]


class ClaimViewSet(ReviewActionsMixin, WorkspaceViewSet):
    """Claims tied to a feature; `supported` is false until the feature is released."""

    queryset = Claim.objects.all()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet
    search_fields = ["headline", "body", "proof_point"]
    ordering_fields = ["updated_at", "created_at", "status", "headline"]
    create_service = staticmethod(services.claim_create)
    update_service = staticmethod(services.claim_update)
    submit_service = staticmethod(services.claim_submit)
    review_service = staticmethod(services.claim_review)
    instance_kwarg = "claim"

    def get_workspace_queryset(self):
        return selectors.claim_list(workspace=self.workspace)


# --- Handoff documents ------------------------------------------------------------------


class HandoffDocumentSerializer(ReviewableSerializer):
    body = serializers.CharField(required=False, allow_blank=True, default="")
    body_html = serializers.SerializerMethodField()
    competitor_name = _name_of("competitor.name")

    class Meta:
        model = HandoffDocument
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "body_html",
            "feature",
            "feature_name",
            "competitor",
            "competitor_name",
            *ReviewableSerializer.review_fields,
        ]
        read_only_fields = ["status", "submitted_at", "reviewed_at", "review_comment"]

    def get_body_html(self, document) -> str:
        return str(render_markdown(document.body))


class HandoffDocumentViewSet(ReviewActionsMixin, WorkspaceViewSet):
    """Handoff documents in Markdown (sanitised when rendered), with the review flow."""

    queryset = HandoffDocument.objects.all()
    serializer_class = HandoffDocumentSerializer
    filterset_class = HandoffDocumentFilterSet
    search_fields = ["title", "body"]
    ordering_fields = ["updated_at", "created_at", "status", "title", "kind"]
    create_service = staticmethod(services.document_create)
    update_service = staticmethod(services.document_update)
    submit_service = staticmethod(services.document_submit)
    review_service = staticmethod(services.document_review)
    instance_kwarg = "document"

    def get_workspace_queryset(self):
        return selectors.document_list(workspace=self.workspace)

    @extend_schema(responses={(200, "text/markdown"): str})
    @action(detail=True, methods=["get"], url_path="markdown")
    def markdown(self, request, *args, **kwargs):
        """The document as a Markdown file."""
        document = self.get_object()
        response = HttpResponse(document.body, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="document-{document.pk}.md"'
        return response


# --- Objectives -------------------------------------------------------------------------


class TargetProgressSerializer(serializers.Serializer):
    """A target's verdict, in machine values (the pages show the same as they read)."""

    value = serializers.JSONField(
        allow_null=True,
        help_text="The KPI over the objective's period so far, in the target's scope, as "
        "`kpis/` returns it: a fraction for rates (0.0118 is 1.18%), a ratio for ROAS, a "
        "decimal string with two places for money (the workspace's `currency`), an integer "
        "for counts, a score from -100 to 100 for NPS; null without data.",
    )
    state = serializers.CharField(
        allow_null=True,
        help_text="on_track, at_risk (within 10% of what is due), off_track, or "
        "not_enough_data (a rate or score resting on fewer observations than its minimum "
        "sample); null without data.",
    )
    label = serializers.CharField(help_text='The state as it reads, e.g. "on track".')
    due = serializers.JSONField(
        allow_null=True,
        help_text="What is due by today, in the same unit as `value`: for totals (spend, "
        "revenue, visits, purchases) the target pro-rated by the share of the period gone; "
        "for every other KPI the target itself.",
    )
    sample = serializers.IntegerField(
        allow_null=True,
        help_text="The observations the value rests on (visits, responses...); null for totals.",
    )


class ObjectiveTargetSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    scope = serializers.ChoiceField(
        choices=ObjectiveTarget.Scope.choices,
        default=ObjectiveTarget.Scope.WORKSPACE,
        help_text=ObjectiveTarget._meta.get_field("scope").help_text,
    )

    class Meta:
        model = ObjectiveTarget
        fields = [
            "id",
            "kpi",
            "target",
            "direction",
            "scope",
            "scope_id",
            "scope_value",
            "progress",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"scope_value": {"required": False}}

    @extend_schema_field(TargetProgressSerializer(allow_null=True))
    def get_progress(self, target) -> dict | None:
        # A value costs a KPI query per target: one object's page shows it, lists do not.
        view = self.context.get("view")
        if view is None or getattr(view, "action", None) == "list":
            return None
        progress = selectors.objective_target_progress(target)
        return {name: progress[name] for name in TargetProgressSerializer().fields}


class ObjectiveSerializer(MessagingSerializer):
    user_fields = ("product_owner", "marketing_owner")
    product_owner = _username_field(
        required=False, allow_null=True, help_text="Recommended: a member of the product team."
    )
    marketing_owner = _username_field(
        required=False, allow_null=True, help_text="Recommended: a member of the marketing team."
    )
    targets = ObjectiveTargetSerializer(many=True, required=False)

    class Meta:
        model = Objective
        fields = [
            "id",
            "title",
            "description",
            "product",
            "product_owner",
            "marketing_owner",
            "period_start",
            "period_end",
            "targets",
            "created_at",
            "updated_at",
        ]


class ObjectiveViewSet(WorkspaceViewSet):
    """Shared goals with KPI targets; `targets` on a write replaces all of them."""

    queryset = Objective.objects.all()
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    search_fields = ["title", "description"]
    ordering_fields = ["period_start", "period_end", "title"]
    create_service = staticmethod(services.objective_create)
    update_service = staticmethod(services.objective_update)

    def get_workspace_queryset(self):
        return selectors.objective_list(workspace=self.workspace)


# --- Feedback ---------------------------------------------------------------------------


class FeedbackSerializer(WorkspaceSerializer):
    from_team = serializers.ChoiceField(choices=WORK_TEAM_CHOICES, required=False)
    author = _name_of("author.username")
    comment_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "from_team",
            "to_team",
            "subject_type",
            "subject_id",
            "title",
            "body",
            "status",
            "author",
            "comment_count",
            "created_at",
            "acknowledged_at",
            "resolved_at",
        ]
        read_only_fields = ["status", "acknowledged_at", "resolved_at"]

    def validate(self, attrs):
        if self.instance is not None:
            fixed = {"from_team", "to_team", "subject_type", "subject_id"} & set(attrs)
            for name in fixed:
                if attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: ["This field cannot be changed."]})
                attrs.pop(name)
        return attrs


class FeedbackStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Feedback.Status.choices)


class FeedbackViewSet(WorkspaceViewSet):
    """Feedback between teams: ?to_team=product is what other teams asked product."""

    queryset = Feedback.objects.all()
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilterSet
    search_fields = ["title", "body"]
    ordering_fields = ["created_at", "status"]
    create_service = staticmethod(services.feedback_create)
    update_service = staticmethod(services.feedback_update)

    def get_workspace_queryset(self):
        return selectors.feedback_list(workspace=self.workspace)

    @extend_schema(request=FeedbackStatusSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, *args, **kwargs):
        feedback = self.get_object()
        data = FeedbackStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.feedback_set_status(actor=request.user, feedback=feedback, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=feedback.pk)).data)


class FeedbackCommentSerializer(WorkspaceSerializer):
    author = _name_of("author.username")

    class Meta:
        model = FeedbackComment
        fields = ["id", "feedback", "author", "body", "created_at"]
        read_only_fields = ["feedback"]


class FeedbackCommentViewSet(WorkspaceViewSet):
    """Comments on one feedback item: feedback/<id>/comments/."""

    queryset = FeedbackComment.objects.all()
    serializer_class = FeedbackCommentSerializer
    http_method_names = ["get", "post", "head", "options"]

    @cached_property
    def feedback(self):
        feedback = (
            selectors.feedback_list(workspace=self.workspace)
            .filter(pk=self.kwargs["feedback_pk"])
            .first()
        )
        if feedback is None:
            raise Http404("No such feedback.")
        return feedback

    def get_workspace_queryset(self):
        return selectors.feedback_comments(feedback=self.feedback)

    def perform_create(self, serializer):
        serializer.instance = services.feedback_comment_add(
            actor=self.request.user, feedback=self.feedback, **serializer.validated_data
        )


# --- Sync meetings and action items -----------------------------------------------------


class SyncMeetingSerializer(MessagingSerializer):
    user_fields = ("attendees",)
    attendees = _username_field(many=True, required=False)
    open_items = serializers.IntegerField(read_only=True, default=0)
    created_by = _name_of("created_by.username")

    class Meta:
        model = SyncMeeting
        fields = [
            "id",
            "title",
            "date",
            "attendees",
            "updates",
            "goals",
            "challenges",
            "decisions",
            "open_items",
            "created_by",
            "created_at",
        ]


class SyncMeetingViewSet(WorkspaceViewSet):
    queryset = SyncMeeting.objects.all()
    serializer_class = SyncMeetingSerializer
    filterset_class = SyncMeetingFilterSet
    search_fields = ["title", "updates", "goals", "challenges", "decisions"]
    ordering_fields = ["date"]
    create_service = staticmethod(services.meeting_create)
    update_service = staticmethod(services.meeting_update)

    def get_workspace_queryset(self):
        return selectors.meeting_list(workspace=self.workspace)


class ActionItemSerializer(MessagingSerializer):
    user_fields = ("owner",)
    owner = _username_field()
    overdue = serializers.BooleanField(read_only=True)
    done = serializers.BooleanField(required=False)

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "title", "owner", "due_date", "done", "overdue", "done_at"]
        read_only_fields = ["meeting", "done_at"]


class ActionItemViewSet(WorkspaceViewSet):
    """Action items of one meeting: meetings/<id>/action-items/."""

    queryset = ActionItem.objects.all()
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet

    @cached_property
    def meeting(self):
        meeting = SyncMeeting.objects.in_workspace(self.workspace).filter(
            pk=self.kwargs["meeting_pk"]
        )
        if not meeting.exists():
            raise Http404("No such meeting.")
        return meeting.select_related("workspace").get()

    def get_workspace_queryset(self):
        return selectors.action_item_list(workspace=self.workspace).filter(meeting=self.meeting)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        done = data.pop("done", None)
        item = services.action_item_create(actor=self.request.user, meeting=self.meeting, **data)
        if done:
            item = services.action_item_set_done(
                actor=self.request.user, action_item=item, done=True
            )
        serializer.instance = item

    def perform_update(self, serializer):
        serializer.instance = services.action_item_update(
            actor=self.request.user, action_item=serializer.instance, **serializer.validated_data
        )


class OpenActionItemViewSet(WorkspaceViewSet):
    """Every action item of the workspace (read only): ?owner=<user id>&done=false."""

    queryset = ActionItem.objects.all()
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet
    ordering_fields = ["due_date"]
    http_method_names = READ_ONLY_METHODS

    def get_workspace_queryset(self):
        return selectors.action_item_list(workspace=self.workspace)


# --- Activity ---------------------------------------------------------------------------


class ActivityEventSerializer(serializers.ModelSerializer):
    actor = _name_of("actor.username")

    class Meta:
        model = ActivityEvent
        fields = ["id", "actor", "verb", "target_type", "target_id", "target_label", "created_at"]


class ActivityViewSet(WorkspaceViewSet):
    """The workspace's activity feed, newest first (read only)."""

    queryset = ActivityEvent.objects.all()
    serializer_class = ActivityEventSerializer
    filterset_class = ActivityEventFilterSet
    http_method_names = READ_ONLY_METHODS

    def get_workspace_queryset(self):
        return selectors.activity_list(workspace=self.workspace)
