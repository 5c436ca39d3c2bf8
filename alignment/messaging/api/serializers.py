"""Serializers of the messaging API (the viewsets are in viewsets.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alignment.api.base import WorkspaceSerializer
from alignment.messaging import selectors
from alignment.messaging.models import ActionItem
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import FeedbackComment
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import Positioning
from alignment.messaging.models import PositioningVersion
from alignment.messaging.models import Review
from alignment.messaging.models import SyncMeeting
from alignment.messaging.services.meetings import ACTION_ITEM_FIELDS
from alignment.messaging.services.objectives import OBJECTIVE_FIELDS
from alignment.rendering import render_markdown
from alignment.teams import WORK_TEAM_CHOICES

User = get_user_model()


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
        fields = ["id", *OBJECTIVE_FIELDS, "targets", "created_at", "updated_at"]


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


class FeedbackCommentSerializer(WorkspaceSerializer):
    author = _name_of("author.username")

    class Meta:
        model = FeedbackComment
        fields = ["id", "feedback", "author", "body", "created_at"]
        read_only_fields = ["feedback"]


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


class ActionItemSerializer(MessagingSerializer):
    user_fields = ("owner",)
    owner = _username_field()
    overdue = serializers.BooleanField(read_only=True)
    done = serializers.BooleanField(required=False)

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", *ACTION_ITEM_FIELDS, "done", "overdue", "done_at"]
        read_only_fields = ["meeting", "done_at"]


class ActivityEventSerializer(serializers.ModelSerializer):
    actor = _name_of("actor.username")

    class Meta:
        model = ActivityEvent
        fields = ["id", "actor", "verb", "target_type", "target_id", "target_label", "created_at"]
