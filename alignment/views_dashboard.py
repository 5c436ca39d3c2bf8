"""The workspace home: the shared dashboard PMs and PMMs steer by.

It reads the precomputed DashboardSnapshot for the 7/30/90-day periods; a custom range or
a product/channel filter is computed through the KPI engine's scoped queries
(metrics.selectors.dashboard_range). Either way the page costs a fixed number of queries
whatever the data size. Every table can be exported as CSV (`?export=<table>`), through
alignment.exports.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from alignment import selectors
from alignment.dates import date_span_validators
from alignment.exports import csv_response
from alignment.mixins import WorkspaceViewMixin

PERIODS = ("7", "30", "90")
DEFAULT_PERIOD = "30"

# The headline tiles, in order: (KPI, label). Values, changes and targets are judged and
# formatted by the KPI module (metrics.kpis).
TILES = (
    ("roi", "ROI"),
    ("roas", "ROAS"),
    ("conversion_rate", "Conversion rate"),
    ("ctr", "CTR"),
    ("spend", "Spend"),
    ("revenue", "Revenue"),
    ("active_users", "Active users (daily avg.)"),
    ("adoption", "Feature adoption (all features)"),
    ("retention", "Retention"),
    ("nps", "NPS"),
)
FUNNEL_LABELS = {
    "impressions": "Impressions",
    "clicks": "Clicks",
    "visits": "Visits",
    "leads": "Leads",
    "purchases": "Purchases",
}


def _parse_date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: ["Enter a date as YYYY-MM-DD."]}) from None
    try:
        for validator in date_span_validators():
            validator(parsed)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return parsed


class DashboardFilters:
    """The URL's period, custom range, product and channel, validated."""

    def __init__(self, params, workspace):
        self.errors: dict[str, list[str]] = {}
        self.period = params.get("period") or DEFAULT_PERIOD
        if params.get("from") or params.get("to"):
            self.period = "custom"  # the custom range form sends its dates with the period
        if self.period not in (*PERIODS, "custom"):
            self.errors["period"] = ["Choose 7, 30 or 90 days, or a custom range."]
            self.period = DEFAULT_PERIOD
        self.start = self.end = None
        if self.period == "custom":
            try:
                self.start = _parse_date(params.get("from"), "from")
                self.end = _parse_date(params.get("to"), "to")
            except ValidationError as error:
                self.errors.update(error.message_dict)
            if not self.errors and not (self.start and self.end):
                self.errors["from"] = ["Give both dates of the custom range."]
            if self.errors:
                self.period = DEFAULT_PERIOD
        self.product = None
        product_id = params.get("product") or ""
        if product_id:
            self.product = (
                selectors.product_list(workspace=workspace)
                .filter(pk=product_id if product_id.isdigit() else 0)
                .first()
            )
            if self.product is None:
                self.errors["product"] = ["Unknown product."]
        self.channel = (params.get("channel") or "").strip()[:60]

    @property
    def from_snapshot(self) -> bool:
        return self.period in PERIODS and not self.product and not self.channel

    def query(self) -> dict:
        query = {"period": self.period}
        if self.period == "custom":
            query.update({"from": self.start.isoformat(), "to": self.end.isoformat()})
        if self.product:
            query["product"] = self.product.pk
        if self.channel:
            query["channel"] = self.channel
        return query


def period_bounds(filters: DashboardFilters, snapshot_data: dict) -> tuple[date, date]:
    """The first and last day of the chosen period: a custom range, or the last 7/30/90
    days to the snapshot's day."""
    if filters.period == "custom":
        return filters.start, filters.end
    end = date.fromisoformat(snapshot_data["as_of"])
    return end - timedelta(days=int(filters.period) - 1), end


def dashboard_data(workspace, filters: DashboardFilters, snapshot_data: dict):
    """(data, period key) for the filters: the snapshot's, or computed for a range/filter."""
    from metrics.selectors import dashboard_range

    if filters.from_snapshot:
        return snapshot_data, filters.period
    start, end = period_bounds(filters, snapshot_data)
    try:
        data = dashboard_range(
            workspace=workspace,
            start=start,
            end=end,
            product=filters.product,
            channel=filters.channel,
        )
    except ValidationError as error:
        filters.errors.update(error.message_dict)
        filters.period = DEFAULT_PERIOD
        return snapshot_data, DEFAULT_PERIOD
    return data, "custom"


def tile_targets(workspace, today: date, filters: DashboardFilters) -> dict[str, dict]:
    """Per KPI, the verdict of the first target of an objective running today that judges
    the number the tile shows: same KPI and same scope (the whole workspace unfiltered; the
    filtered product or channel). A feature- or campaign-scoped target never sits on a
    workspace tile. The verdict carries its own number, over the objective's period so
    far, shown beside it. At most one engine read per tile, so the count stays bounded."""
    from alignment.models_messaging import ObjectiveTarget
    from alignment.selectors_messaging import objective_target_progress

    if filters.product and filters.channel:
        return {}
    if filters.product:
        scope = {"scope": ObjectiveTarget.Scope.PRODUCT, "scope_id": filters.product.pk}
    elif filters.channel:
        scope = {"scope": ObjectiveTarget.Scope.CHANNEL, "scope_value": filters.channel}
    else:
        scope = {"scope": ObjectiveTarget.Scope.WORKSPACE}
    targets = (
        ObjectiveTarget.objects.in_workspace(workspace)
        .filter(
            objective__period_start__lte=today,
            objective__period_end__gte=today,
            kpi__in=[name for name, _label in TILES],
            **scope,
        )
        .select_related("objective", "objective__workspace", "workspace")
        .order_by("kpi", "objective__period_end", "id")
    )
    first: dict[str, ObjectiveTarget] = {}
    for target in targets:
        first.setdefault(target.kpi, target)
    return {
        kpi: {
            **objective_target_progress(target, today=today),
            "target": target,
            "since": target.objective.period_start,
            "until": min(target.objective.period_end, today),
        }
        for kpi, target in first.items()
    }


def empty_charts(series: dict, funnel: dict, channels: list, data: dict) -> dict[str, bool]:
    """Per chart, whether it has nothing to draw over the period: the page then says what is
    missing and links to the import page, instead of drawing bare axes."""
    money = [v for name in ("spend", "revenue") for v in series.get(name) or []]
    return {
        "money": all(value is None for value in money),
        "funnel": not any(funnel.values()),
        "channels": not channels,
        "adoption": not data.get("feature_adoption"),
        "nps": all(week.get("nps") is None for week in data.get("nps_series") or []),
    }


class DashboardView(WorkspaceViewMixin, TemplateView):
    template_name = "alignment/dashboard.html"

    def get(self, request, *args, **kwargs):
        request.session["last_workspace"] = self.workspace.slug
        context = self.get_context_data(**kwargs)
        export = request.GET.get("export")
        if export:
            return self.export(export, context)
        # Bad filters are explained next to their fields over the default period: a 400.
        return self.render_to_response(context, status=400 if context["filters"].errors else 200)

    def get_context_data(self, **kwargs):
        from launches.models import LaunchTask
        from launches.selectors import launches_upcoming
        from metrics import kpis
        from metrics.selectors import dashboard_get, series_between

        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        workspace = self.workspace
        snapshot = dashboard_get(workspace=workspace)
        snapshot_data = snapshot.data if snapshot else {}
        filters = DashboardFilters(self.request.GET, workspace)
        has_data = bool(snapshot_data.get("as_of"))
        data, key = dashboard_data(workspace, filters, snapshot_data) if has_data else ({}, "")
        headline = (data.get("headline") or {}).get(key, {})
        adoption = (data.get("adoption") or {}).get(key)
        targets = tile_targets(workspace, today, filters) if has_data else {}
        currency = workspace.currency
        metrics_url = ""
        if filters.from_snapshot:
            metrics_url = reverse("metrics:index", args=[workspace.slug]) + (
                f"?period={filters.period}"
            )
        tiles = []
        for name, label in TILES:
            entry = adoption if name == "adoption" else headline.get(name)
            if not entry:
                continue
            value, previous = entry.get("value"), entry.get("previous")
            tiles.append(
                {
                    "name": name,
                    "label": label,
                    "value": value,
                    "display": kpis.format_kpi(name, value, currency=currency),
                    "previous": previous,
                    "previous_display": kpis.format_kpi(name, previous, currency=currency),
                    "change": kpis.kpi_change(name, value, previous),
                    "target": targets.get(name),
                    # The tile's number, analysed on Metrics over the same period.
                    "analysis_url": metrics_url if filters.from_snapshot else "",
                }
            )
        funnel = (data.get("funnel") or {}).get(key, {})
        # The charts draw the chosen period only (the snapshot's series covers 90 days),
        # narrowed to the days with data.
        series = {}
        if has_data:
            series = series_between(data.get("series") or {}, *period_bounds(filters, data))
        channels = (data.get("channels") or {}).get(key, [])
        products = selectors.product_list(workspace=workspace)
        upcoming = [
            launch
            for launch in launches_upcoming(workspace=workspace, today=today, limit=20)
            if launch.launch_date <= today + timedelta(days=30)
        ]
        my_tasks = (
            LaunchTask.objects.in_workspace(workspace)
            .filter(assignee=self.request.user)
            .exclude(status=LaunchTask.Status.DONE)
            .select_related("launch")
            .order_by("due_date", "id")[:10]
        )
        product_count = products.count()
        series_rows = list(
            zip(
                series.get("periods", []),
                series.get("spend", []),
                series.get("revenue", []),
                strict=False,
            )
        )
        context.update(
            snapshot=snapshot,
            has_data=has_data,
            data=data,
            filters=filters,
            query=filters.query(),
            periods=PERIODS,
            tiles=tiles,
            series_rows=series_rows,
            funnel=[(FUNNEL_LABELS[step], funnel.get(step, 0)) for step in FUNNEL_LABELS],
            channels=channels,
            empty_charts=empty_charts(series, funnel, channels, data),
            import_url=reverse("metrics:import_create", args=[workspace.slug]),
            diagnostics=snapshot_data.get("diagnostics") or [],
            upcoming_launches=upcoming,
            my_tasks=list(my_tasks),
            products=products[:10] if product_count else [],
            product_count=product_count,
            product_choices=list(products.values_list("pk", "name")),
            launch_count=self._launch_count(),
            today=today,
            chart_data={
                "formats": kpis.chart_formats(currency=self.workspace.currency),
                "series": series,
                "funnel": funnel,
                "channels": channels,
                "adoption": data.get("feature_adoption") or [],
                "nps": data.get("nps_series") or [],
            },
        )
        return context

    def _launch_count(self) -> int:
        from launches.models import Launch

        return Launch.objects.in_workspace(self.workspace).count()

    def export(self, table: str, context: dict):
        """CSV exports carry machine values (fractions, amounts, scores), and each header
        says the unit: "Conversion rate (fraction)", "Spend (USD)"."""
        from metrics import kpis
        from metrics.diagnostics import rule_label

        data = context["data"]
        name = f"{self.workspace.slug}-{table}"
        currency = self.workspace.currency

        def header(kpi: str, label: str | None = None) -> str:
            return kpis.csv_header(kpi, currency=currency, label=label)

        def cell(kpi: str, value):
            return kpis.csv_value(kpi, value)

        if table in ("top_campaigns", "bottom_campaigns"):
            return csv_response(
                name,
                ["Campaign", header("roi"), header("spend"), header("revenue")],
                [
                    (c["name"], c["roi"], cell("spend", c["spend"]), cell("revenue", c["revenue"]))
                    for c in data.get(table, [])
                ],
            )
        if table == "kpis":
            rows = []
            for t in context["tiles"]:
                change = t["change"]
                rows.append(
                    (
                        t["label"],
                        kpis.csv_unit(t["name"], currency=currency),
                        cell(t["name"], t["value"]),
                        cell(t["name"], t["previous"]),
                        None if change is None else change.amount,
                        "" if change is None else kpis.CHANGE_UNITS[change.unit],
                        t["target"]["label"] if t["target"] else "",
                    )
                )
            return csv_response(
                name,
                ["KPI", "Unit", "Value", "Previous period", "Change", "Change unit", "Target"],
                rows,
            )
        if table == "series":
            series = context["chart_data"]["series"]
            return csv_response(
                name,
                ["Day", header("spend"), header("revenue")],
                zip(
                    series.get("periods", []),
                    [cell("spend", v) for v in series.get("spend", [])],
                    [cell("revenue", v) for v in series.get("revenue", [])],
                    strict=False,
                ),
            )
        if table == "funnel":
            return csv_response(name, ["Step", "Count"], context["funnel"])
        if table == "channels":
            return csv_response(
                name,
                [
                    "Channel",
                    header("visits"),
                    header("purchases"),
                    header("conversion_rate"),
                    header("spend"),
                    header("revenue"),
                    header("roi"),
                ],
                [
                    (
                        c["channel"],
                        c["visits"],
                        c["purchases"],
                        c["conversion_rate"],
                        cell("spend", c["spend"]),
                        cell("revenue", c["revenue"]),
                        c["roi"],
                    )
                    for c in context["channels"]
                ],
            )
        if table == "adoption":
            return csv_response(
                name,
                ["Feature", "Product", header("adoption")],
                [
                    (f["name"], f["product"], f["adoption"])
                    for f in data.get("feature_adoption", [])
                ],
            )
        if table == "nps":
            return csv_response(
                name,
                ["Week", header("nps")],
                [(w["week"], w["nps"]) for w in data.get("nps_series", [])],
            )
        if table == "diagnostics":
            return csv_response(
                name,
                ["Severity", "Team", "Rule", "Message"],
                [
                    (d.get("severity"), d.get("team"), rule_label(d.get("rule")), d.get("message"))
                    for d in context["diagnostics"]
                ],
            )
        if table == "launches":
            return csv_response(
                name,
                ["Launch", "Date", "Status", "Readiness %", "Schedule", "At risk"],
                [
                    (
                        launch.name,
                        launch.launch_date,
                        launch.get_status_display(),
                        launch.health.readiness,
                        launch.health.schedule,
                        "yes" if launch.health.at_risk else "no",
                    )
                    for launch in context["upcoming_launches"]
                ],
            )
        if table == "tasks":
            return csv_response(
                name,
                ["Task", "Launch", "Due", "Status"],
                [
                    (task.title, task.launch.name, task.due_date, task.get_status_display())
                    for task in context["my_tasks"]
                ],
            )
        from django.http import Http404

        raise Http404("No such table.")


class SearchView(WorkspaceViewMixin, TemplateView):
    """The results page of the top bar's search box."""

    template_name = "alignment/search.html"

    def get_context_data(self, **kwargs):
        from alignment.search import MIN_QUERY_LENGTH, search

        context = super().get_context_data(**kwargs)
        query = (self.request.GET.get("q") or "").strip()[:200]
        context.update(
            q=query,
            groups=search(workspace=self.workspace, query=query),
            min_length=MIN_QUERY_LENGTH,
        )
        return context
