# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""The aggregate queries and the arithmetic the snapshot and the custom-range dashboard
share: rankings, channels and adoption per day, sums over a window, period arithmetic.

Private to the selectors package: readers call the public selectors, which keep one
shape for the snapshot and for a custom range.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.db import connection

from alignment.models import Feature
from launches.models import Campaign
from metrics.kpis import KPIS
from metrics.kpis import evaluate
from metrics.kpis import kpi_sql

RANKING_SIZE = 5
FUNNEL_STEPS = ("impressions", "clicks", "visits", "leads", "purchases")


def _to_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _window(days: dict, start: date, end: date) -> dict:
    total: dict = {}
    for day, sums in days.items():
        if start <= day <= end:
            for name, value in sums.items():
                if value is not None:
                    total[name] = total.get(name, 0) + value
    return total


def _change(current, previous):
    try:
        current_f, previous_f = float(current), float(previous)
    except (TypeError, ValueError):
        return None
    if previous_f == 0:
        return None
    return round((current_f - previous_f) / abs(previous_f), 4)


def _money(value):
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _periods(as_of: date, length: int):
    """(current_start, current_end, previous_start, previous_end) of a period ending as_of."""
    current_start = as_of - timedelta(days=length - 1)
    previous_end = current_start - timedelta(days=1)
    return current_start, as_of, previous_end - timedelta(days=length - 1), previous_end


def _funnel(sums: dict) -> dict:
    return {step: int(sums.get(step) or 0) for step in FUNNEL_STEPS}


def _headline_entry(name: str, current: dict, previous: dict) -> dict:
    return {
        "value": (value := evaluate(name, current)),
        "previous": (before := evaluate(name, previous)),
        "change": _change(value, before),
    }


def _nps_weekly(days: dict, start: date, end: date) -> list[dict]:
    """NPS per week (weeks ending on `end`), from the daily survey sums."""
    weeks = []
    week_end = end
    while week_end >= start:
        week_start = max(start, week_end - timedelta(days=6))
        weeks.append(
            {
                "week": week_start.isoformat(),
                "nps": evaluate("nps", _window(days, week_start, week_end)),
            }
        )
        week_end = week_start - timedelta(days=1)
    return list(reversed(weeks))


def _campaign_ranking(workspace, start: date, end: date, scope=None) -> dict:
    from metrics.kpis import Scope
    from metrics.kpis import _source_query

    roi = kpi_sql("roi")
    from_sql, params, _day = _source_query(KPIS["roi"], workspace.pk, start, end, scope or Scope())
    sql = (
        f"SELECT m.campaign_id, {roi} AS roi, SUM(m.spend), SUM(m.revenue) {from_sql} "
        "GROUP BY m.campaign_id HAVING SUM(m.spend) > 0 ORDER BY roi {order}, m.campaign_id "
        f"LIMIT {RANKING_SIZE}"
    )
    result = {}
    with connection.cursor() as cursor:
        for key, order in (("top_campaigns", "DESC"), ("bottom_campaigns", "ASC")):
            cursor.execute(sql.replace("{order}", order), params)
            result[key] = cursor.fetchall()
    ids = {row[0] for rows in result.values() for row in rows}
    names = dict(
        Campaign.objects.in_workspace(workspace).filter(pk__in=ids).values_list("pk", "name")
    )
    return {
        key: [
            {
                "id": campaign_id,
                "name": names.get(campaign_id, f"#{campaign_id}"),
                "roi": round(float(value), 4),
                "spend": str(_money(spend)),
                "revenue": str(_money(revenue)),
            }
            for campaign_id, value, spend, revenue in rows
        ]
        for key, rows in result.items()
    }


def _adoption_ranking(workspace, start: date, end: date) -> list[dict]:
    """Features by adoption: their active users over their product's, same days."""
    sql = (
        "WITH product_days AS ("
        "  SELECT product_id, date, COALESCE(MAX(CASE WHEN feature_id IS NULL THEN active_users "
        "  END), MAX(active_users)) AS active FROM metrics_usagemetric "
        "  WHERE workspace_id = %s AND date BETWEEN %s AND %s GROUP BY product_id, date), "
        "products AS (SELECT product_id, SUM(active) AS active FROM product_days "
        "  GROUP BY product_id), "
        "features AS (SELECT feature_id, product_id, SUM(active_users) AS active "
        "  FROM metrics_usagemetric WHERE workspace_id = %s AND date BETWEEN %s AND %s "
        "  AND feature_id IS NOT NULL GROUP BY feature_id, product_id) "
        "SELECT f.feature_id, CAST(f.active AS DOUBLE PRECISION) / "
        "  NULLIF(CAST(p.active AS DOUBLE PRECISION), 0) AS adoption, f.active "
        "FROM features f JOIN products p ON p.product_id = f.product_id "
        "ORDER BY adoption DESC, f.feature_id LIMIT 20"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [workspace.pk, start, end] * 2)
        rows = cursor.fetchall()
    features = {
        feature.pk: feature
        for feature in Feature.objects.in_workspace(workspace)
        .filter(pk__in=[row[0] for row in rows])
        .select_related("product")
    }
    return [
        {
            "id": feature_id,
            "name": features[feature_id].name if feature_id in features else f"#{feature_id}",
            "product": features[feature_id].product.name if feature_id in features else "",
            "adoption": None if value is None else round(float(value), 4),
        }
        for feature_id, value, _active in rows
    ]


def _channel_days(workspace, start: date, end: date, scope=None) -> list[tuple]:
    """(channel, day, spend, visits, purchases, revenue) rows: one GROUP BY query."""
    from metrics.kpis import Scope
    from metrics.kpis import _source_query

    from_sql, params, _day = _source_query(
        KPIS["spend"], workspace.pk, start, end, scope or Scope()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.channel, m.date, SUM(m.spend), SUM(m.visits), SUM(m.purchases), "
            f"SUM(m.revenue) {from_sql} GROUP BY m.channel, m.date",
            params,
        )
        return [(row[0], _to_date(row[1]), *row[2:]) for row in cursor.fetchall()]


def _channels(rows: list[tuple], start: date, end: date) -> list[dict]:
    totals: dict[str, dict] = {}
    for channel, day, spend, visits, purchases, revenue in rows:
        if start <= day <= end:
            sums = totals.setdefault(channel or "", {})
            for name, value in (
                ("spend", spend),
                ("visits", visits),
                ("purchases", purchases),
                ("revenue", revenue),
            ):
                sums[name] = sums.get(name, 0) + (value or 0)
    return [
        {
            "channel": channel or "(none)",
            "spend": str(_money(sums["spend"])),
            "revenue": str(_money(sums["revenue"])),
            "visits": int(sums["visits"]),
            "purchases": int(sums["purchases"]),
            "conversion_rate": evaluate("conversion_rate", sums),
            "roi": evaluate("roi", sums),
        }
        for channel, sums in sorted(totals.items())
    ]


def _adoption_days(workspace, start: date, end: date, product_id=None) -> dict[date, dict]:
    """Per day, the features' active users and their products' active users (pooled
    adoption across every feature): one query."""
    product_filter = " AND u.product_id = %s" if product_id else ""
    sql = (
        "WITH product_days AS ("
        "  SELECT product_id, date, COALESCE(MAX(CASE WHEN feature_id IS NULL THEN active_users "
        "  END), MAX(active_users)) AS active FROM metrics_usagemetric "
        "  WHERE workspace_id = %s AND date BETWEEN %s AND %s GROUP BY product_id, date) "
        "SELECT u.date, SUM(u.active_users), SUM(p.active) FROM metrics_usagemetric u "
        "JOIN product_days p ON p.product_id = u.product_id AND p.date = u.date "
        "WHERE u.workspace_id = %s AND u.date BETWEEN %s AND %s AND u.feature_id IS NOT NULL"
        f"{product_filter} GROUP BY u.date"
    )
    params = [workspace.pk, start, end] * 2 + ([product_id] if product_id else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            _to_date(day): {"feature_active": feature, "product_active": product}
            for day, feature, product in cursor.fetchall()
        }
