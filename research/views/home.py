"""The research home, search across the evidence, and a feature's research page."""

from django.http import Http404
from django.views.generic import TemplateView

from alignment.mixins import WorkspaceViewMixin
from alignment.models import Feature
from research import selectors
from research.models import Opportunity


class ResearchIndexView(WorkspaceViewMixin, TemplateView):
    template_name = "research/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_insights"] = selectors.recent_insights(workspace=self.workspace)
        context["status_counts"] = [
            (Opportunity.Status(status), count)
            for status, count in selectors.opportunity_status_counts(
                workspace=self.workspace
            ).items()
        ]
        context["opportunities"] = selectors.opportunity_list(
            workspace=self.workspace, filters={"status": Opportunity.Status.VALIDATING}
        )[:6]
        context["personas"] = selectors.persona_list(workspace=self.workspace)[:8]
        return context


class ResearchSearchView(WorkspaceViewMixin, TemplateView):
    template_name = "research/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        context["query"] = query
        context["groups"] = (
            selectors.research_search(workspace=self.workspace, query=query) if query else []
        )
        context["result_count"] = sum(len(group.results) for group in context["groups"])
        return context


class FeatureResearchView(WorkspaceViewMixin, TemplateView):
    """The insights and opportunities behind one feature of the core catalogue."""

    template_name = "research/feature_research.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            feature = selectors.feature_get(workspace=self.workspace, pk=self.kwargs["pk"])
        except Feature.DoesNotExist:
            raise Http404("No such feature.") from None
        context["feature"] = feature
        context.update(selectors.feature_research(feature=feature))
        return context
