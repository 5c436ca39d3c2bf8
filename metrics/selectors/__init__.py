"""Reads of the metrics app. The API and the pages call the same functions.

Callers use `from metrics import selectors` and `selectors.<name>(...)`; the modules split
the reads by what they serve: the stored dashboard snapshot (`dashboard`), a custom range
(`ranges`), the drill-down pages (`drilldowns`) and the lists (`lists`). The KPI engine
lives in metrics/kpis/; `kpi_value` is re-exported here for other apps (objectives read
their current values through it). A test that replaces a function a module calls
internally patches it where it is used (`metrics.selectors.dashboard`), not here.
"""

from metrics.kpis import KPIS
from metrics.kpis import SUMS
from metrics.kpis import evaluate
from metrics.kpis import kpi_compute
from metrics.kpis import kpi_sql
from metrics.kpis import kpi_value
from metrics.selectors.dashboard import DAILY_SUMS_VERSION
from metrics.selectors.dashboard import HEADLINE_KPIS
from metrics.selectors.dashboard import HEADLINE_PERIODS
from metrics.selectors.dashboard import POOLED_ADOPTION
from metrics.selectors.dashboard import SERIES_KPIS
from metrics.selectors.dashboard import WINDOW_DAYS
from metrics.selectors.dashboard import dashboard_cache_key
from metrics.selectors.dashboard import dashboard_compute
from metrics.selectors.dashboard import dashboard_extras
from metrics.selectors.dashboard import dashboard_get
from metrics.selectors.dashboard import dashboard_made
from metrics.selectors.dashboard import dashboard_window_start
from metrics.selectors.dashboard import latest_fact_date
from metrics.selectors.dashboard import series_between
from metrics.selectors.drilldowns import channel_comparison
from metrics.selectors.drilldowns import channel_names
from metrics.selectors.drilldowns import scoped_daily_sums
from metrics.selectors.drilldowns import window_sums
from metrics.selectors.lists import columnmapping_list
from metrics.selectors.lists import diagnoses_for_subject
from metrics.selectors.lists import diagnosis_folded_into
from metrics.selectors.lists import diagnosis_list
from metrics.selectors.lists import diagnostic_settings_get
from metrics.selectors.lists import import_job_list
from metrics.selectors.ranges import MAX_RANGE_DAYS
from metrics.selectors.ranges import dashboard_range

__all__ = [
    "DAILY_SUMS_VERSION",
    "HEADLINE_KPIS",
    "HEADLINE_PERIODS",
    "KPIS",
    "MAX_RANGE_DAYS",
    "POOLED_ADOPTION",
    "SERIES_KPIS",
    "SUMS",
    "WINDOW_DAYS",
    "channel_comparison",
    "channel_names",
    "columnmapping_list",
    "dashboard_cache_key",
    "dashboard_compute",
    "dashboard_extras",
    "dashboard_get",
    "dashboard_made",
    "dashboard_range",
    "dashboard_window_start",
    "diagnoses_for_subject",
    "diagnosis_folded_into",
    "diagnosis_list",
    "diagnostic_settings_get",
    "evaluate",
    "import_job_list",
    "kpi_compute",
    "kpi_sql",
    "kpi_value",
    "latest_fact_date",
    "scoped_daily_sums",
    "series_between",
    "window_sums",
]
