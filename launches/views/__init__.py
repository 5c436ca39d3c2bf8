"""Browser pages of launches, under /w/<workspace_slug>/launches/.

`launches/urls.py` looks views up by name (`views.LaunchListView`), so every view is
re-exported here; the modules split the pages by area.
"""

from launches.views._common import FormPageMixin
from launches.views.calendar import (
    CalendarView,
    GtmSettingsView,
)
from launches.views.campaigns import (
    CampaignCreateView,
    CampaignDeleteView,
    CampaignDetailView,
    CampaignListView,
    CampaignUpdateView,
    ReleaseCreateView,
    ReleaseDeleteView,
    ReleaseDetailView,
    ReleaseListView,
    ReleaseUpdateView,
)
from launches.views.home import LaunchesIndexView
from launches.views.launch_tasks import (
    LaunchChildMixin,
    LaunchTaskCreateView,
    LaunchTaskDeleteView,
    LaunchTaskStatusView,
    LaunchTaskUpdateView,
    MilestoneCreateView,
    MilestoneDeleteView,
    MilestoneToggleView,
    MilestoneUpdateView,
    TaskFormMixin,
)
from launches.views.launch_templates import (
    LaunchTemplateCreateView,
    LaunchTemplateDeleteView,
    LaunchTemplateDetailView,
    LaunchTemplateListView,
    LaunchTemplateSeedView,
    LaunchTemplateUpdateView,
    TemplateItemsMixin,
)
from launches.views.launches import (
    LaunchCreateView,
    LaunchDeleteView,
    LaunchDetailView,
    LaunchListView,
    LaunchStatusView,
    LaunchUpdateView,
)

__all__ = [
    "CalendarView",
    "CampaignCreateView",
    "CampaignDeleteView",
    "CampaignDetailView",
    "CampaignListView",
    "CampaignUpdateView",
    "FormPageMixin",
    "GtmSettingsView",
    "LaunchChildMixin",
    "LaunchCreateView",
    "LaunchDeleteView",
    "LaunchDetailView",
    "LaunchListView",
    "LaunchStatusView",
    "LaunchTaskCreateView",
    "LaunchTaskDeleteView",
    "LaunchTaskStatusView",
    "LaunchTaskUpdateView",
    "LaunchTemplateCreateView",
    "LaunchTemplateDeleteView",
    "LaunchTemplateDetailView",
    "LaunchTemplateListView",
    "LaunchTemplateSeedView",
    "LaunchTemplateUpdateView",
    "LaunchUpdateView",
    "LaunchesIndexView",
    "MilestoneCreateView",
    "MilestoneDeleteView",
    "MilestoneToggleView",
    "MilestoneUpdateView",
    "ReleaseCreateView",
    "ReleaseDeleteView",
    "ReleaseDetailView",
    "ReleaseListView",
    "ReleaseUpdateView",
    "TaskFormMixin",
    "TemplateItemsMixin",
]
