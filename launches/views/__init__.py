"""Browser pages of launches, under /w/<workspace_slug>/launches/.

`launches/urls.py` looks views up by name (`views.LaunchListView`), so every view is
re-exported here; the modules split the pages by area.
"""

from launches.views._common import FormPageMixin
from launches.views.calendar import CalendarView
from launches.views.calendar import GtmSettingsView
from launches.views.campaigns import CampaignCreateView
from launches.views.campaigns import CampaignDeleteView
from launches.views.campaigns import CampaignDetailView
from launches.views.campaigns import CampaignListView
from launches.views.campaigns import CampaignUpdateView
from launches.views.campaigns import ReleaseCreateView
from launches.views.campaigns import ReleaseDeleteView
from launches.views.campaigns import ReleaseDetailView
from launches.views.campaigns import ReleaseListView
from launches.views.campaigns import ReleaseUpdateView
from launches.views.home import LaunchesIndexView
from launches.views.launch_tasks import LaunchChildMixin
from launches.views.launch_tasks import LaunchTaskCreateView
from launches.views.launch_tasks import LaunchTaskDeleteView
from launches.views.launch_tasks import LaunchTaskStatusView
from launches.views.launch_tasks import LaunchTaskUpdateView
from launches.views.launch_tasks import MilestoneCreateView
from launches.views.launch_tasks import MilestoneDeleteView
from launches.views.launch_tasks import MilestoneToggleView
from launches.views.launch_tasks import MilestoneUpdateView
from launches.views.launch_tasks import TaskFormMixin
from launches.views.launch_templates import LaunchTemplateCreateView
from launches.views.launch_templates import LaunchTemplateDeleteView
from launches.views.launch_templates import LaunchTemplateDetailView
from launches.views.launch_templates import LaunchTemplateListView
from launches.views.launch_templates import LaunchTemplateSeedView
from launches.views.launch_templates import LaunchTemplateUpdateView
from launches.views.launch_templates import TemplateItemsMixin
from launches.views.launches import LaunchCreateView
from launches.views.launches import LaunchDeleteView
from launches.views.launches import LaunchDetailView
from launches.views.launches import LaunchListView
from launches.views.launches import LaunchStatusView
from launches.views.launches import LaunchUpdateView
