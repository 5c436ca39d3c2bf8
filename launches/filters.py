import django_filters

from alignment.filters import NamedFilterSet
from alignment.filters import WorkspaceFilterSet
from alignment.teams import WORK_TEAM_CHOICES
from launches.models import Campaign
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import Milestone
from launches.models import Release


class LaunchFilterSet(NamedFilterSet):
    launch_after = django_filters.DateFilter(field_name="launch_date", lookup_expr="gte")
    launch_before = django_filters.DateFilter(field_name="launch_date", lookup_expr="lte")

    class Meta:
        model = Launch
        fields = ["product", "tier", "status"]


class LaunchTaskFilterSet(WorkspaceFilterSet):
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = LaunchTask
        fields = ["team", "status", "channel", "assignee"]


class MilestoneFilterSet(WorkspaceFilterSet):
    class Meta:
        model = Milestone
        fields = ["kind", "team", "done"]


class LaunchTemplateFilterSet(WorkspaceFilterSet):
    class Meta:
        model = LaunchTemplate
        fields = ["tier"]


class CampaignFilterSet(NamedFilterSet):
    feature = django_filters.NumberFilter(field_name="features", label="Promoted feature id")
    active_on = django_filters.DateFilter(method="filter_active_on", label="Active on")

    class Meta:
        model = Campaign
        fields = ["channel"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value).exclude(end_date__lt=value)


class ReleaseFilterSet(WorkspaceFilterSet):
    q = django_filters.CharFilter(field_name="version", lookup_expr="icontains", label="Version")
    feature = django_filters.NumberFilter(field_name="features", label="Feature id")
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Release
        fields = ["product"]


TEAM_CHOICES = WORK_TEAM_CHOICES
