"""The KPI module: every KPI defined, computed, judged and formatted in one place.

- definitions.py: per KPI its formula, kind (additive total, or ratio/score/average), the
  direction it gets better in, its display and the minimum sample before a verdict.
- engine.py: the formulas in SQL (and on sums already aggregated), scoped queries.
- judging.py: the one verdict of a value against a target (pro-rated for totals).
- display.py: the one formatter (percent, ×, money in the workspace's currency, NPS as a
  signed score), changes against a previous period, CSV units.
- targets.py: objective targets measured and judged (registered with alignment.measures).

Pages, diagnoses, e-mails and exports call these; none compares or formats a KPI itself.
"""

from metrics.kpis.definitions import ADDITIVE
from metrics.kpis.definitions import AVERAGE
from metrics.kpis.definitions import DOWN
from metrics.kpis.definitions import KPIS
from metrics.kpis.definitions import RATIO
from metrics.kpis.definitions import SCORE
from metrics.kpis.definitions import UP
from metrics.kpis.definitions import Kpi
from metrics.kpis.definitions import kpi_label
from metrics.kpis.display import CHANGE_UNITS
from metrics.kpis.display import DEFAULT_CURRENCY
from metrics.kpis.display import MISSING
from metrics.kpis.display import Change
from metrics.kpis.display import chart_format
from metrics.kpis.display import chart_formats
from metrics.kpis.display import csv_header
from metrics.kpis.display import csv_unit
from metrics.kpis.display import csv_value
from metrics.kpis.display import format_kpi
from metrics.kpis.display import format_money
from metrics.kpis.display import format_share
from metrics.kpis.display import format_target
from metrics.kpis.display import input_unit
from metrics.kpis.display import kpi_change
from metrics.kpis.display import kpi_tile
from metrics.kpis.display import money_format
from metrics.kpis.display import target_from_input
from metrics.kpis.engine import GRANULARITIES
from metrics.kpis.engine import MAX_PERIODS
from metrics.kpis.engine import SUMS
from metrics.kpis.engine import Scope
from metrics.kpis.engine import _source_query
from metrics.kpis.engine import evaluate
from metrics.kpis.engine import format_value
from metrics.kpis.engine import kpi_compute
from metrics.kpis.engine import kpi_measure
from metrics.kpis.engine import kpi_sql
from metrics.kpis.engine import kpi_value
from metrics.kpis.engine import period_sql
from metrics.kpis.engine import periods
from metrics.kpis.engine import sample_of
from metrics.kpis.engine import sample_sql
from metrics.kpis.engine import survey_day_sql
from metrics.kpis.engine import validate_scope
from metrics.kpis.judging import AT_RISK
from metrics.kpis.judging import AT_RISK_MARGIN
from metrics.kpis.judging import NOT_ENOUGH_DATA
from metrics.kpis.judging import OFF_TRACK
from metrics.kpis.judging import ON_TRACK
from metrics.kpis.judging import STATE_CHOICES
from metrics.kpis.judging import STATE_LABELS
from metrics.kpis.judging import Verdict
from metrics.kpis.judging import judge
