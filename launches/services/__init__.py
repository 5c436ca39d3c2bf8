"""Writes of the go-to-market domain. Every rule that changes launches data lives here.

Callers use `from launches import services` and `services.<entity>_<verb>(...)`; the
modules split the rules by sub-domain.
"""

from launches.services.gtm import calendar_feed_get_or_create
from launches.services.gtm import calendar_feed_regenerate
from launches.services.gtm import campaign_create
from launches.services.gtm import campaign_update
from launches.services.gtm import gtm_settings_update
from launches.services.gtm import release_create
from launches.services.gtm import release_update
from launches.services.launch_templates import DEFAULT_TEMPLATES
from launches.services.launch_templates import launch_template_check_items
from launches.services.launch_templates import launch_template_create
from launches.services.launch_templates import launch_template_seed_defaults
from launches.services.launch_templates import launch_template_update
from launches.services.notifications import launch_task_tell_assignee
from launches.services.notifications import overdue_digest_send
from launches.services.notifications import overdue_digest_send_all
from launches.services.plans import launch_apply_template
from launches.services.plans import launch_create
from launches.services.plans import launch_set_status
from launches.services.plans import launch_task_check
from launches.services.plans import launch_task_create
from launches.services.plans import launch_task_set_status
from launches.services.plans import launch_task_update
from launches.services.plans import launch_update
from launches.services.plans import milestone_create
from launches.services.plans import milestone_update
