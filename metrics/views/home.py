"""The workspace home (/w/<slug>/): the team's overview PMs and PMMs steer by. It lives in
metrics, which reads launches and the core, so the core needs to import neither.

Headline KPI tiles over the last 7/30/90 days (read from the precomputed DashboardSnapshot)
with their objectives' verdicts, the current objectives, open diagnoses, upcoming launches
and my tasks. Each tile links to Metrics for the same period: the charts, filters and their
CSV exports are there (metrics.analysis); a Home link with filter parameters is sent on.
The page costs a fixed number of queries whatever the data size.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from alignment import selectors
from alignment.exports import csv_response
from alignment.mixins import WorkspaceViewMixin
from metrics import analysis

# The current objectives shown on Home, each target with its verdict (a KPI read each).
HOME_OBJECTIVES = 5

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


def tile_targets(workspace, today, filters: analysis.DashboardFilters) -> dict[str, dict]:
    """Per KPI, the verdict of the first target of an objective running today that judges
    the number the tile shows: same KPI and same scope (the whole workspace unfiltered; the
    filtered product or channel). A feature- or campaign-scoped target never sits on a
    workspace tile. The verdict carries its own number, over the objective's period so
    far, shown beside it. At most one engine read per tile, so the count stays bounded."""
    from alignment.messaging.models import ObjectiveTarget
    from alignment.messaging.selectors import objective_target_progress

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


class HomeView(WorkspaceViewMixin, TemplateView):
    template_name = "metrics/home.html"

    def get(self, request, *args, **kwargs):
        request.session["last_workspace"] = self.workspace.slug
        export = request.GET.get("export")
        if export in analysis.EXPORTS or any(request.GET.get(p) for p in analysis.FILTER_PARAMS):
            # A link from when Home carried the analysis: the same view on Metrics.
            url = reverse("metrics:index", args=[self.workspace.slug])
            return HttpResponseRedirect(f"{url}?{request.GET.urlencode()}")
        context = self.get_context_data(**kwargs)
        if export:
            return self.export(export, context)
        # A bad period is explained over the default period: a 400.
        return self.render_to_response(context, status=400 if context["filters"].errors else 200)

    def get_context_data(self, **kwargs):
        from launches.models import LaunchTask
        from launches.selectors import launches_upcoming
        from metrics import kpis
        from metrics.selectors import dashboard_get

        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        workspace = self.workspace
        snapshot = dashboard_get(workspace=workspace)
        snapshot_data = snapshot.data if snapshot else {}
        filters = analysis.DashboardFilters(self.request.GET, workspace)
        has_data = bool(snapshot_data.get("as_of"))
        key = filters.period
        headline = (snapshot_data.get("headline") or {}).get(key, {})
        adoption = (snapshot_data.get("adoption") or {}).get(key)
        targets = tile_targets(workspace, today, filters) if has_data else {}
        currency = workspace.currency
        # Each tile's number, analysed on Metrics over the same period.
        metrics_url = reverse("metrics:index", args=[workspace.slug]) + f"?period={key}"
        tiles = []
        for name, label in TILES:
            entry = adoption if name == "adoption" else headline.get(name)
            if not entry:
                continue
            value, previous = entry.get("value"), entry.get("previous")
            tiles.append(
                kpis.kpi_tile(
                    name,
                    value,
                    previous,
                    currency=currency,
                    label=label,
                    target=targets.get(name),
                    analysis_url=metrics_url,
                )
            )
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
        context.update(
            snapshot=snapshot,
            has_data=has_data,
            filters=filters,
            periods=analysis.PERIODS,
            tiles=tiles,
            metrics_url=metrics_url,
            objectives=self._current_objectives(today) if has_data else [],
            diagnostics=snapshot_data.get("diagnostics") or [],
            upcoming_launches=upcoming,
            my_tasks=list(my_tasks),
            products=products[:10] if product_count else [],
            product_count=product_count,
            launch_count=self._launch_count(),
            today=today,
        )
        return context

    def _current_objectives(self, today) -> list:
        """The objectives running today, each with its targets' values and verdicts, as the
        objective pages show them."""
        from alignment.messaging.selectors import objective_list
        from alignment.messaging.selectors import objectives_with_progress

        objectives = (
            objective_list(workspace=self.workspace)
            .filter(period_start__lte=today, period_end__gte=today)
            .order_by("period_end", "id")[:HOME_OBJECTIVES]
        )
        return objectives_with_progress(objectives, workspace=self.workspace)

    def _launch_count(self) -> int:
        from launches.models import Launch

        return Launch.objects.in_workspace(self.workspace).count()

    def export(self, table: str, context: dict):
        """The CSV of one of Home's panels (the analysis's tables export from Metrics)."""
        from metrics.diagnostics import rule_label

        name = f"{self.workspace.slug}-{table}"
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
        raise Http404("No such table.")
