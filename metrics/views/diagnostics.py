"""The diagnostics pages: what the rules found, one diagnosis with its evidence, the
actions on it (acknowledge, dismiss, send as feedback), a run on request and the
settings. Same selectors and services as the API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View

from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from alignment.mixins import WorkspaceViewMixin
from alignment.redirects import safe_next_url
from metrics import selectors
from metrics import services
from metrics.filters import DiagnosisFilterSet
from metrics.forms import DiagnosticSettingsForm
from metrics.models import Diagnosis
from metrics.models import DiagnosticSettings


class DiagnosisListView(WorkspaceListView):
    """What the rules found, live ones first; filter by rule, team, severity and state."""

    model = Diagnosis
    template_name = "metrics/diagnosis_list.html"
    filterset_class = DiagnosisFilterSet
    paginate_by = 50
    selector = staticmethod(selectors.diagnosis_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["settings_obj"] = selectors.diagnostic_settings_get(workspace=self.workspace)
        return context


class DiagnosisDetailView(WorkspaceDetailView):
    """One diagnosis: its card (chart, next step, actions), its evidence as a table, what
    folded into it and, once folded itself, the diagnosis it went to."""

    model = Diagnosis
    template_name = "metrics/diagnosis_detail.html"
    selector = staticmethod(selectors.diagnosis_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["single"] = [self.object]
        context["folded_into"] = selectors.diagnosis_folded_into(
            workspace=self.workspace, diagnosis=self.object
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
            services.diagnosis_set_state(
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
            feedback = services.diagnosis_to_feedback(
                actor=request.user, diagnosis=self.get_diagnosis()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.back()
        messages.success(request, f"Sent to the {feedback.to_team} team as feedback.")
        return HttpResponseRedirect(feedback.get_absolute_url())


class DiagnosticsRunView(DiagnosisActionView):
    def post(self, request, *args, **kwargs):
        result = services.diagnostics_run(workspace=self.workspace)
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
    update_service = staticmethod(services.diagnosticsettings_update)

    def get_object(self, queryset=None):
        return selectors.diagnostic_settings_get(workspace=self.workspace)

    def get_success_url(self):
        return reverse("metrics:diagnosis_list", args=[self.workspace.slug])
