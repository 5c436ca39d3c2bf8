"""The metrics pages: dashboard, imports (upload with live progress, result, errors.csv)
and saved column mappings. Same selectors and services as the API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from alignment import selectors as alignment_selectors
from alignment.mixins import (
    WorkspaceDetailView,
    WorkspaceListView,
    WorkspaceUpdateView,
    WorkspaceViewMixin,
)
from alignment.redirects import safe_next_url
from metrics import analysis, kpis, selectors, services, services_diagnostics
from metrics.filters import DiagnosisFilterSet, ImportJobFilterSet
from metrics.forms import ColumnMappingForm, DiagnosticSettingsForm, ImportForm
from metrics.importing.reader import PRESETS
from metrics.models import ColumnMapping, Diagnosis, DiagnosticSettings, ImportJob, ImportKind

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
        from alignment.views_dashboard import TILES, tile_targets

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
            tiles.append(
                {
                    "name": name,
                    "label": labels.get(name, kpis.KPIS[name].label),
                    "value": value,
                    "display": kpis.format_kpi(name, value, currency=currency),
                    "previous": previous,
                    "previous_display": kpis.format_kpi(name, previous, currency=currency),
                    "change": kpis.kpi_change(name, value, previous),
                    "target": targets.get(name),
                }
            )
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


class ImportListView(WorkspaceListView):
    model = ImportJob
    template_name = "metrics/import_list.html"
    filterset_class = ImportJobFilterSet
    paginate_by = 25

    def get_workspace_queryset(self):
        return selectors.import_job_list(workspace=self.workspace)


class ImportCreateView(WorkspaceViewMixin, FormView):
    requires_write = True
    form_class = ImportForm
    upload_max_size = staticmethod(services.max_import_size)  # alignment.uploads
    template_name = "metrics/import_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "workspace": self.workspace}

    def get_initial(self):
        # An empty chart links here with the kind of file it lacks (?kind=campaign).
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in ImportKind.values else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(presets=PRESETS, **kwargs)

    def form_valid(self, form):
        try:
            job = services.import_job_create(
                actor=self.request.user, workspace=self.workspace, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        # Without a worker (the embedded default) the import ran before this line: say so
        # only while it is really waiting or running; the page shows the result otherwise.
        job.refresh_from_db(fields=["status"])
        if not job.is_finished:
            messages.success(self.request, "File received: the import is running.")
        return HttpResponseRedirect(job.get_absolute_url())


class ImportDetailView(WorkspaceDetailView):
    model = ImportJob
    template_name = "metrics/import_detail.html"

    def get_workspace_queryset(self):
        return selectors.import_job_list(workspace=self.workspace)

    def get_template_names(self):
        # htmx polls the status block alone until the job is finished.
        if self.request.headers.get("HX-Request"):
            return ["metrics/_import_status.html"]
        return [self.template_name]


class ImportErrorsView(WorkspaceViewMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        job = get_object_or_404(
            selectors.import_job_list(workspace=self.workspace), pk=kwargs["pk"]
        )
        if not job.errors_file:
            raise Http404("This import rejected no rows.")
        return FileResponse(
            job.errors_file.open("rb"),
            as_attachment=True,
            filename=f"import-{job.pk}-errors.csv",
            content_type="text/csv; charset=utf-8",
        )


class MappingListView(WorkspaceViewMixin, ListView):
    model = ColumnMapping
    template_name = "metrics/mapping_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.columnmapping_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        return super().get_context_data(presets=PRESETS, **kwargs)


class MappingCreateView(WorkspaceViewMixin, FormView):
    requires_write = True
    form_class = ColumnMappingForm
    template_name = "metrics/mapping_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "workspace": self.workspace}

    def form_valid(self, form):
        try:
            services.columnmapping_create(
                actor=self.request.user, workspace=self.workspace, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "Mapping saved: pick it when you upload a file.")
        return HttpResponseRedirect(reverse("metrics:mapping_list", args=[self.workspace.slug]))


# --- Diagnostics --------------------------------------------------------------------------


class DiagnosisListView(WorkspaceListView):
    """What the rules found, live ones first; filter by rule, team, severity and state."""

    model = Diagnosis
    template_name = "metrics/diagnosis_list.html"
    filterset_class = DiagnosisFilterSet
    paginate_by = 50

    def get_workspace_queryset(self):
        return selectors.diagnosis_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["settings_obj"] = selectors.diagnostic_settings_get(workspace=self.workspace)
        return context


class DiagnosisDetailView(WorkspaceDetailView):
    """One diagnosis: its card (chart, next step, actions), its evidence as a table, what
    folded into it and, once folded itself, the diagnosis it went to."""

    model = Diagnosis
    template_name = "metrics/diagnosis_detail.html"

    def get_workspace_queryset(self):
        return selectors.diagnosis_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["single"] = [self.object]
        folded_into = self.object.evidence.get("folded_into")
        context["folded_into"] = (
            self.get_workspace_queryset().filter(pk=folded_into).first() if folded_into else None
        )
        return context


class DiagnosisActionView(WorkspaceViewMixin, View):
    """POST-only actions on one diagnosis; back to where the button was."""

    model = Diagnosis
    requires_write = True

    def get_diagnosis(self):
        return get_object_or_404(
            selectors.diagnosis_list(workspace=self.workspace), pk=self.kwargs["pk"]
        )

    def back(self):
        fallback = reverse("metrics:diagnosis_list", args=[self.workspace.slug])
        return HttpResponseRedirect(safe_next_url(self.request, fallback))


class DiagnosisStateView(DiagnosisActionView):
    def post(self, request, *args, **kwargs):
        try:
            services_diagnostics.diagnosis_set_state(
                actor=request.user,
                diagnosis=self.get_diagnosis(),
                state=request.POST.get("state", ""),
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Diagnosis {request.POST.get('state')}.")
        return self.back()


class DiagnosisFeedbackView(DiagnosisActionView):
    def post(self, request, *args, **kwargs):
        try:
            feedback = services_diagnostics.diagnosis_to_feedback(
                actor=request.user, diagnosis=self.get_diagnosis()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.back()
        messages.success(request, f"Sent to the {feedback.to_team} team as feedback.")
        return HttpResponseRedirect(feedback.get_absolute_url())


class DiagnosticsRunView(DiagnosisActionView):
    def post(self, request, *args, **kwargs):
        result = services_diagnostics.diagnostics_run(workspace=self.workspace)
        messages.success(
            request,
            f"Rules run: {len(result.created)} new, {len(result.updated)} still holding, "
            f"{len(result.resolved)} resolved.",
        )
        return self.back()


class DiagnosticSettingsView(WorkspaceUpdateView):
    model = DiagnosticSettings
    form_class = DiagnosticSettingsForm
    template_name = "metrics/diagnostic_settings.html"
    update_service = staticmethod(services_diagnostics.diagnosticsettings_update)
    success_message = "Diagnostic settings saved."

    def get_object(self, queryset=None):
        return selectors.diagnostic_settings_get(workspace=self.workspace)

    def get_success_url(self):
        return reverse("metrics:diagnosis_list", args=[self.workspace.slug])
