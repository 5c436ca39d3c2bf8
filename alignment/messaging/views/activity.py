"""The activity feed page."""

from __future__ import annotations

from django.views.generic import TemplateView

from alignment.messaging import selectors
from alignment.mixins import WorkspaceViewMixin


class ActivityListView(WorkspaceViewMixin, TemplateView):
    template_name = "alignment/messaging/activity.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = selectors.activity_list(workspace=self.workspace)[:200]
        return context
