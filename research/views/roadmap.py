"""Scoring and the roadmap: the opportunities ranked by RICE score, an opportunity's RICE
inputs, the Now / Next / Later board (drag to move, or a select and "Move" without
JavaScript) and its read-only summary shown beside the launch calendar."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.http import JsonResponse
from django.views.generic import TemplateView

from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from alignment.mixins import WorkspaceViewMixin
from alignment.routing import workspace_url
from research import filters
from research import forms
from research import scoring
from research import selectors
from research import services
from research.models import Horizon
from research.models import Opportunity

COLUMNS = [(value, label) for value, label in Horizon.choices]


class OpportunityRankedView(WorkspaceListView):
    """Best RICE score first, with reach, impact, confidence and effort (defaults marked)."""

    model = Opportunity
    filterset_class = filters.OpportunityFilterSet
    template_name = "research/opportunity_ranked.html"

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None,
            selectors.opportunity_list(workspace=self.workspace),
            workspace=self.workspace,
        )
        return scoring.RankedList(self.filterset.qs)


class OpportunityScoreView(WorkspaceUpdateView):
    model = Opportunity
    form_class = forms.OpportunityScoreForm
    template_name = "research/form.html"
    update_service = staticmethod(services.opportunity_update)
    success_message = "Score inputs saved."
    selector = staticmethod(selectors.opportunity_list)

    def get_success_url(self):
        return workspace_url("research:opportunity_ranked", self.workspace)


def _board_context(workspace, membership) -> dict:
    columns = selectors.roadmap_columns(workspace=workspace)
    totals = columns["column_totals"]

    def column(value, label):
        cards = columns[value]
        total = totals[value]
        return {
            "horizon": value or "",
            "label": label,
            "cards": cards,
            "total": total,
            "more": total - len(cards),
        }

    return {
        "columns": [column(value, label) for value, label in COLUMNS],
        "tray": column(None, "Not on the roadmap"),
        "horizon_choices": [("", "Not on the roadmap"), *COLUMNS],
        "can_move": membership.can_write,
    }


class RoadmapView(WorkspaceViewMixin, TemplateView):
    template_name = "research/roadmap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_board_context(self.workspace, self.membership))
        context["move_errors"] = kwargs.get("move_errors")
        return context


class RoadmapPanelView(WorkspaceViewMixin, TemplateView):
    """The board's columns, read-only and short: loaded into the launch calendar's page."""

    template_name = "research/_roadmap_panel.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_board_context(self.workspace, self.membership))
        context["can_move"] = False
        return context


class RoadmapMoveView(WorkspaceViewMixin, TemplateView):
    """POST {opportunity, horizon, position}: the board's drag and drop (answers JSON when
    asked for it) and its select + "Move" button (redirects back to the board)."""

    requires_write = True
    http_method_names = ["post"]
    template_name = "research/roadmap.html"

    def _wants_json(self) -> bool:
        return "application/json" in self.request.headers.get("Accept", "")

    def post(self, request, *args, **kwargs):
        form = forms.RoadmapMoveForm(request.POST, workspace=self.workspace)
        if form.is_valid():
            try:
                opportunity = services.roadmap_move(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if self._wants_json():
                    return JsonResponse(
                        {
                            "opportunity": opportunity.pk,
                            "horizon": opportunity.horizon,
                            "position": opportunity.roadmap_position,
                        }
                    )
                label = Horizon(opportunity.horizon).label if opportunity.horizon else None
                messages.success(
                    request,
                    f"Moved “{opportunity.title}” to {label}."
                    if label
                    else f"Took “{opportunity.title}” off the roadmap.",
                )
                return HttpResponseRedirect(workspace_url("research:roadmap", self.workspace))
        if self._wants_json():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        context = self.get_context_data(move_errors=form.errors)
        return self.render_to_response(context, status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_board_context(self.workspace, self.membership))
        context["move_errors"] = kwargs.get("move_errors")
        return context
