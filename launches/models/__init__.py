"""Go-to-market: launch plans, their milestones and tasks, templates per tier, campaigns,
releases and the workspace's GTM settings (conflict window, calendar feeds).

Django loads `launches.models`, so every model is imported here; the modules split them by
area, with the same names as `launches/services/`. `new_feed_token` stays importable here
because migration 0002 refers to it as `launches.models.new_feed_token`.
"""

# isort: off
# In this order, as in the old single module: it is the order the app registry lists
# the models in (and so the order content types and permissions are created in).
from launches.models.choices import Channel, MilestoneKind, Tier
from launches.models.gtm import CalendarFeed, Campaign, GtmSettings, Release, new_feed_token
from launches.models.launch_templates import LaunchTemplate, LaunchTemplateItem
from launches.models.plans import Launch, LaunchTask, Milestone
from launches.models.notifications import OverdueDigest
# isort: on
