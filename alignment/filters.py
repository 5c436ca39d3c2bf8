import django_filters

from alignment.models import Feature
from alignment.models import Product
from alignment.tenancy import is_workspace_scoped


class WorkspaceFilterSet(django_filters.FilterSet):
    """Base of every FilterSet: model-choice filters only offer rows of one workspace."""

    @classmethod
    def apply(cls, filters, queryset, *, workspace):
        """`queryset` narrowed by `filters` (request parameters), or as it is without any.

        Selectors take optional filters; pages and the API bind their own FilterSet to the
        request, so building one here too, unbound, would only copy its filters for nothing.
        """
        if filters is None:
            return queryset
        return cls(filters, queryset, workspace=workspace).qs

    def __init__(self, data=None, queryset=None, *, workspace=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        for filter_ in self.filters.values():
            choices = getattr(filter_, "queryset", None)
            if workspace is not None and choices is not None and is_workspace_scoped(choices.model):
                filter_.queryset = choices.in_workspace(workspace)


class NamedFilterSet(WorkspaceFilterSet):
    """?q= keeps the rows whose name contains it, in any case."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")


class ProductFilterSet(NamedFilterSet):
    class Meta:
        model = Product
        fields = ["stage"]


class FeatureFilterSet(NamedFilterSet):
    released_after = django_filters.DateFilter(field_name="release_date", lookup_expr="gte")
    released_before = django_filters.DateFilter(field_name="release_date", lookup_expr="lte")

    class Meta:
        model = Feature
        fields = ["product", "status"]
