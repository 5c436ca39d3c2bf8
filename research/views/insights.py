"""Insights: CRUD, quick capture and bulk CSV import with its errors file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import FormView
from django.views.generic import View

from alignment.exports import NO_REJECTED_ROWS
from alignment.exports import csv_response
from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from alignment.mixins import WorkspaceViewMixin
from alignment.routing import workspace_url
from research import filters
from research import forms
from research import selectors
from research import services
from research.models import Insight
from research.views.highlights import highlight_context


class InsightListView(WorkspaceListView):
    model = Insight
    filterset_class = filters.InsightFilterSet
    template_name = "research/insight_list.html"
    selector = staticmethod(selectors.insight_list)


class InsightDetailView(WorkspaceDetailView):
    model = Insight
    template_name = "research/insight_detail.html"
    selector = staticmethod(selectors.insight_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evidence"] = self.object.evidence_links.select_related(
            "opportunity__workspace", "highlight"
        )
        context.update(
            highlight_context(
                workspace=self.workspace, membership=self.membership, insight=self.object, **kwargs
            )
        )
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
        return workspace_url("research:insight_quick", self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_insights"] = selectors.recent_insights(workspace=self.workspace, limit=5)
        return context


class InsightUpdateView(WorkspaceUpdateView):
    model = Insight
    form_class = forms.InsightForm
    template_name = "research/form.html"
    update_service = staticmethod(services.insight_update)


class InsightDeleteView(WorkspaceDeleteView):
    model = Insight
    delete_service = staticmethod(services.insight_delete)
    list_url = "research:insight_list"


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
            raise Http404(NO_REJECTED_ROWS)
        header, rows = selectors.insight_import_rejected_table(record=record)
        return csv_response(f"insight-import-{record.pk}-errors", header, rows)
