"""Reads of the go-to-market domain: lists, launch health, the calendar and its conflicts.

The API and the HTML views call the same functions. Health and conflicts are computed in
Python over prefetched rows, so a page of launches or a calendar month costs a fixed
number of queries whatever its size.
"""

from launches.selectors.gtm_calendar import CalendarEvent
from launches.selectors.gtm_calendar import Conflict
from launches.selectors.gtm_calendar import calendar_conflicts
from launches.selectors.gtm_calendar import calendar_events
from launches.selectors.gtm_calendar import calendar_weeks
from launches.selectors.gtm_calendar import is_conflict
from launches.selectors.health import LaunchHealth
from launches.selectors.health import TeamReadiness
from launches.selectors.health import blocked_by_message
from launches.selectors.health import launch_health
from launches.selectors.health import launch_with_health
from launches.selectors.health import launches_at_risk
from launches.selectors.health import launches_upcoming
from launches.selectors.health import task_blockers
from launches.selectors.health import tasks_with_blockers
from launches.selectors.lists import calendar_feed_is_current
from launches.selectors.lists import campaign_list
from launches.selectors.lists import gtm_settings_get
from launches.selectors.lists import launch_list
from launches.selectors.lists import launch_task_list
from launches.selectors.lists import launch_template_list
from launches.selectors.lists import milestone_list
from launches.selectors.lists import overdue_tasks_for_user
from launches.selectors.lists import release_list
from launches.selectors.timeline import launch_detail_queryset
from launches.selectors.timeline import launch_timeline
