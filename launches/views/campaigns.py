"""Campaigns and releases: the marketing campaigns and product releases a launch ties to."""

from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from launches import selectors
from launches import services
from launches.filters import CampaignFilterSet
from launches.filters import ReleaseFilterSet
from launches.forms import CampaignForm
from launches.forms import ReleaseForm
from launches.models import Campaign
from launches.models import Release
from launches.views._common import FormPageMixin

# --- Campaigns and releases ---------------------------------------------------------------


class CampaignListView(WorkspaceListView):
    model = Campaign
    filterset_class = CampaignFilterSet
    template_name = "launches/campaign_list.html"
    selector = staticmethod(selectors.campaign_list)


class CampaignDetailView(WorkspaceDetailView):
    model = Campaign
    template_name = "launches/campaign_detail.html"
    selector = staticmethod(selectors.campaign_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feature_ids = [feature.pk for feature in self.object.features.all()]
        conflicts = selectors.calendar_conflicts(workspace=self.workspace, feature_ids=feature_ids)
        context["conflicts"] = [c for c in conflicts if c.campaign.pk == self.object.pk]
        return context


class CampaignCreateView(FormPageMixin, WorkspaceCreateView):
    model = Campaign
    form_class = CampaignForm
    create_service = staticmethod(services.campaign_create)


class CampaignUpdateView(FormPageMixin, WorkspaceUpdateView):
    model = Campaign
    form_class = CampaignForm
    update_service = staticmethod(services.campaign_update)


class CampaignDeleteView(WorkspaceDeleteView):
    model = Campaign
    list_url = "launches:campaign_list"


class ReleaseListView(WorkspaceListView):
    model = Release
    filterset_class = ReleaseFilterSet
    template_name = "launches/release_list.html"
    selector = staticmethod(selectors.release_list)


class ReleaseDetailView(WorkspaceDetailView):
    model = Release
    template_name = "launches/release_detail.html"
    selector = staticmethod(selectors.release_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conflicts = selectors.calendar_conflicts(
            workspace=self.workspace, date_from=self.object.date, date_to=self.object.date
        )
        context["conflicts"] = [c for c in conflicts if c.release.pk == self.object.pk]
        return context


class ReleaseCreateView(FormPageMixin, WorkspaceCreateView):
    model = Release
    form_class = ReleaseForm
    create_service = staticmethod(services.release_create)


class ReleaseUpdateView(FormPageMixin, WorkspaceUpdateView):
    model = Release
    form_class = ReleaseForm
    update_service = staticmethod(services.release_update)


class ReleaseDeleteView(WorkspaceDeleteView):
    model = Release
    list_url = "launches:release_list"
