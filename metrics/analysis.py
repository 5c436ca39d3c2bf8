"""The dashboard's analysis, read from the URL: the period (7/30/90 days or a custom range),
the product and channel filters, the data they select and its CSV exports. The Metrics page
(metrics.views.dashboard.MetricsIndexView) is where it is shown; Home only links to it.

The 7/30/90-day periods read the precomputed DashboardSnapshot; a custom range or a product
or channel filter is computed through the KPI engine's scoped queries
(metrics.selectors.dashboard_range), a fixed number of queries whatever the data size.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.http import Http404

from alignment import selectors as alignment_selectors
from alignment.dates import date_span_validators
from alignment.exports import csv_response

PERIODS = ("7", "30", "90")
DEFAULT_PERIOD = "30"
FUNNEL_LABELS = {
    "impressions": "Impressions",
    "clicks": "Clicks",
    "visits": "Visits",
    "leads": "Leads",
    "purchases": "Purchases",
}
# The query parameters of the analysis: a link to Home carrying any of them (but the period)
# is a link to this analysis.
FILTER_PARAMS = ("from", "to", "product", "channel")
EXPORTS = ("kpis", "series", "funnel", "channels", "adoption", "nps")
EXPORTS += ("top_campaigns", "bottom_campaigns")


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
                alignment_selectors.product_list(workspace=workspace)
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


def empty_charts(series: dict, funnel: dict, channels: list, data: dict) -> dict[str, bool]:
    """Per chart, whether it has nothing to draw over the period: the page then says what is
    missing and links to the import page, instead of drawing bare axes."""
    money = [v for name in ("spend", "revenue") for v in series.get(name) or []]
    return {
        "money": all(value is None for value in money),
        "users": all(value is None for value in series.get("active_users") or []),
        "funnel": not any(funnel.values()),
        "channels": not channels,
        "adoption": not data.get("feature_adoption"),
        "nps": all(week.get("nps") is None for week in data.get("nps_series") or []),
    }


def export(workspace, table: str, context: dict):
    """The CSV of one of the analysis's tables. CSV exports carry machine values (fractions,
    amounts, scores), and each header says the unit: "Conversion rate (fraction)",
    "Spend (USD)"."""
    from metrics import kpis

    data = context["data"]
    name = f"{workspace.slug}-{table}"
    currency = workspace.currency

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
                    t["target"]["label"] if t.get("target") else "",
                )
            )
        return csv_response(
            name,
            ["KPI", "Unit", "Value", "Previous period", "Change", "Change unit", "Target"],
            rows,
        )
    if table == "series":
        series = context["series"]
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
            [(f["name"], f["product"], f["adoption"]) for f in data.get("feature_adoption", [])],
        )
    if table == "nps":
        return csv_response(
            name,
            ["Week", header("nps")],
            [(w["week"], w["nps"]) for w in data.get("nps_series", [])],
        )
    raise Http404("No such table.")
