"""Reads of the metrics app. The API and the pages call the same functions.

Callers use `from metrics import selectors` and `selectors.<name>(...)`; the modules split
the reads by what they serve: the stored dashboard snapshot (`dashboard`), a custom range
(`ranges`), the drill-down pages (`drilldowns`) and the lists (`lists`). The KPI engine
lives in metrics/kpis/; `kpi_value` is re-exported here for other apps (objectives read
their current values through it). A test that replaces a function a module calls
internally patches it where it is used (`metrics.selectors.dashboard`), not here.
"""

from metrics.kpis import KPIS, SUMS, evaluate, kpi_compute, kpi_sql, kpi_value
from metrics.selectors.dashboard import (
    DAILY_SUMS_VERSION,
    HEADLINE_KPIS,
    HEADLINE_PERIODS,
    POOLED_ADOPTION,
    SERIES_KPIS,
    WINDOW_DAYS,
    dashboard_cache_key,
    dashboard_compute,
    dashboard_extras,
    dashboard_get,
    dashboard_made,
    dashboard_window_start,
    latest_fact_date,
    series_between,
)
from metrics.selectors.drilldowns import (
    channel_comparison,
    channel_names,
    scoped_daily_sums,
    window_sums,
)
from metrics.selectors.lists import (
    columnmapping_list,
    diagnoses_for_subject,
    diagnosis_folded_into,
    diagnosis_list,
    diagnostic_settings_get,
    import_job_list,
)
from metrics.selectors.ranges import MAX_RANGE_DAYS, dashboard_range

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
