# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""Reads of the metrics app. The API and the pages call the same functions.

The KPI engine lives in metrics/kpis.py; `kpi_value` is re-exported here for other apps
(objectives read their current values through it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet

from alignment.models import Feature
from launches.models import Campaign
from metrics.filters import ImportJobFilterSet
from metrics.kpis import KPIS, SUMS, evaluate, kpi_compute, kpi_sql, kpi_value  # noqa: F401
from metrics.models import (
    CampaignMetric,
    ColumnMapping,
    DashboardSnapshot,
    Diagnosis,
    DiagnosticSettings,
    ImportJob,
)

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
RANKING_SIZE = 5


def import_job_list(*, workspace, filters=None) -> QuerySet[ImportJob]:
    queryset = ImportJob.objects.in_workspace(workspace).select_related("workspace", "mapping")
    return ImportJobFilterSet.apply(filters, queryset, workspace=workspace)


def columnmapping_list(*, workspace, kind: str | None = None) -> QuerySet[ColumnMapping]:
    queryset = ColumnMapping.objects.in_workspace(workspace)
    return queryset.filter(kind=kind) if kind else queryset


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


def _to_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# The pooled adoption across every feature (dashboard_extras) is kept among the daily sums
# under these names, so that an incremental recompute re-reads it for the changed days only.
POOLED_ADOPTION = {"feature_active": "pooled_feature_active", "product_active": "pooled_active"}
# Bumped when the daily sums gain or change a key: older cached sums are then read afresh.
DAILY_SUMS_VERSION = 2


def _daily_sums(workspace, start: date, end: date) -> dict[date, dict]:
    """Per day, every sum the KPIs need - three GROUP BY queries over the window - and the
    pooled feature adoption (one more)."""
    from metrics.kpis import Scope, _source_query

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


def _campaign_ranking(workspace, start: date, end: date, scope=None) -> dict:
    from metrics.kpis import Scope, _source_query

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


def _money(value):
    from decimal import Decimal

    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


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


# --- Dashboard extras: the funnel, channels, adoption and NPS trend -----------------------

FUNNEL_STEPS = ("impressions", "clicks", "visits", "leads", "purchases")
MAX_RANGE_DAYS = 366


def _periods(as_of: date, length: int):
    """(current_start, current_end, previous_start, previous_end) of a period ending as_of."""
    current_start = as_of - timedelta(days=length - 1)
    previous_end = current_start - timedelta(days=1)
    return current_start, as_of, previous_end - timedelta(days=length - 1), previous_end


def _funnel(sums: dict) -> dict:
    return {step: int(sums.get(step) or 0) for step in FUNNEL_STEPS}


def _channel_days(workspace, start: date, end: date, scope=None) -> list[tuple]:
    """(channel, day, spend, visits, purchases, revenue) rows: one GROUP BY query."""
    from metrics.kpis import Scope, _source_query

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


def dashboard_range(*, workspace, start: date, end: date, product=None, channel=None) -> dict:
    """The dashboard for a custom range and/or a product or channel filter, computed through
    the KPI engine's scoped fact queries (a fixed number, whatever the data size), in the
    snapshot's shape under the period key "custom". Survey KPIs cannot be scoped: they are
    left out when a filter is set; usage KPIs are left out for a channel filter."""
    from metrics.kpis import Scope, _source_query

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


# --- Drill-downs: a campaign, a feature, the channels --------------------------------------


def scoped_daily_sums(*, workspace, source: str, start: date, end: date, scope=None) -> dict:
    """Per day, every sum of one source ("campaign" | "usage" | "survey") in a scope:
    one GROUP BY query through the KPI engine's fact query."""
    from metrics.kpis import Scope, _source_query

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


# --- Diagnostics --------------------------------------------------------------------------


def diagnosis_list(*, workspace, filters=None) -> QuerySet[Diagnosis]:
    """Diagnoses, the live ones first, then by severity and newest."""
    from django.db.models import Case, IntegerField, Value, When

    from metrics.filters import DiagnosisFilterSet

    queryset = (
        Diagnosis.objects.in_workspace(workspace)
        .select_related("workspace", "state_changed_by")
        .annotate(
            live_rank=Case(
                When(state="open", then=Value(0)),
                When(state="acknowledged", then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            severity_rank=Case(
                *[When(severity=k, then=Value(v)) for k, v in Diagnosis.SEVERITY_ORDER.items()],
                output_field=IntegerField(),
            ),
        )
        .order_by("live_rank", "severity_rank", "-detected_at", "-id")
    )
    return DiagnosisFilterSet.apply(filters, queryset, workspace=workspace)


def diagnoses_for_subject(workspace, subject_type: str, subject_id: int) -> list[Diagnosis]:
    """The live (open or acknowledged) diagnoses about one campaign, feature or launch."""
    return list(
        diagnosis_list(workspace=workspace).filter(
            subject_type=subject_type, subject_id=subject_id, state__in=Diagnosis.LIVE
        )
    )


def diagnostic_settings_get(*, workspace) -> DiagnosticSettings:
    from metrics.diagnostics.engine import settings_for

    return settings_for(workspace)
