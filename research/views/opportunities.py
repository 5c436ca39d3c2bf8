"""Opportunities: CRUD plus the POST actions on one (status, evidence links)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from alignment.mixins import WorkspaceViewMixin
from research import filters
from research import forms
from research import selectors
from research import services
from research.models import Opportunity


class OpportunityListView(WorkspaceListView):
    model = Opportunity
    filterset_class = filters.OpportunityFilterSet
    template_name = "research/opportunity_list.html"
    selector = staticmethod(selectors.opportunity_list)


class OpportunityDetailView(WorkspaceDetailView):
    model = Opportunity
    template_name = "research/opportunity_detail.html"
    selector = staticmethod(selectors.opportunity_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence = list(selectors.evidence_list(opportunity=self.object))
        context["supporting"] = [row for row in evidence if row.stance == "supporting"]
        context["contradicting"] = [row for row in evidence if row.stance == "contradicting"]
        context["history"] = selectors.status_change_list(opportunity=self.object)
        context["suggested_persona"] = services.hypothesis_suggested_persona(
            opportunity=self.object
        )
        next_statuses = sorted(self.object.TRANSITIONS[self.object.status])
        status_form = kwargs.get("status_form") or forms.OpportunityStatusForm()
        status_form.fields["status"].choices = [
            (value, Opportunity.Status(value).label) for value in next_statuses
        ]
        context["status_form"] = status_form
        evidence_form = kwargs.get("evidence_form") or forms.EvidenceForm(workspace=self.workspace)
        # Offer the insights not linked yet (a linked one changes stance by linking it again).
        evidence_form.fields["insight"].queryset = evidence_form.fields["insight"].queryset.exclude(
            evidence_links__opportunity=self.object
        )
        context["evidence_form"] = evidence_form
        return context


class OpportunityActionView(WorkspaceViewMixin, TemplateView):
    """POST-only actions on an opportunity; errors re-render its page with a 400."""

    requires_write = True
    http_method_names = ["post"]

    def get_opportunity(self):
        return get_object_or_404(
            selectors.opportunity_list(workspace=self.workspace), pk=self.kwargs["pk"]
        )

    def render_errors(self, opportunity, **forms_):
        view = OpportunityDetailView()
        view.setup(self.request, **self.kwargs)
        view.membership, view.workspace, view.object = self.membership, self.workspace, opportunity
        context = view.get_context_data(object=opportunity, **forms_)
        return view.render_to_response(context, status=400)


class OpportunityStatusView(OpportunityActionView):
    def post(self, request, *args, **kwargs):
        opportunity = self.get_opportunity()
        form = forms.OpportunityStatusForm(request.POST)
        if form.is_valid():
            try:
                services.opportunity_set_status(
                    actor=request.user, opportunity=opportunity, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Status: {form.cleaned_data['status']}.")
                return HttpResponseRedirect(opportunity.get_absolute_url())
        return self.render_errors(opportunity, status_form=form)


class OpportunityEvidenceView(OpportunityActionView):
    def post(self, request, *args, **kwargs):
        opportunity = self.get_opportunity()
        form = forms.EvidenceForm(request.POST, workspace=self.workspace)
        if form.is_valid():
            try:
                services.evidence_add(
                    actor=request.user, opportunity=opportunity, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Evidence linked.")
                return HttpResponseRedirect(opportunity.get_absolute_url())
        return self.render_errors(opportunity, evidence_form=form)


class OpportunityEvidenceRemoveView(OpportunityActionView):
    def post(self, request, *args, **kwargs):
        opportunity = self.get_opportunity()
        evidence = get_object_or_404(
            selectors.evidence_list(opportunity=opportunity), pk=self.kwargs["evidence_pk"]
        )
        services.evidence_remove(actor=request.user, evidence=evidence)
        messages.success(request, "Evidence unlinked.")
        return HttpResponseRedirect(opportunity.get_absolute_url())


class OpportunityCreateView(WorkspaceCreateView):
    model = Opportunity
    form_class = forms.OpportunityForm
    template_name = "research/form.html"
    create_service = staticmethod(services.opportunity_create)


class OpportunityUpdateView(WorkspaceUpdateView):
    model = Opportunity
    form_class = forms.OpportunityForm
    template_name = "research/form.html"
    update_service = staticmethod(services.opportunity_update)


class OpportunityDeleteView(WorkspaceDeleteView):
    model = Opportunity
    list_url = "research:opportunity_list"
