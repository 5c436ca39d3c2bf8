"""The metrics pages: dashboard, imports (upload with live progress, result, errors.csv)
and saved column mappings. Same selectors and services as the API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView, ListView, TemplateView

from alignment.mixins import WorkspaceDetailView, WorkspaceListView, WorkspaceViewMixin
from metrics import selectors, services
from metrics.filters import ImportJobFilterSet
from metrics.forms import ColumnMappingForm, ImportForm
from metrics.importing.reader import PRESETS
from metrics.models import ColumnMapping, ImportJob
from metrics.selectors import HEADLINE_PERIODS

KPI_LABELS = {
    "spend": "Spend",
    "revenue": "Revenue",
    "roi": "ROI",
    "roas": "ROAS",
    "conversion_rate": "Conversion rate",
    "ctr": "CTR",
    "cpa": "CPA",
    "visits": "Visits",
    "purchases": "Purchases",
    "active_users": "Active users (daily avg.)",
    "retention": "Retention",
    "nps": "NPS",
    "csat": "CSAT",
}


class MetricsIndexView(WorkspaceViewMixin, TemplateView):
    """The dashboard: reads the precomputed snapshot, never the facts."""

    template_name = "metrics/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        snapshot = selectors.dashboard_get(workspace=self.workspace)
        period = self.request.GET.get("period", "30")
        period = period if period in {str(p) for p in HEADLINE_PERIODS} else "30"
        data = snapshot.data if snapshot else {}
        headline = (data.get("headline") or {}).get(period, {})
        context.update(
            snapshot=snapshot,
            data=data,
            period=period,
            periods=[str(p) for p in HEADLINE_PERIODS],
            tiles=[
                {"name": name, "label": label, **headline[name]}
                for name, label in KPI_LABELS.items()
                if name in headline
            ],
            recent_imports=selectors.import_job_list(workspace=self.workspace)[:5],
        )
        return context


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
    template_name = "metrics/import_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "workspace": self.workspace}

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
