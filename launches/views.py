from django.views.generic import TemplateView

from alignment.mixins import WorkspaceViewMixin


class LaunchesIndexView(WorkspaceViewMixin, TemplateView):
    template_name = "launches/index.html"
