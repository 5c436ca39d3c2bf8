"""Drill-down pages from the dashboard: a campaign's performance, a feature's usage, and
the channels side by side. Each reads the facts through the KPI engine's scoped queries,
a fixed number per page; every table exports as CSV through alignment.exports."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from alignment import selectors as alignment_selectors
from alignment.exports import csv_response
from alignment.mixins import WorkspaceViewMixin
from launches.selectors import campaign_list
from metrics import kpis
from metrics import selectors
from metrics.kpis import Scope
from metrics.kpis import evaluate

RANGES = ("7", "30", "90", "180")
DEFAULT_RANGE = "90"
FUNNEL = ("impressions", "clicks", "visits", "leads", "purchases")
BEFORE_AFTER_DAYS = 30
CAMPAIGN_TILES = ("spend", "revenue", "roi", "roas", "conversion_rate", "ctr", "cpa")
DAILY_CAMPAIGN_KPIS = ("spend", "revenue", "roi", "conversion_rate")
USAGE_KPIS = ("active_users", "adoption", "retention")


def _range(request, workspace) -> tuple[str, date, date]:
    """(days, start, end): the last N days up to the latest day with facts."""
    days = request.GET.get("days") or DEFAULT_RANGE
    if days not in RANGES:
        days = DEFAULT_RANGE
    end = selectors.latest_fact_date(workspace=workspace) or date.today()
    return days, end - timedelta(days=int(days) - 1), end


def _csv(name: str, header: list, rows, *, names, workspace):
    """CSV of machine values: the KPI columns' headers say their unit (`names` are the
    KPIs of the columns after the first, None for a column that is not a KPI)."""
    currency = workspace.currency
    header = [
        header[0],
        *[
            kpis.csv_header(kpi, currency=currency, label=label) if kpi else label
            for kpi, label in zip(names, header[1:], strict=True)
        ],
    ]
    rows = [
        (
            row[0],
            *[kpis.csv_value(kpi, v) if kpi else v for kpi, v in zip(names, row[1:], strict=True)],
        )
        for row in rows
    ]
    return csv_response(name, header, rows)


def _series(days: dict, start: date, end: date, names, *, feature_scoped=False):
    rows = []
    day = start
    while day <= end:
        sums = days.get(day, {})
        rows.append((day, *[evaluate(name, sums, feature_scoped=feature_scoped) for name in names]))
        day += timedelta(days=1)
    return rows


class DrilldownView(WorkspaceViewMixin, TemplateView):
    """A page over the last N days (?days=, `_range`); ?export=<table> downloads one of its
    tables as CSV: `csv_table` gives (file name, header, rows, the columns' KPIs)."""

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        table = self.csv_table(request.GET.get("export"), context)
        if table is None:
            return self.render_to_response(context)
        name, header, rows, names = table
        return _csv(name, header, rows, names=names, workspace=self.workspace)

    def csv_table(self, export: str | None, context: dict):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days, self.start, self.end = _range(self.request, self.workspace)
        context.update(days=days, ranges=RANGES, start=self.start, end=self.end)
        return context


class CampaignPerformanceView(DrilldownView):
    template_name = "metrics/campaign_performance.html"

    def csv_table(self, export, context):
        if export == "daily":
            return (
                f"campaign-{context['campaign'].pk}-daily",
                ["Day", "Spend", "Revenue", "ROI", "Conversion rate"],
                context["daily"],
                DAILY_CAMPAIGN_KPIS,
            )
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = get_object_or_404(
            campaign_list(workspace=self.workspace).prefetch_related("features__product"),
            pk=kwargs["pk"],
        )
        start, end = self.start, self.end
        days = selectors.scoped_daily_sums(
            workspace=self.workspace,
            source="campaign",
            start=start,
            end=end,
            scope=Scope(campaign=campaign),
        )
        total = selectors.window_sums(days, start, end)
        snapshot = selectors.dashboard_get(workspace=self.workspace)
        diagnostics = [
            d
            for d in ((snapshot.data if snapshot else {}).get("diagnostics") or [])
            if d.get("subject_type") == "campaign" and d.get("subject_id") == campaign.pk
        ]
        daily = _series(days, start, end, DAILY_CAMPAIGN_KPIS)
        context.update(
            campaign=campaign,
            tiles=[
                (
                    kpis.KPIS[name].label,
                    kpis.format_kpi(name, evaluate(name, total), currency=self.workspace.currency),
                )
                for name in CAMPAIGN_TILES
            ],
            totals={name: evaluate(name, total) for name in CAMPAIGN_TILES},
            funnel=[(step.title(), int(total.get(step) or 0)) for step in FUNNEL],
            daily=daily,
            chart_data={
                "formats": kpis.chart_formats(currency=self.workspace.currency),
                "periods": [row[0].isoformat() for row in daily],
                "spend": [row[1] for row in daily],
                "revenue": [row[2] for row in daily],
                "funnel": {step: int(total.get(step) or 0) for step in FUNNEL},
            },
            diagnostics=diagnostics,
        )
        return context


class FeatureUsageView(DrilldownView):
    template_name = "metrics/feature_usage.html"

    def csv_table(self, export, context):
        if export == "daily":
            return (
                f"feature-{context['feature'].pk}-daily",
                ["Day", "Active users", "Adoption", "Retention"],
                context["daily"],
                USAGE_KPIS,
            )
        if export == "launches":
            return (
                f"feature-{context['feature'].pk}-launches",
                [
                    "Launch",
                    "Date",
                    "Active users before",
                    "Active users after",
                    "Adoption before",
                    "Adoption after",
                ],
                [
                    (
                        row["launch"].name,
                        row["launch"].launch_date,
                        row["before"]["active_users"],
                        row["after"]["active_users"],
                        row["before"]["adoption"],
                        row["after"]["adoption"],
                    )
                    for row in context["before_after"]
                ],
                (None, "active_users", "active_users", "adoption", "adoption"),
            )
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feature = get_object_or_404(
            alignment_selectors.feature_list(workspace=self.workspace).prefetch_related(
                "campaigns", "launches"
            ),
            pk=kwargs["pk"],
        )
        start, end = self.start, self.end
        launches = sorted(feature.launches.all(), key=lambda launch: launch.launch_date)[:12]
        read_start = min(
            [
                start,
                *[launch.launch_date - timedelta(days=BEFORE_AFTER_DAYS) for launch in launches],
            ]
        )
        read_start = max(read_start, end - timedelta(days=730))  # at most two years
        days = selectors.scoped_daily_sums(
            workspace=self.workspace,
            source="usage",
            start=read_start,
            end=end,
            scope=Scope(feature=feature),
        )
        metrics = USAGE_KPIS

        def summary(low, high):
            sums = selectors.window_sums(days, low, high)
            return {name: evaluate(name, sums, feature_scoped=True) for name in metrics}

        before_after = []
        for launch in launches:
            day = launch.launch_date
            before_after.append(
                {
                    "launch": launch,
                    "before": summary(day - timedelta(days=BEFORE_AFTER_DAYS), day - timedelta(1)),
                    "after": summary(day, day + timedelta(days=BEFORE_AFTER_DAYS - 1)),
                    "complete": day + timedelta(days=BEFORE_AFTER_DAYS - 1) <= end,
                }
            )
        daily = _series(days, start, end, metrics, feature_scoped=True)
        context.update(
            feature=feature,
            totals=summary(start, end),
            daily=daily,
            campaigns=list(feature.campaigns.all()),
            before_after=before_after,
            before_after_days=BEFORE_AFTER_DAYS,
            chart_data={
                "formats": kpis.chart_formats(currency=self.workspace.currency),
                "periods": [row[0].isoformat() for row in daily],
                "active_users": [row[1] for row in daily],
                "adoption": [row[2] for row in daily],
                "launches": [
                    {"date": launch.launch_date.isoformat(), "name": launch.name}
                    for launch in launches
                ],
            },
        )
        return context


class ChannelComparisonView(DrilldownView):
    template_name = "metrics/channel_comparison.html"

    def csv_table(self, export, context):
        if export == "channels":
            names = ("spend", "revenue", "visits", "purchases", "conversion_rate", "roi")
            return (
                "channels",
                ["Channel", "Spend", "Revenue", "Visits", "Purchases", "Conversion rate", "ROI"],
                [(c["channel"], *[c[name] for name in names]) for c in context["channels"]],
                names,
            )
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start, end = self.start, self.end
        products = alignment_selectors.product_list(workspace=self.workspace)
        product_id = self.request.GET.get("product") or ""
        product = products.filter(pk=product_id).first() if product_id.isdigit() else None
        try:
            channels = selectors.channel_comparison(
                workspace=self.workspace, start=start, end=end, product=product
            )
        except ValidationError:  # pragma: no cover - the range is always valid here
            channels = []
        context.update(
            product=product,
            product_choices=list(products.values_list("pk", "name")),
            channels=channels,
            highlight=self.request.GET.get("channel", ""),
            chart_data={
                "formats": kpis.chart_formats(currency=self.workspace.currency),
                "channels": [c["channel"] for c in channels],
                "conversion_rate": [c["conversion_rate"] for c in channels],
                "roi": [c["roi"] for c in channels],
            },
        )
        return context
