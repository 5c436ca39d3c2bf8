"""The metrics dashboard page: the analysis over a period, a product or a channel, read
from the precomputed snapshot when it can be. Same selectors as the API."""

from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from alignment import selectors as alignment_selectors
from alignment.mixins import WorkspaceViewMixin
from metrics import analysis
from metrics import kpis
from metrics import selectors

TILE_KPIS = selectors.HEADLINE_KPIS  # the snapshot's headline, in its order
FUNNEL_ITEMS = tuple(analysis.FUNNEL_LABELS.items())


class MetricsIndexView(WorkspaceViewMixin, TemplateView):
    """The analysis: tiles, charts, rankings and their data tables over a period (7/30/90
    days or a custom range), for the whole workspace or one product or channel, with a CSV
    of every table (`?export=<table>`). See metrics.analysis.

    Over a 7/30/90-day period of the whole workspace the page reads the precomputed
    snapshot, never the facts: its body is rendered once per snapshot version and period and
    kept in this process's memory, so a request reads the snapshot's version, not its data.
    A custom range or a filter is computed through the KPI engine's scoped queries.
    """

    template_name = "metrics/index.html"
    body_template_name = "metrics/_dashboard_body.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        table = request.GET.get("export")
        if table:
            if not context["has_data"]:
                raise Http404("No dashboard yet.")
            return analysis.export(self.workspace, table, context["analysis"])
        # Bad filters are explained next to their fields over the default period: a 400.
        return self.render_to_response(context, status=400 if context["filters"].errors else 200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workspace = self.workspace
        snapshot = selectors.dashboard_get(workspace=workspace, with_data=False)
        filters = analysis.DashboardFilters(self.request.GET, workspace)
        has_data = snapshot is not None and snapshot.as_of is not None
        body, data = "", None
        if has_data:
            exporting = bool(self.request.GET.get("export"))
            if filters.from_snapshot and not exporting:
                body = self.render_body(snapshot, filters)
            else:
                data, key = analysis.dashboard_data(workspace, filters, snapshot.data)
                data = self.body_context(data, key, filters, with_targets=True)
                if not exporting:
                    body = render_to_string(self.body_template_name, data)
        context.update(
            snapshot=snapshot,
            has_data=has_data,
            filters=filters,
            period=filters.period,
            periods=list(analysis.PERIODS),
            product_choices=(
                list(
                    alignment_selectors.product_list(workspace=workspace).values_list("pk", "name")
                )
                if has_data
                else []
            ),
            analysis=data,
            body=mark_safe(body),  # noqa: S308 - our own template's output
        )
        return context

    def product_choices(self) -> list[tuple[int, str]]:
        products = alignment_selectors.product_list(workspace=self.workspace)
        return list(products.values_list("pk", "name"))

    def body_context(self, data: dict, key: str, filters, with_targets=False) -> dict:
        """What the body template shows of `data` (the snapshot's or a range's) over the
        filters' period: tiles judged and formatted by metrics.kpis, the period's series,
        funnel, channels and rankings, and the charts' data."""
        from metrics.views.home import TILES
        from metrics.views.home import tile_targets

        currency = self.workspace.currency
        labels = dict(TILES)  # a KPI on Home and here reads under one name
        headline = (data.get("headline") or {}).get(key, {})
        targets = {}
        if with_targets and headline:
            targets = tile_targets(self.workspace, timezone.localdate(), filters)
        series = selectors.series_between(
            data.get("series") or {}, *analysis.period_bounds(filters, data)
        )
        tiles = []
        for name in TILE_KPIS:
            if name not in headline:
                continue
            value, previous = headline[name].get("value"), headline[name].get("previous")
            tile = kpis.kpi_tile(name, value, previous, currency=currency, target=targets.get(name))
            if name in labels:
                tile["label"] = labels[name]
            tiles.append(tile)
        funnel = (data.get("funnel") or {}).get(key, {})
        channels = (data.get("channels") or {}).get(key, [])
        query = urlencode(filters.query())
        return {
            "workspace": self.workspace,
            "data": data,
            "tiles": tiles,
            "currency": currency,
            # The charts' series, with how each KPI reads (money in the currency).
            "series": {**series, "formats": kpis.chart_formats(currency=currency)},
            "series_rows": list(
                zip(
                    series.get("periods", []),
                    series.get("spend", []),
                    series.get("revenue", []),
                    strict=False,
                )
            ),
            "period": filters.period,
            "from_snapshot": filters.from_snapshot,
            "query": query,
            "funnel": [(label, funnel.get(step, 0)) for step, label in FUNNEL_ITEMS],
            "channels": channels,
            "empty_charts": analysis.empty_charts(series, funnel, channels, data),
            "import_url": reverse("metrics:import_create", args=[self.workspace.slug]),
            "chart_data": {
                "formats": kpis.chart_formats(currency=currency),
                "funnel": funnel,
                "channels": channels,
                "adoption": data.get("feature_adoption") or [],
                "nps": data.get("nps_series") or [],
            },
        }

    def render_body(self, snapshot, filters) -> str:
        def render(data: dict) -> str:
            context = self.body_context(data, filters.period, filters)
            return render_to_string(self.body_template_name, context)

        # The currency is in the name: changing it renders the body again.
        currency = self.workspace.currency
        return selectors.dashboard_made(snapshot, f"page-{filters.period}-{currency}", render)
