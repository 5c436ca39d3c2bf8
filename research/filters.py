import django_filters

from alignment.filters import WorkspaceFilterSet
from alignment.models import Feature
from research.models import Competitor
from research.models import Insight
from research.models import JourneyMap
from research.models import Opportunity
from research.models import Persona
from research.models import Segment
from research.models import Study
from research.models import Tag
from research.search import apply_search


def _by_persona():
    """?persona=<id>: the rows citing that persona (WorkspaceFilterSet offers the workspace's)."""
    return django_filters.ModelChoiceFilter(
        field_name="personas", queryset=Persona.objects.all(), label="Persona"
    )


def _by_feature():
    """?feature=<id>: the rows tied to that feature."""
    return django_filters.ModelChoiceFilter(
        field_name="features", queryset=Feature.objects.select_related("product"), label="Feature"
    )


class SearchFilterSet(WorkspaceFilterSet):
    """`?search=`: full-text on PostgreSQL, a plain match on SQLite (research/search.py)."""

    search = django_filters.CharFilter(method="filter_search", label="Search")

    def filter_search(self, queryset, name, value):
        return apply_search(queryset, value)


class NameFilterSet(WorkspaceFilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")


class PersonaFilterSet(SearchFilterSet):
    class Meta:
        model = Persona
        fields = []


class SegmentFilterSet(NameFilterSet):
    persona = _by_persona()

    class Meta:
        model = Segment
        fields = []


class StudyFilterSet(SearchFilterSet):
    persona = _by_persona()
    started_after = django_filters.DateFilter(field_name="started_on", lookup_expr="gte")
    started_before = django_filters.DateFilter(field_name="started_on", lookup_expr="lte")

    class Meta:
        model = Study
        fields = ["kind"]


class InsightFilterSet(SearchFilterSet):
    persona = _by_persona()
    feature = _by_feature()
    competitor = django_filters.ModelChoiceFilter(
        field_name="competitors", queryset=Competitor.objects.all(), label="Competitor"
    )
    tag = django_filters.CharFilter(method="filter_tag", label="Tag")
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Insight
        fields = ["sentiment", "study"]

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__name__iexact=value.strip().lstrip("#"))


class OpportunityFilterSet(SearchFilterSet):
    feature = _by_feature()

    class Meta:
        model = Opportunity
        fields = ["status", "persona"]


class CompetitorFilterSet(NameFilterSet):
    class Meta:
        model = Competitor
        fields = []


class JourneyMapFilterSet(NameFilterSet):
    class Meta:
        model = JourneyMap
        fields = ["persona"]


class TagFilterSet(NameFilterSet):
    class Meta:
        model = Tag
        fields = []
