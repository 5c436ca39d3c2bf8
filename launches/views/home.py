"""The launches home: upcoming launches with readiness, the ones at risk, the conflicts."""

from datetime import timedelta

from django.utils import timezone
from django.views.generic import TemplateView

from alignment.mixins import WorkspaceViewMixin
from launches import selectors
from launches.models import LaunchTemplate


class LaunchesIndexView(WorkspaceViewMixin, TemplateView):
    """Upcoming launches with readiness, the ones at risk and why, and the conflicts."""

    template_name = "launches/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["today"] = today
        context["upcoming"] = selectors.launches_upcoming(workspace=self.workspace, today=today)
        context["at_risk"] = selectors.launches_at_risk(workspace=self.workspace, today=today)
        context["conflicts"] = selectors.calendar_conflicts(
            workspace=self.workspace, date_from=today - timedelta(days=30)
        )
        context["window"] = selectors.gtm_settings_get(workspace=self.workspace)
        context["has_templates"] = LaunchTemplate.objects.in_workspace(self.workspace).exists()
        return context
