"""FilterSets of messaging, used by its API viewsets and its HTML lists alike."""

import django_filters
from django.db.models import Q
from django.forms import HiddenInput

from alignment.filters import WorkspaceFilterSet
from alignment.messaging.models import ActionItem
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Objective
from alignment.messaging.models import Positioning
from alignment.messaging.models import SyncMeeting
from alignment.models import Feature
from alignment.teams import WORK_TEAM_CHOICES


class PositioningFilterSet(WorkspaceFilterSet):
    class Meta:
        model = Positioning
        fields = ["product", "persona"]


def _features():
    # Feature.__str__ names the product: load it with the choices, not once per option.
    return Feature.objects.select_related("product")


class ClaimFilterSet(WorkspaceFilterSet):
    feature = django_filters.ModelChoiceFilter(queryset=_features())
    q = django_filters.CharFilter(method="search", label="Text")
    supported = django_filters.BooleanFilter(method="filter_supported", label="Supported")
    product = django_filters.NumberFilter(field_name="feature__product", label="Product id")
    # Users are not workspace rows: filter by id, never offer every user as a choice.
    author = django_filters.NumberFilter(field_name="author", widget=HiddenInput)

    class Meta:
        model = Claim
        fields = ["status", "feature", "personas"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(headline__icontains=value) | Q(body__icontains=value))

    def filter_supported(self, queryset, name, value):
        released = Q(feature__status=Feature.Status.RELEASED)
        return queryset.filter(released if value else ~released)


class HandoffDocumentFilterSet(WorkspaceFilterSet):
    feature = django_filters.ModelChoiceFilter(queryset=_features())
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title")

    class Meta:
        model = HandoffDocument
        fields = ["kind", "status", "feature", "competitor"]


class ObjectiveFilterSet(WorkspaceFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title")
    active_on = django_filters.DateFilter(method="filter_active_on", label="Active on")
    owner = django_filters.NumberFilter(method="filter_owner", widget=HiddenInput)

    class Meta:
        model = Objective
        fields = ["product"]

    def filter_owner(self, queryset, name, value):
        return queryset.filter(Q(product_owner=value) | Q(marketing_owner=value))

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(period_start__lte=value, period_end__gte=value)


class FeedbackFilterSet(WorkspaceFilterSet):
    from_team = django_filters.ChoiceFilter(choices=WORK_TEAM_CHOICES)
    to_team = django_filters.ChoiceFilter(choices=WORK_TEAM_CHOICES)
    q = django_filters.CharFilter(method="search", label="Text")

    class Meta:
        model = Feedback
        fields = ["from_team", "to_team", "status", "subject_type", "subject_id"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))


class SyncMeetingFilterSet(WorkspaceFilterSet):
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = SyncMeeting
        fields = []


class ActionItemFilterSet(WorkspaceFilterSet):
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    owner = django_filters.NumberFilter(field_name="owner", widget=HiddenInput)

    class Meta:
        model = ActionItem
        fields = ["done", "meeting"]


class ActivityEventFilterSet(WorkspaceFilterSet):
    actor = django_filters.NumberFilter(field_name="actor", widget=HiddenInput)

    class Meta:
        model = ActivityEvent
        fields = ["verb", "target_type"]
