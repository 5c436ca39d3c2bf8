# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""Reads of the dashboard over a custom range, a product or a channel: what the snapshot
cannot answer, computed on request in the snapshot's shape.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection

from metrics.kpis import KPIS
from metrics.kpis import SUMS
from metrics.kpis import evaluate
from metrics.selectors._common import _adoption_days
from metrics.selectors._common import _adoption_ranking
from metrics.selectors._common import _campaign_ranking
from metrics.selectors._common import _channel_days
from metrics.selectors._common import _channels
from metrics.selectors._common import _funnel
from metrics.selectors._common import _headline_entry
from metrics.selectors._common import _nps_weekly
from metrics.selectors._common import _periods
from metrics.selectors._common import _to_date
from metrics.selectors._common import _window
from metrics.selectors.dashboard import HEADLINE_KPIS
from metrics.selectors.dashboard import SERIES_KPIS

MAX_RANGE_DAYS = 366


def dashboard_range(*, workspace, start: date, end: date, product=None, channel=None) -> dict:
    """The dashboard for a custom range and/or a product or channel filter, computed through
    the KPI engine's scoped fact queries (a fixed number, whatever the data size), in the
    snapshot's shape under the period key "custom". Survey KPIs cannot be scoped: they are
    left out when a filter is set; usage KPIs are left out for a channel filter."""
    from metrics.kpis import Scope
    from metrics.kpis import _source_query

    if end < start:
        raise ValidationError({"to": ["The end of the range is before its start."]})
    length = (end - start).days + 1
    if length > MAX_RANGE_DAYS:
        raise ValidationError({"from": [f"Choose a range of at most {MAX_RANGE_DAYS} days."]})
    _cs, _ce, previous_start, previous_end = _periods(end, length)
    scope = Scope(product=product, channel=channel or None)
    sources = [("campaign", "spend")]
    if not channel:
        sources.append(("usage", "active_users"))
    if not product and not channel:
        sources.append(("survey", "nps"))
    days: dict[date, dict] = {}
    for source, kpi in sources:
        names = list(SUMS[source])
        expressions = ", ".join(SUMS[source][name] for name in names)
        from_sql, params, day = _source_query(
            KPIS[kpi],
            workspace.pk,
            previous_start,
            end,
            Scope(product=product, channel=scope.channel)
            if source == "campaign"
            else Scope(product=product),
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {day} AS day, {expressions} {from_sql} GROUP BY 1", params)
            for row in cursor.fetchall():
                days.setdefault(_to_date(row[0]), {}).update(zip(names, row[1:], strict=True))
    current = _window(days, start, end)
    previous = _window(days, previous_start, previous_end)
    headline = {name: _headline_entry(name, current, previous) for name in HEADLINE_KPIS}
    series_days = [start + timedelta(days=offset) for offset in range(length)]
    series = {
        "periods": [day.isoformat() for day in series_days],
        **{
            name: [evaluate(name, days.get(day, {})) for day in series_days] for name in SERIES_KPIS
        },
    }
    adoption = {}
    if not channel:
        adoption_days = _adoption_days(
            workspace, previous_start, end, product_id=product.pk if product else None
        )
        adoption = _headline_entry(
            "adoption",
            _window(adoption_days, start, end),
            _window(adoption_days, previous_start, previous_end),
        )
    ranking = _campaign_ranking(workspace, start, end, scope=scope)
    feature_adoption = [] if channel else _adoption_ranking(workspace, start, end)
    if product:
        feature_adoption = [row for row in feature_adoption if row["product"] == product.name]
    return {
        "as_of": end.isoformat(),
        "headline": {"custom": headline},
        "series": series,
        **ranking,
        "feature_adoption": feature_adoption,
        "funnel": {"custom": _funnel(current)},
        "channels": {"custom": _channels(_channel_days(workspace, start, end, scope), start, end)},
        "adoption": {"custom": adoption} if adoption else {},
        "nps_series": _nps_weekly(days, start, end) if "survey" in dict(sources) else [],
    }
