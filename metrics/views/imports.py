"""The import pages: upload with live progress, the result, and the rejected rows as
errors.csv. Same selectors and services as the API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import FormView
from django.views.generic import TemplateView

from alignment.exports import NO_REJECTED_ROWS
from alignment.exports import stored_csv_response
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceViewMixin
from metrics import selectors
from metrics import services
from metrics.filters import ImportJobFilterSet
from metrics.forms import ImportForm
from metrics.importing.reader import PRESETS
from metrics.models import ImportJob
from metrics.models import ImportKind


class ImportListView(WorkspaceListView):
    model = ImportJob
    template_name = "metrics/import_list.html"
    filterset_class = ImportJobFilterSet
    paginate_by = 25
    selector = staticmethod(selectors.import_job_list)


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
    selector = staticmethod(selectors.import_job_list)

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
        return stored_csv_response(
            job.errors_file, f"import-{job.pk}-errors", missing=NO_REJECTED_ROWS
        )
