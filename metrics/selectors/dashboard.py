# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""Reads of the dashboard snapshot: the stored snapshot and what readers make of it, and
the computation a recompute stores (metrics.services.dashboard writes it).

The snapshot's window is read in a handful of GROUP BY queries; after an import, only the
changed days are read again and the rest comes from the daily sums kept on the snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from datetime import timedelta
from decimal import Decimal
from typing import TypeVar

from django.core.cache import caches
from django.db import connection

from metrics.kpis import KPIS
from metrics.kpis import SUMS
from metrics.kpis import evaluate
from metrics.models import DashboardSnapshot
from metrics.selectors._common import _adoption_days
from metrics.selectors._common import _adoption_ranking
from metrics.selectors._common import _campaign_ranking
from metrics.selectors._common import _change
from metrics.selectors._common import _channel_days
from metrics.selectors._common import _channels
from metrics.selectors._common import _funnel
from metrics.selectors._common import _headline_entry
from metrics.selectors._common import _nps_weekly
from metrics.selectors._common import _periods
from metrics.selectors._common import _to_date
from metrics.selectors._common import _window

T = TypeVar("T")
WINDOW_DAYS = 180  # the snapshot covers the last 90 days and the 90 before them
HEADLINE_PERIODS = (7, 30, 90)
HEADLINE_KPIS = (
    "spend",
    "revenue",
    "roi",
    "roas",
    "conversion_rate",
    "ctr",
    "cpa",
    "visits",
    "purchases",
    "active_users",
    "retention",
    "nps",
    "csat",
)
SERIES_KPIS = ("spend", "revenue", "roi", "conversion_rate", "active_users")


def dashboard_get(*, workspace, with_data: bool = True) -> DashboardSnapshot | None:
    """The workspace's snapshot. The daily sums are for the next recompute, not for readers;
    without `with_data`, `data` is read only if used (what a reader makes of it is cached
    under `dashboard_cache_key`)."""
    deferred = ("daily_sums",) if with_data else ("daily_sums", "data")
    return DashboardSnapshot.objects.in_workspace(workspace).defer(*deferred).first()


def dashboard_cache_key(snapshot: DashboardSnapshot, name: str) -> str:
    """The key of what `name` makes from the snapshot's `data`: it names the snapshot's
    version, so every save of the snapshot (metrics.models) leaves the old entries unread."""
    return f"metrics-dashboard:{snapshot.pk}:{snapshot.version}:{name}"


def dashboard_made(snapshot: DashboardSnapshot, name: str, make: Callable[[dict], T]) -> T:
    """`make(snapshot.data)`, made once per snapshot version and kept in this process's
    memory (the "local" cache): a reader that hits it never loads the data."""
    key = dashboard_cache_key(snapshot, name)
    made = caches["local"].get(key)
    if made is None:
        made = make(snapshot.data)
        caches["local"].set(key, made)
    return made


# --- Dashboard computation ----------------------------------------------------------------


def latest_fact_date(*, workspace) -> date | None:
    """The day the dashboard ends on: the latest day with facts, never after today."""
    survey_day = "date(MAX(submitted_at))"
    if connection.vendor == "postgresql":
        survey_day = "CAST(MAX(submitted_at) AT TIME ZONE 'UTC' AS date)"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT MAX(date) FROM metrics_campaignmetric WHERE workspace_id = %s), "
            "(SELECT MAX(date) FROM metrics_usagemetric WHERE workspace_id = %s), "
            f"(SELECT {survey_day} FROM metrics_surveyresponse WHERE workspace_id = %s)",
            [workspace.pk] * 3,
        )
        days = [_to_date(value) for value in cursor.fetchone() if value is not None]
    if not days:
        return None
    return min(max(days), date.today())


def dashboard_window_start(as_of: date) -> date:
    return as_of - timedelta(days=WINDOW_DAYS - 1)


# The pooled adoption across every feature (dashboard_extras) is kept among the daily sums
# under these names, so that an incremental recompute re-reads it for the changed days only.
POOLED_ADOPTION = {"feature_active": "pooled_feature_active", "product_active": "pooled_active"}
# Bumped when the daily sums gain or change a key: older cached sums are then read afresh.
DAILY_SUMS_VERSION = 2


def _daily_sums(workspace, start: date, end: date) -> dict[date, dict]:
    """Per day, every sum the KPIs need - three GROUP BY queries over the window - and the
    pooled feature adoption (one more)."""
    from metrics.kpis import Scope
    from metrics.kpis import _source_query

    days: dict[date, dict] = {}
    for source, kpi in (("campaign", "spend"), ("usage", "active_users"), ("survey", "nps")):
        names = list(SUMS[source])
        expressions = ", ".join(SUMS[source][name] for name in names)
        from_sql, params, day = _source_query(KPIS[kpi], workspace.pk, start, end, Scope())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {day} AS day, {expressions} {from_sql} GROUP BY 1", params)
            for row in cursor.fetchall():
                sums = days.setdefault(_to_date(row[0]), {})
                sums.update(dict(zip(names, row[1:], strict=True)))
    for day, pooled in _adoption_days(workspace, start, end).items():
        days.setdefault(day, {}).update(
            {stored: pooled[name] for name, stored in POOLED_ADOPTION.items()}
        )
    return days


def _pooled_adoption_days(days: dict[date, dict]) -> dict[date, dict]:
    """The pooled adoption sums kept among the daily sums, under the adoption KPI's names."""
    return {
        day: {name: sums[stored] for name, stored in POOLED_ADOPTION.items()}
        for day, sums in days.items()
        if POOLED_ADOPTION["feature_active"] in sums
    }


def _daily_sums_json(days: dict[date, dict]) -> dict:
    """The daily sums as JSON (kept on the snapshot): Decimals as text, the rest as is, so
    `_daily_sums_from_json` gives back exactly the values and types SQL returned."""
    return {
        day.isoformat(): {
            name: str(value) if isinstance(value, Decimal) else value
            for name, value in sums.items()
        }
        for day, sums in days.items()
    }


def _daily_sums_from_json(stored: dict) -> dict[date, dict]:
    return {
        date.fromisoformat(day): {
            name: Decimal(value) if isinstance(value, str) else value
            for name, value in sums.items()
        }
        for day, sums in stored.items()
    }


def _window_daily_sums(workspace, start: date, end: date, cached, changed) -> dict[date, dict]:
    """The window's daily sums. After an import, `cached` (the previous snapshot's, for
    the same window) is reused and only the `changed` (from, to) days are read again:
    an import near the end of a year-long history re-reads days, not the whole window."""
    if (
        not cached
        or cached.get("version") != DAILY_SUMS_VERSION
        or cached.get("window") != [start.isoformat(), end.isoformat()]
    ):
        return _daily_sums(workspace, start, end)
    low, high = max(start, _to_date(changed[0])), min(end, _to_date(changed[1]))
    days = {
        day: sums
        for day, sums in _daily_sums_from_json(cached["days"]).items()
        if not low <= day <= high
    }
    if low <= high:
        days.update(_daily_sums(workspace, low, high))
    return days


def dashboard_compute(
    *, workspace, as_of: date | None, cached: dict | None = None, changed=None
) -> tuple[dict, dict]:
    """Everything the dashboard shows, from a handful of aggregate queries, and the daily
    sums it came from (for the next, incremental, recompute: see _window_daily_sums)."""
    if as_of is None:
        return {"as_of": None, "kpis": {}, "headline": {}, "series": {}, "diagnostics": []}, {}
    start = dashboard_window_start(as_of)
    if changed is None or None in changed:  # a full recompute (the beat schedule's)
        cached = None
    days = _window_daily_sums(workspace, start, as_of, cached, changed)
    headline = {}
    for length in HEADLINE_PERIODS:
        current_start = as_of - timedelta(days=length - 1)
        previous_end = current_start - timedelta(days=1)
        current = _window(days, current_start, as_of)
        previous = _window(days, previous_end - timedelta(days=length - 1), previous_end)
        headline[str(length)] = {
            name: {
                "value": (value := evaluate(name, current)),
                "previous": (before := evaluate(name, previous)),
                "change": _change(value, before),
            }
            for name in HEADLINE_KPIS
        }
    series_days = [as_of - timedelta(days=offset) for offset in range(89, -1, -1)]
    series = {
        "periods": [day.isoformat() for day in series_days],
        **{
            name: [evaluate(name, days.get(day, {})) for day in series_days] for name in SERIES_KPIS
        },
    }
    ranking_start = as_of - timedelta(days=29)
    daily = {
        "version": DAILY_SUMS_VERSION,
        "window": [start.isoformat(), as_of.isoformat()],
        "days": _daily_sums_json(days),
    }
    return {
        "as_of": as_of.isoformat(),
        "kpis": {name: entry["value"] for name, entry in headline["30"].items()},
        "headline": headline,
        "series": series,
        **_campaign_ranking(workspace, ranking_start, as_of),
        "feature_adoption": _adoption_ranking(workspace, ranking_start, as_of),
        "diagnostics": [],
        **dashboard_extras(workspace=workspace, as_of=as_of, days=days),
    }, daily


def series_between(series: dict, start: date, end: date) -> dict:
    """The daily series over exactly the days from `start` to `end`, narrowed to the days
    that have data (the first and last day with a value): a chart never draws days outside
    the chosen period, nor zeros before the data begins or after it ends. Empty when no day
    in the period has a value."""
    days = series.get("periods") or []
    names = [name for name in series if name != "periods"]
    first, last = start.isoformat(), end.isoformat()
    kept = [
        index
        for index, day in enumerate(days)
        if first <= day <= last
        and any((series[name] or [None] * len(days))[index] is not None for name in names)
    ]
    if not kept:
        return {"periods": [], **{name: [] for name in names}}
    low, high = kept[0], kept[-1] + 1
    return {"periods": days[low:high], **{name: list(series[name][low:high]) for name in names}}


def dashboard_extras(*, workspace, as_of: date, days: dict) -> dict:
    """Keys added to the snapshot for the shared dashboard: per headline period the funnel,
    conversion by channel and pooled feature adoption; the weekly NPS trend. One query:
    the rest comes from the window's daily sums (`days`, which cover 2 x 90 days)."""
    longest = max(HEADLINE_PERIODS)
    channel_rows = _channel_days(workspace, as_of - timedelta(days=longest - 1), as_of)
    adoption_days = _pooled_adoption_days(days)
    funnel, channels, adoption = {}, {}, {}
    for length in HEADLINE_PERIODS:
        current_start, current_end, previous_start, previous_end = _periods(as_of, length)
        funnel[str(length)] = _funnel(_window(days, current_start, current_end))
        channels[str(length)] = _channels(channel_rows, current_start, current_end)
        adoption[str(length)] = _headline_entry(
            "adoption",
            _window(adoption_days, current_start, current_end),
            _window(adoption_days, previous_start, previous_end),
        )
    return {
        "funnel": funnel,
        "channels": channels,
        "adoption": adoption,
        "nps_series": _nps_weekly(days, as_of - timedelta(days=longest - 1), as_of),
    }
