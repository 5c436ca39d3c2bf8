"""Competitors and the insights that mention them."""

from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from research import filters
from research import forms
from research import selectors
from research import services
from research.models import Competitor


class CompetitorListView(WorkspaceListView):
    model = Competitor
    filterset_class = filters.CompetitorFilterSet
    template_name = "research/competitor_list.html"
    selector = staticmethod(selectors.competitor_list)


class CompetitorDetailView(WorkspaceDetailView):
    model = Competitor
    template_name = "research/competitor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["insights"] = selectors.insight_list(
            workspace=self.workspace, filters={"competitor": self.object.pk}
        )
        return context


class CompetitorCreateView(WorkspaceCreateView):
    model = Competitor
    form_class = forms.CompetitorForm
    template_name = "research/form.html"
    create_service = staticmethod(services.competitor_create)


class CompetitorUpdateView(WorkspaceUpdateView):
    model = Competitor
    form_class = forms.CompetitorForm
    template_name = "research/form.html"
    update_service = staticmethod(services.competitor_update)


class CompetitorDeleteView(WorkspaceDeleteView):
    model = Competitor
    list_url = "research:competitor_list"
