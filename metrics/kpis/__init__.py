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

from metrics.kpis.definitions import (
    ADDITIVE,
    AVERAGE,
    DOWN,
    KPIS,
    RATIO,
    SCORE,
    UP,
    Kpi,
    kpi_label,
)
from metrics.kpis.display import (
    CHANGE_UNITS,
    DEFAULT_CURRENCY,
    MISSING,
    Change,
    chart_formats,
    csv_header,
    csv_unit,
    csv_value,
    format_kpi,
    format_money,
    format_share,
    format_target,
    input_unit,
    kpi_change,
    target_from_input,
)
from metrics.kpis.engine import (
    GRANULARITIES,
    MAX_PERIODS,
    SUMS,
    Scope,
    _source_query,
    evaluate,
    format_value,
    kpi_compute,
    kpi_measure,
    kpi_sql,
    kpi_value,
    period_sql,
    periods,
    sample_of,
    sample_sql,
    survey_day_sql,
    validate_scope,
)
from metrics.kpis.judging import (
    AT_RISK,
    AT_RISK_MARGIN,
    NOT_ENOUGH_DATA,
    OFF_TRACK,
    ON_TRACK,
    STATE_CHOICES,
    STATE_LABELS,
    Verdict,
    judge,
)

__all__ = [
    "ADDITIVE",
    "AT_RISK",
    "AT_RISK_MARGIN",
    "AVERAGE",
    "CHANGE_UNITS",
    "DEFAULT_CURRENCY",
    "DOWN",
    "GRANULARITIES",
    "KPIS",
    "MAX_PERIODS",
    "MISSING",
    "NOT_ENOUGH_DATA",
    "OFF_TRACK",
    "ON_TRACK",
    "RATIO",
    "SCORE",
    "STATE_CHOICES",
    "STATE_LABELS",
    "SUMS",
    "UP",
    "Change",
    "Kpi",
    "Scope",
    "Verdict",
    "_source_query",
    "chart_formats",
    "csv_header",
    "csv_unit",
    "csv_value",
    "evaluate",
    "format_kpi",
    "format_money",
    "format_share",
    "format_target",
    "format_value",
    "input_unit",
    "judge",
    "kpi_change",
    "kpi_compute",
    "kpi_label",
    "kpi_measure",
    "kpi_sql",
    "kpi_value",
    "period_sql",
    "periods",
    "sample_of",
    "sample_sql",
    "survey_day_sql",
    "target_from_input",
    "validate_scope",
]
