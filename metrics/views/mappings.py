"""The saved column mappings pages: the list (with the built-in presets) and a new
mapping. Same selectors and services as the API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import FormView
from django.views.generic import ListView

from alignment.mixins import WorkspaceViewMixin
from metrics import selectors
from metrics import services
from metrics.forms import ColumnMappingForm
from metrics.importing.reader import PRESETS
from metrics.models import ColumnMapping


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
