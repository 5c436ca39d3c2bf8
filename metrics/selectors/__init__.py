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
