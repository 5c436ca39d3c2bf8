from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alignment.api.base import WorkspaceSerializer
from launches.models import Campaign
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import LaunchTemplateItem
from launches.models import Milestone
from launches.models import MilestoneKind
from launches.models import Release
from launches.selectors import blocked_by_message
from launches.selectors import launch_health
from launches.selectors import task_blockers
from launches.services.launch_templates import TEMPLATE_FIELDS
from launches.services.launch_templates import TEMPLATE_ITEM_FIELDS

User = get_user_model()


class LaunchSerializer(WorkspaceSerializer):
    """A launch with its readiness (the percent of all its tasks and milestones done), its
    schedule status ("on schedule" or "N overdue") and whether it is at risk, and why."""

    product_name = serializers.CharField(source="product.name", read_only=True)
    template = serializers.PrimaryKeyRelatedField(
        queryset=LaunchTemplate.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="On create: lay out this template's tasks and milestones around launch_date.",
    )
    # The launch's health (launches.selectors.launch_health), computed once per launch in
    # to_representation.
    readiness = serializers.IntegerField(
        source="health.readiness",
        read_only=True,
        help_text="Percent of all its tasks and milestones that are done (rounded down).",
    )
    done = serializers.IntegerField(
        source="health.done", read_only=True, help_text="Tasks and milestones done."
    )
    total = serializers.IntegerField(
        source="health.total", read_only=True, help_text="All its tasks and milestones."
    )
    overdue = serializers.IntegerField(
        source="health.overdue",
        read_only=True,
        help_text="Tasks and milestones not done whose due date has passed.",
    )
    blocked = serializers.IntegerField(
        source="health.blocked", read_only=True, help_text="Tasks whose status is blocked."
    )
    schedule = serializers.CharField(
        source="health.schedule", read_only=True, help_text='"on schedule" or "N overdue".'
    )
    readiness_by_team = serializers.SerializerMethodField()
    at_risk = serializers.BooleanField(source="health.at_risk", read_only=True)
    risk_reasons = serializers.ListField(
        child=serializers.CharField(),
        source="health.risk_reasons",
        read_only=True,
        help_text="Why it is at risk: each overdue item, each blocked task, and a launch "
        "date close with low readiness. Empty when it is not.",
    )
    warnings = serializers.ListField(
        child=serializers.CharField(), source="health.warnings", read_only=True
    )

    class Meta:
        model = Launch
        fields = [
            "id",
            "name",
            "product",
            "product_name",
            "features",
            "objectives",
            "tier",
            "launch_date",
            "status",
            "goals",
            "readiness",
            "done",
            "total",
            "overdue",
            "blocked",
            "schedule",
            "readiness_by_team",
            "at_risk",
            "risk_reasons",
            "warnings",
            "template",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status"]

    def to_representation(self, launch):
        if not hasattr(launch, "health"):
            launch.health = launch_health(launch)
        return super().to_representation(launch)

    def get_readiness_by_team(self, launch) -> list[dict]:
        return [team.as_dict() for team in launch.health.by_team]

    def validate(self, attrs):
        if self.instance is not None and "template" in attrs:
            raise serializers.ValidationError(
                {"template": ["A template is applied when the launch is created."]}
            )
        return attrs


class StatusInputSerializer(serializers.Serializer):
    status = serializers.CharField()


class MilestoneSerializer(WorkspaceSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "launch", "kind", "title", "label", "team", "due_date", "done", "done_at"]
        read_only_fields = ["launch", "done_at"]


class BlockerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="The task's status: todo, doing or blocked.")


class LaunchTaskSerializer(WorkspaceSerializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    assignee_username = serializers.CharField(source="assignee.username", read_only=True)
    blocked_by = serializers.SerializerMethodField(
        help_text="The tasks it depends on that are not done: it cannot be done before them."
    )
    blocked_reason = serializers.SerializerMethodField(
        help_text="The same in words (“Blocked by …”), or empty."
    )

    class Meta:
        model = LaunchTask
        fields = [
            "id",
            "launch",
            "title",
            "description",
            "team",
            "assignee",
            "assignee_username",
            "due_date",
            "status",
            "channel",
            "milestone",
            "depends_on",
            "blocked_by",
            "blocked_reason",
            "completed_at",
        ]
        read_only_fields = ["launch", "completed_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workspace = self.context.get("workspace")
        if workspace is not None:
            # Only members of the workspace can be assigned.
            self.fields["assignee"].queryset = User.objects.filter(memberships__workspace=workspace)

    def _blockers(self, task) -> list:
        if task.status == LaunchTask.Status.DONE:
            return []
        return task_blockers(task)

    @extend_schema_field(BlockerSerializer(many=True))
    def get_blocked_by(self, task) -> list[dict]:
        return [
            {"id": other.pk, "title": other.title, "status": other.status}
            for other in self._blockers(task)
        ]

    def get_blocked_reason(self, task) -> str:
        blockers = self._blockers(task)
        return blocked_by_message(blockers) if blockers else ""


@extend_schema_field(
    {
        "type": "string",
        "description": "For a milestone item: its kind (the values of a milestone's `kind`). "
        "For a task item: the milestone it leads to, or empty.",
    }
)
class MilestoneKindField(serializers.ChoiceField):
    """A milestone kind, documented by reference to Milestone.kind (one enum, one name)."""


class LaunchTemplateItemSerializer(serializers.ModelSerializer):
    milestone_kind = MilestoneKindField(
        choices=MilestoneKind.choices, required=False, allow_blank=True
    )
    depends_on = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text="For a task: the titles of the template's tasks it comes after (each due "
        "on or before it). Applying the template links the launch's tasks the same way.",
    )

    class Meta:
        model = LaunchTemplateItem
        fields = list(TEMPLATE_ITEM_FIELDS)


class LaunchTemplateSerializer(WorkspaceSerializer):
    items = LaunchTemplateItemSerializer(many=True, required=False)

    class Meta:
        model = LaunchTemplate
        fields = ["id", *TEMPLATE_FIELDS, "items", "created_at", "updated_at"]


class CampaignSerializer(WorkspaceSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "channel",
            "features",
            "start_date",
            "end_date",
            "budget",
            "created_at",
            "updated_at",
        ]


class ReleaseSerializer(WorkspaceSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = Release
        fields = [
            "id",
            "product",
            "product_name",
            "version",
            "date",
            "features",
            "notes",
            "created_at",
            "updated_at",
        ]


class CalendarEventSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    url = serializers.CharField()
    product = serializers.IntegerField(allow_null=True)
    team = serializers.CharField()
    conflict = serializers.BooleanField()
    at_risk = serializers.BooleanField(
        help_text="A launch at risk (its reasons are on the launch); false for other events."
    )


class CalendarSerializer(serializers.Serializer):
    # "from" is a Python keyword: declared below through the fields mapping.
    events = CalendarEventSerializer(many=True)


CalendarSerializer._declared_fields = {
    "from": serializers.DateField(),
    "to": serializers.DateField(),
    **CalendarSerializer._declared_fields,
}


class ConflictSerializer(serializers.Serializer):
    release = serializers.IntegerField()
    campaign = serializers.IntegerField()
    feature = serializers.IntegerField()
    days_apart = serializers.IntegerField(
        help_text="Days from the release to the campaign start; 0 or less: during it."
    )
    advice = serializers.CharField()
    position = serializers.ChoiceField(choices=["before", "during"])
    release_version = serializers.CharField()
    release_date = serializers.DateField()
    product = serializers.IntegerField()
    campaign_name = serializers.CharField()
    campaign_start = serializers.DateField()
    campaign_end = serializers.DateField(allow_null=True)
    feature_name = serializers.CharField()
