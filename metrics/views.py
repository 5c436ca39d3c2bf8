from django.views.generic import TemplateView

from alignment.mixins import WorkspaceViewMixin


class MetricsIndexView(WorkspaceViewMixin, TemplateView):
    template_name = "metrics/index.html"
