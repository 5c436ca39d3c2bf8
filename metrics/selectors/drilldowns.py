# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""Reads of the drill-down pages: a campaign, a feature, the channels side by side."""

from __future__ import annotations

from datetime import date

from django.db import connection

from launches.models import Campaign
from metrics.kpis import KPIS
from metrics.kpis import SUMS
from metrics.models import CampaignMetric
from metrics.selectors._common import _channel_days
from metrics.selectors._common import _channels
from metrics.selectors._common import _to_date
from metrics.selectors._common import _window
from metrics.selectors.dashboard import dashboard_get
from metrics.selectors.dashboard import dashboard_made


def scoped_daily_sums(*, workspace, source: str, start: date, end: date, scope=None) -> dict:
    """Per day, every sum of one source ("campaign" | "usage" | "survey") in a scope:
    one GROUP BY query through the KPI engine's fact query."""
    from metrics.kpis import Scope
    from metrics.kpis import _source_query

    kpi = {"campaign": "spend", "usage": "active_users", "survey": "nps"}[source]
    names = list(SUMS[source])
    expressions = ", ".join(SUMS[source][name] for name in names)
    from_sql, params, day = _source_query(KPIS[kpi], workspace.pk, start, end, scope or Scope())
    days: dict[date, dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {day} AS day, {expressions} {from_sql} GROUP BY 1", params)
        for row in cursor.fetchall():
            days[_to_date(row[0])] = dict(zip(names, row[1:], strict=True))
    return days


def window_sums(days: dict, start: date, end: date) -> dict:
    return _window(days, start, end)


def channel_names(*, workspace) -> list[str]:
    """The channels seen in the workspace's data: on its campaign facts and its campaigns.
    The facts' channels are read once per dashboard snapshot version (an import that brings
    a new channel makes a new version), so offering them as choices costs no scan."""

    def fact_channels(_data=None) -> list[str]:
        facts = CampaignMetric.objects.in_workspace(workspace).exclude(channel="")
        return list(facts.values_list("channel", flat=True).distinct())

    snapshot = dashboard_get(workspace=workspace, with_data=False)
    names = set(
        dashboard_made(snapshot, "channels", fact_channels) if snapshot else fact_channels()
    )
    campaigns = Campaign.objects.in_workspace(workspace).exclude(channel="")
    names.update(campaigns.values_list("channel", flat=True).distinct())
    return sorted(names, key=str.lower)


def channel_comparison(*, workspace, start: date, end: date, product=None) -> list[dict]:
    """Spend, revenue, visits, purchases, conversion and ROI per channel: one query."""
    from metrics.kpis import Scope

    rows = _channel_days(workspace, start, end, Scope(product=product))
    return _channels(rows, start, end)
