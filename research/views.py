"""Research pages under /w/<workspace_slug>/research/. Reads through selectors, writes
through services, tenancy through the alignment mixins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from alignment.exports import csv_response
from alignment.mixins import (
    WorkspaceCreateView,
    WorkspaceDeleteView,
    WorkspaceDetailView,
    WorkspaceListView,
    WorkspaceUpdateView,
    WorkspaceViewMixin,
)
from alignment.models import Feature
from research import filters, forms, selectors, services
from research.models import (
    Competitor,
    Insight,
    JourneyMap,
    Opportunity,
    Persona,
    Segment,
    Study,
)


def _research_url(name: str, workspace, **kwargs) -> str:
    return reverse(f"research:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


# --- Home, search and the evidence pages ------------------------------------------------


class ResearchIndexView(WorkspaceViewMixin, TemplateView):
    template_name = "research/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_insights"] = selectors.recent_insights(workspace=self.workspace)
        context["status_counts"] = [
            (Opportunity.Status(status), count)
            for status, count in selectors.opportunity_status_counts(
                workspace=self.workspace
            ).items()
        ]
        context["opportunities"] = selectors.opportunity_list(
            workspace=self.workspace, filters={"status": Opportunity.Status.VALIDATING}
        )[:6]
        context["personas"] = selectors.persona_list(workspace=self.workspace)[:8]
        return context


class ResearchSearchView(WorkspaceViewMixin, TemplateView):
    template_name = "research/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        context["query"] = query
        context["results"] = (
            selectors.research_search(workspace=self.workspace, query=query) if query else {}
        )
        context["result_count"] = sum(len(rows) for rows in context["results"].values())
        return context


class FeatureResearchView(WorkspaceViewMixin, TemplateView):
    """The insights and opportunities behind one feature of the core catalogue."""

    template_name = "research/feature_research.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            feature = selectors.feature_get(workspace=self.workspace, pk=self.kwargs["pk"])
        except Feature.DoesNotExist:
            raise Http404("No such feature.") from None
        context["feature"] = feature
        context.update(selectors.feature_research(feature=feature))
        return context


# --- Personas ---------------------------------------------------------------------------


class PersonaListView(WorkspaceListView):
    model = Persona
    filterset_class = filters.PersonaFilterSet
    template_name = "research/persona_list.html"

    def get_workspace_queryset(self):
        return selectors.persona_list(workspace=self.workspace)


class PersonaDetailView(WorkspaceDetailView):
    """The persona profile: its insights, opportunities, journey maps and features."""

    model = Persona
    template_name = "research/persona_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.persona_profile(persona=self.object))
        return context


class PersonaCreateView(WorkspaceCreateView):
    model = Persona
    form_class = forms.PersonaForm
    template_name = "research/form.html"
    create_service = staticmethod(services.persona_create)
    success_message = "Persona created."


class PersonaUpdateView(WorkspaceUpdateView):
    model = Persona
    form_class = forms.PersonaForm
    template_name = "research/form.html"
    update_service = staticmethod(services.persona_update)
    success_message = "Persona saved."


class ResearchDeleteView(WorkspaceDeleteView):
    list_url_name = None

    def get_success_url(self):
        return _research_url(self.list_url_name, self.workspace)


class PersonaDeleteView(ResearchDeleteView):
    model = Persona
    list_url_name = "persona_list"


# --- Segments ---------------------------------------------------------------------------


class SegmentListView(WorkspaceListView):
    model = Segment
    filterset_class = filters.SegmentFilterSet
    template_name = "research/segment_list.html"

    def get_workspace_queryset(self):
        return selectors.segment_list(workspace=self.workspace)


class SegmentDetailView(WorkspaceDetailView):
    model = Segment
    template_name = "research/segment_detail.html"

    def get_workspace_queryset(self):
        return selectors.segment_list(workspace=self.workspace)


class SegmentCreateView(WorkspaceCreateView):
    model = Segment
    form_class = forms.SegmentForm
    template_name = "research/form.html"
    create_service = staticmethod(services.segment_create)
    success_message = "Segment created."


class SegmentUpdateView(WorkspaceUpdateView):
    model = Segment
    form_class = forms.SegmentForm
    template_name = "research/form.html"
    update_service = staticmethod(services.segment_update)
    success_message = "Segment saved."


class SegmentDeleteView(ResearchDeleteView):
    model = Segment
    list_url_name = "segment_list"


# --- Studies ----------------------------------------------------------------------------


class StudyListView(WorkspaceListView):
    model = Study
    filterset_class = filters.StudyFilterSet
    template_name = "research/study_list.html"

    def get_workspace_queryset(self):
        return selectors.study_list(workspace=self.workspace)


class StudyDetailView(WorkspaceDetailView):
    model = Study
    template_name = "research/study_detail.html"

    def get_workspace_queryset(self):
        return selectors.study_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["insights"] = selectors.insight_list(
            workspace=self.workspace, filters={"study": self.object.pk}
        )
        context["scores"] = selectors.study_survey_scores(study=self.object)
        context["responses"] = selectors.study_survey_responses(study=self.object)[:10]
        return context


class StudyCreateView(WorkspaceCreateView):
    model = Study
    form_class = forms.StudyForm
    template_name = "research/form.html"
    create_service = staticmethod(services.study_create)
    success_message = "Study created."


class StudyUpdateView(WorkspaceUpdateView):
    model = Study
    form_class = forms.StudyForm
    template_name = "research/form.html"
    update_service = staticmethod(services.study_update)
    success_message = "Study saved."


class StudyDeleteView(ResearchDeleteView):
    model = Study
    list_url_name = "study_list"


# --- Insights ---------------------------------------------------------------------------


class InsightListView(WorkspaceListView):
    model = Insight
    filterset_class = filters.InsightFilterSet
    template_name = "research/insight_list.html"

    def get_workspace_queryset(self):
        return selectors.insight_list(workspace=self.workspace)


class InsightDetailView(WorkspaceDetailView):
    model = Insight
    template_name = "research/insight_detail.html"

    def get_workspace_queryset(self):
        return selectors.insight_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evidence"] = self.object.evidence_links.select_related("opportunity__workspace")
        return context


class InsightCreateView(WorkspaceCreateView):
    model = Insight
    form_class = forms.InsightForm
    template_name = "research/form.html"
    create_service = staticmethod(services.insight_create)
    success_message = "Insight added."

    def get_initial(self):
        return {"study": self.request.GET.get("study")}


class QuickInsightView(InsightCreateView):
    """Quick capture: one short form, then straight back to an empty one."""

    form_class = forms.QuickInsightForm
    template_name = "research/insight_quick.html"
    success_message = "Insight captured. Next one?"

    def get_success_url(self):
        return _research_url("insight_quick", self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_insights"] = selectors.recent_insights(workspace=self.workspace, limit=5)
        return context


class InsightUpdateView(WorkspaceUpdateView):
    model = Insight
    form_class = forms.InsightForm
    template_name = "research/form.html"
    update_service = staticmethod(services.insight_update)
    success_message = "Insight saved."


class InsightDeleteView(ResearchDeleteView):
    model = Insight
    list_url_name = "insight_list"


class InsightImportView(WorkspaceViewMixin, FormView):
    """Bulk import from CSV: good rows land, bad rows are listed with line and reason."""

    requires_write = True
    form_class = forms.InsightImportForm
    template_name = "research/insight_import.html"

    def form_valid(self, form):
        try:
            result = services.insight_import_csv(
                actor=self.request.user, workspace=self.workspace, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error.message_dict.get("file", error.messages))
            return self.form_invalid(form)
        if result.rows_imported:
            messages.success(self.request, f"{result.rows_imported} insight(s) imported.")
        # The file was read: good rows landed, bad ones are listed on the page.
        return self.render_to_response(
            self.get_context_data(form=forms.InsightImportForm(), result=result)
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class InsightImportErrorsView(WorkspaceViewMixin, View):
    """errors.csv of one import: the rejected rows with line, column and reason."""

    def get(self, request, *args, **kwargs):
        imports = selectors.insight_import_list(workspace=self.workspace)
        # .defer(None): the rejected rows the list leaves unloaded are what is asked for here.
        record = get_object_or_404(imports.defer(None), pk=kwargs["pk"])
        if not record.rows_rejected:
            raise Http404("This import rejected no rows.")
        header, rows = selectors.insight_import_rejected_table(record=record)
        return csv_response(f"insight-import-{record.pk}-errors", header, rows)


# --- Opportunities ----------------------------------------------------------------------


class OpportunityListView(WorkspaceListView):
    model = Opportunity
    filterset_class = filters.OpportunityFilterSet
    template_name = "research/opportunity_list.html"

    def get_workspace_queryset(self):
        return selectors.opportunity_list(workspace=self.workspace)


class OpportunityDetailView(WorkspaceDetailView):
    model = Opportunity
    template_name = "research/opportunity_detail.html"

    def get_workspace_queryset(self):
        return selectors.opportunity_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence = list(selectors.evidence_list(opportunity=self.object))
        context["supporting"] = [row for row in evidence if row.stance == "supporting"]
        context["contradicting"] = [row for row in evidence if row.stance == "contradicting"]
        context["history"] = selectors.status_change_list(opportunity=self.object)
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
    success_message = "Opportunity created."


class OpportunityUpdateView(WorkspaceUpdateView):
    model = Opportunity
    form_class = forms.OpportunityForm
    template_name = "research/form.html"
    update_service = staticmethod(services.opportunity_update)
    success_message = "Opportunity saved."


class OpportunityDeleteView(ResearchDeleteView):
    model = Opportunity
    list_url_name = "opportunity_list"


# --- Competitors ------------------------------------------------------------------------


class CompetitorListView(WorkspaceListView):
    model = Competitor
    filterset_class = filters.CompetitorFilterSet
    template_name = "research/competitor_list.html"

    def get_workspace_queryset(self):
        return selectors.competitor_list(workspace=self.workspace)


class CompetitorDetailView(WorkspaceDetailView):
    model = Competitor
    template_name = "research/competitor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["insights"] = selectors.insight_list(
            workspace=self.workspace, filters={"competitor": self.object.pk}
        )
        return context


class CompetitorCreateView(WorkspaceCreateView):
    model = Competitor
    form_class = forms.CompetitorForm
    template_name = "research/form.html"
    create_service = staticmethod(services.competitor_create)
    success_message = "Competitor created."


class CompetitorUpdateView(WorkspaceUpdateView):
    model = Competitor
    form_class = forms.CompetitorForm
    template_name = "research/form.html"
    update_service = staticmethod(services.competitor_update)
    success_message = "Competitor saved."


class CompetitorDeleteView(ResearchDeleteView):
    model = Competitor
    list_url_name = "competitor_list"


# --- Journey maps -----------------------------------------------------------------------


class JourneyMapListView(WorkspaceListView):
    model = JourneyMap
    filterset_class = filters.JourneyMapFilterSet
    template_name = "research/journeymap_list.html"

    def get_workspace_queryset(self):
        return selectors.journey_map_list(workspace=self.workspace)


class JourneyMapDetailView(WorkspaceDetailView):
    model = JourneyMap
    template_name = "research/journeymap_detail.html"

    def get_workspace_queryset(self):
        return selectors.journey_map_list(workspace=self.workspace)


class JourneyStagesMixin:
    """The map's form plus a formset of ordered stages, saved together by one service."""

    template_name = "research/journeymap_form.html"
    form_class = forms.JourneyMapForm

    def get_formset(self):
        if self.request.method == "POST":
            # Bound: every submitted stage is read as it is, compared with nothing.
            return forms.JourneyStageFormSet(self.request.POST, prefix="stages")
        initial = None
        if getattr(self, "object", None) is not None and self.object.pk:
            initial = [
                {name: getattr(stage, name) for name in services.STAGE_FIELDS}
                for stage in self.object.stages.order_by("position")
            ]
        return forms.JourneyStageFormSet(initial=initial, prefix="stages")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formset"] = kwargs.get("formset") or self.get_formset()
        return context

    def form_valid(self, form):
        formset = self.get_formset()
        if not formset.is_valid():
            return self.render_to_response(
                self.get_context_data(form=form, formset=formset), status=400
            )
        # In the order the user numbered them; deleted and untouched blank stages left out.
        stages = [
            {name: stage_form.cleaned_data[name] for name in services.STAGE_FIELDS}
            for stage_form in formset.ordered_forms
        ]
        data = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            self.object = self.call_service({**data, "stages": stages})
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(
                self.get_context_data(form=form, formset=formset), status=400
            )
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form, formset=self.get_formset()), status=400
        )


class JourneyMapCreateView(JourneyStagesMixin, WorkspaceCreateView):
    model = JourneyMap
    create_service = staticmethod(services.journey_map_create)
    success_message = "Journey map created."

    def get_initial(self):
        return {"persona": self.request.GET.get("persona")}


class JourneyMapUpdateView(JourneyStagesMixin, WorkspaceUpdateView):
    model = JourneyMap
    update_service = staticmethod(services.journey_map_update)
    success_message = "Journey map saved."


class JourneyMapDeleteView(ResearchDeleteView):
    model = JourneyMap
    list_url_name = "journeymap_list"
