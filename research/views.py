from django.views.generic import TemplateView

from alignment.mixins import WorkspaceViewMixin


class ResearchIndexView(WorkspaceViewMixin, TemplateView):
    template_name = "research/index.html"
