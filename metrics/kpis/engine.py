# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""The KPI engine: every KPI of API.md (definitions.py), aggregated in the database.

Each KPI is defined once, as a ratio of sums (numerator terms over denominator terms).
From that one definition come the SQL expression (`SUM(...)`s with a NULLIF guard, so a
zero denominator gives NULL, never an error or infinity) and `evaluate()`, which applies
the same formula to sums already aggregated by SQL (the dashboard's daily rows).

Facts are read with raw SQL that runs on PostgreSQL and SQLite; only the truncation of a
date to its week or month differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection

from alignment.models import Feature
from alignment.models import Product
from launches.models import Campaign
from metrics.kpis.definitions import KPIS
from metrics.kpis.definitions import Kpi

GRANULARITIES = ("day", "week", "month")
MAX_PERIODS = 3700


# The sums each source offers, as SQL over its (aliased) rows.
SUMS = {
    "campaign": {
        name: f"SUM(m.{name})"
        for name in ("spend", "impressions", "clicks", "visits", "leads", "purchases", "revenue")
    },
    "usage": {
        "product_active": "SUM(d.product_active)",
        "product_retained": "SUM(d.product_retained)",
        "feature_active": "SUM(d.feature_active)",
        "feature_retained": "SUM(d.feature_retained)",
        "days": "COUNT(DISTINCT d.day)",
        "feature_days": "COUNT(d.feature_active)",
    },
    "survey": {
        "nps_responses": "SUM(CASE WHEN m.scale = 'nps' THEN 1 ELSE 0 END)",
        "promoters": "SUM(CASE WHEN m.scale = 'nps' AND m.score >= 9 THEN 1 ELSE 0 END)",
        "detractors": "SUM(CASE WHEN m.scale = 'nps' AND m.score <= 6 THEN 1 ELSE 0 END)",
        "csat_responses": "SUM(CASE WHEN m.scale = 'csat' THEN 1 ELSE 0 END)",
        "satisfied": "SUM(CASE WHEN m.scale = 'csat' AND m.score >= 4 THEN 1 ELSE 0 END)",
    },
}


def _terms(kpi: Kpi, feature_scoped: bool):
    if feature_scoped and kpi.feature_variant:
        return kpi.feature_variant["numerator"], kpi.feature_variant["denominator"]
    return kpi.numerator, kpi.denominator


def _sum_sql(terms, sums: dict) -> str:
    """Sums added (or subtracted, with a leading "-"), each missing one counted as 0."""
    parts = []
    for term in terms:
        sign, key = ("-", term[1:]) if term.startswith("-") else ("+", term)
        parts.append(f"{sign} COALESCE({sums[key]}, 0)" if parts or sign == "-" else sums[key])
    return " ".join(parts)


def kpi_sql(name: str, *, feature_scoped: bool = False) -> str:
    """The KPI as one SQL expression over its source's sums, zero-guarded with NULLIF."""
    kpi = KPIS[name]
    sums = SUMS[kpi.source]
    numerator_terms, denominator_terms = _terms(kpi, feature_scoped)
    numerator = _sum_sql(numerator_terms, sums)
    if not denominator_terms:
        return f"({numerator})"
    scale = f"{kpi.scale}.0 * " if kpi.scale != 1 else ""
    return (
        f"{scale}CAST({numerator} AS DOUBLE PRECISION) / "
        f"NULLIF(CAST({_sum_sql(denominator_terms, sums)} AS DOUBLE PRECISION), 0)"
    )


def sample_sql(name: str, *, feature_scoped: bool = False) -> str:
    """The count of observations a value of the KPI rests on (definitions.Kpi.sample)."""
    kpi = KPIS[name]
    terms = kpi.sample_terms(feature_scoped)
    return f"({_sum_sql(terms, SUMS[kpi.source])})" if terms else "NULL"


def evaluate(name: str, sums: dict, *, feature_scoped: bool = False):
    """The same formula on sums already aggregated (by SQL); None for a zero denominator."""
    kpi = KPIS[name]
    numerator_terms, denominator_terms = _terms(kpi, feature_scoped)

    def add(terms):
        total = 0
        for term in terms:
            value = sums.get(term.lstrip("-")) or 0
            total = total - value if term.startswith("-") else total + value
        return total

    if all(sums.get(term.lstrip("-")) is None for term in numerator_terms):
        return None  # no rows, like SUM() over nothing in SQL
    numerator = add(numerator_terms)
    if not denominator_terms:
        return format_value(name, numerator)
    denominator = add(denominator_terms)
    if not denominator:
        return None
    return format_value(name, kpi.scale * float(numerator) / float(denominator))


def sample_of(name: str, sums: dict, *, feature_scoped: bool = False) -> int | None:
    """How many observations a value evaluated from `sums` rests on (None: not counted)."""
    terms = KPIS[name].sample_terms(feature_scoped)
    if not terms:
        return None
    return int(sum(float(sums.get(term) or 0) for term in terms))


def format_value(name: str, value):
    """The machine value the API, the snapshot and CSV exports carry: money as a decimal
    string with two places, counts as integers, ratios as fractions with 4 decimals."""
    if value is None:
        return None
    unit = KPIS[name].unit
    if unit == "money":
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    if unit == "count":
        return int(value)
    if unit == "number":
        return round(float(value), 1)
    return round(float(value), 4)


# --- Queries -------------------------------------------------------------------------------


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def period_sql(day_expr: str, granularity: str) -> str:
    if granularity == "day":
        return day_expr
    if _postgres():
        return f"CAST(date_trunc('{granularity}', {day_expr}) AS date)"
    if granularity == "week":
        return (
            f"date({day_expr}, '-' || ((CAST(strftime('%%w', {day_expr}) AS integer) + 6) %% 7)"
            " || ' days')"
        )
    return f"strftime('%%Y-%%m-01', {day_expr})"


def survey_day_sql() -> str:
    return (
        "CAST(m.submitted_at AT TIME ZONE 'UTC' AS date)" if _postgres() else "date(m.submitted_at)"
    )


@dataclass
class Scope:
    product: Product | None = None
    feature: Feature | None = None
    campaign: Campaign | None = None
    channel: str | None = None

    def as_dict(self):
        return {
            "product": self.product.pk if self.product else None,
            "feature": self.feature.pk if self.feature else None,
            "campaign": self.campaign.pk if self.campaign else None,
            "channel": self.channel or None,
        }


def _source_query(kpi: Kpi, workspace_id: int, start: date, end: date, scope: Scope):
    """(FROM ... WHERE ... SQL, params, day expression) for the KPI's fact rows."""
    if kpi.source == "campaign":
        where, params = (
            ["m.workspace_id = %s", "m.date BETWEEN %s AND %s"],
            [workspace_id, start, end],
        )
        through = Campaign.features.through._meta.db_table
        if scope.campaign:
            where.append("m.campaign_id = %s")
            params.append(scope.campaign.pk)
        if scope.channel:
            where.append("m.channel = %s")
            params.append(scope.channel)
        if scope.feature:
            where.append(
                f"m.campaign_id IN (SELECT campaign_id FROM {through} WHERE feature_id = %s)"
            )
            params.append(scope.feature.pk)
        elif scope.product:
            where.append(
                f"m.campaign_id IN (SELECT cf.campaign_id FROM {through} cf "
                "JOIN alignment_feature f "
                "ON f.id = cf.feature_id WHERE f.product_id = %s)"
            )
            params.append(scope.product.pk)
        return f"FROM metrics_campaignmetric m WHERE {' AND '.join(where)}", params, "m.date"
    if kpi.source == "survey":
        where = "m.workspace_id = %s AND m.submitted_at >= %s AND m.submitted_at < %s"
        params = [workspace_id, _day_start(start), _day_start(end + timedelta(days=1))]
        return f"FROM metrics_surveyresponse m WHERE {where}", params, survey_day_sql()
    feature_id = scope.feature.pk if scope.feature else None
    product_id = (
        scope.feature.product_id if scope.feature else (scope.product.pk if scope.product else None)
    )
    product_filter = " AND product_id = %s" if product_id else ""
    daily = (
        "SELECT date AS day, product_id, "
        "COALESCE(MAX(CASE WHEN feature_id IS NULL THEN active_users END), MAX(active_users)) "
        "AS product_active, "
        "COALESCE(MAX(CASE WHEN feature_id IS NULL THEN retained_users END), MAX(retained_users)) "
        "AS product_retained, "
        "MAX(CASE WHEN feature_id = %s THEN active_users END) AS feature_active, "
        "MAX(CASE WHEN feature_id = %s THEN retained_users END) AS feature_retained "
        "FROM metrics_usagemetric WHERE workspace_id = %s AND date BETWEEN %s AND %s"
        f"{product_filter} GROUP BY date, product_id"
    )
    params = [feature_id, feature_id, workspace_id, start, end]
    if product_id:
        params.append(product_id)
    return f"FROM ({daily}) d", params, "d.day"


def _day_start(day: date):
    from datetime import UTC
    from datetime import datetime

    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def validate_scope(name: str, scope: Scope) -> None:
    kpi = KPIS[name]
    if kpi.source == "usage":
        if scope.campaign or scope.channel:
            field = "campaign" if scope.campaign else "channel"
            raise ValidationError(
                {field: [f"{name} is a usage KPI: scope it by product or feature."]}
            )
        if name == "adoption" and not scope.feature:
            raise ValidationError(
                {"feature": ["adoption is measured for one feature: give feature."]}
            )
    if kpi.source == "survey":
        for field in ("product", "feature", "campaign", "channel"):
            if getattr(scope, field):
                raise ValidationError({field: [f"{name} cannot be scoped by {field}."]})


def periods(start: date, end: date, granularity: str) -> list[date]:
    def floor(day: date) -> date:
        if granularity == "week":
            return day - timedelta(days=day.weekday())
        if granularity == "month":
            return day.replace(day=1)
        return day

    current, result = floor(start), []
    while current <= end:
        result.append(current)
        if granularity == "day":
            current += timedelta(days=1)
        elif granularity == "week":
            current += timedelta(days=7)
        else:
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return result


def kpi_compute(
    *, workspace, kpi: str, start: date, end: date, granularity: str | None = "day", scope=None
) -> dict:
    """{kpi, value, series: [{period, value}]} for the range and scope, all in SQL."""
    if kpi not in KPIS:
        raise ValidationError({"kpi": [f"Unknown KPI. Choose one of: {', '.join(KPIS)}."]})
    if granularity is not None and granularity not in GRANULARITIES:
        raise ValidationError({"granularity": ["Choose day, week or month."]})
    if end < start:
        raise ValidationError({"to": ["The end of the range is before its start."]})
    scope = scope or Scope()
    validate_scope(kpi, scope)
    buckets = periods(start, end, granularity) if granularity else []
    if len(buckets) > MAX_PERIODS:
        raise ValidationError({"granularity": ["Too many periods: use a coarser granularity."]})
    definition = KPIS[kpi]
    expression = kpi_sql(kpi, feature_scoped=scope.feature is not None)
    source, params, day = _source_query(definition, workspace.pk, start, end, scope)
    series = []
    with connection.cursor() as cursor:
        if granularity and _postgres():
            # One scan: the periods and, in ROLLUP's extra row (period NULL), the total.
            period = period_sql(day, granularity)
            cursor.execute(
                f"SELECT {period} AS period, {expression} {source} GROUP BY ROLLUP ({period})",
                params,
            )
            rows = cursor.fetchall()
            value = next((format_value(kpi, v) for p, v in rows if p is None), None)
            rows = [row for row in rows if row[0] is not None]
        else:
            cursor.execute(f"SELECT {expression} {source}", params)
            value = format_value(kpi, cursor.fetchone()[0])
            rows = []
            if granularity:
                period = period_sql(day, granularity)
                cursor.execute(
                    f"SELECT {period} AS period, {expression} {source} GROUP BY 1", params
                )
                rows = cursor.fetchall()
        if granularity:
            found = {_as_date(row[0]): format_value(kpi, row[1]) for row in rows}
            series = [{"period": p.isoformat(), "value": found.get(p)} for p in buckets]
    return {
        "kpi": kpi,
        "value": value,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "granularity": granularity,
        "scope": scope.as_dict(),
        "series": series,
    }


def _as_date(value) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def kpi_measure(*, workspace, kpi: str, start: date, end: date, scope=None) -> tuple:
    """(value, sample) of one KPI over a range and scope, in one query: the value and the
    number of observations it rests on (visits, responses...; None for a total)."""
    if kpi not in KPIS:
        raise ValidationError({"kpi": [f"Unknown KPI. Choose one of: {', '.join(KPIS)}."]})
    scope = scope or Scope()
    validate_scope(kpi, scope)
    feature_scoped = scope.feature is not None
    expression = kpi_sql(kpi, feature_scoped=feature_scoped)
    sample = sample_sql(kpi, feature_scoped=feature_scoped)
    source, params, _day = _source_query(KPIS[kpi], workspace.pk, start, end, scope)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expression}, {sample} {source}", params)
        value, count = cursor.fetchone()
    return format_value(kpi, value), None if count is None else int(count)


def kpi_value(
    workspace,
    kpi: str,
    start: date,
    end: date,
    *,
    product=None,
    feature=None,
    campaign=None,
    channel=None,
):
    """One KPI's value over a range and scope: what objectives read as their current value."""
    scope = Scope(product=product, feature=feature, campaign=campaign, channel=channel)
    result = kpi_compute(
        workspace=workspace, kpi=kpi, start=start, end=end, granularity=None, scope=scope
    )
    return result["value"]
