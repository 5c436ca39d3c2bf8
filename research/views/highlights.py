"""Highlights on an insight's page, linking the insight (or a highlight) to an opportunity
from there, a pasted transcript as a new insight, and linking a suggested persona.

How a selection becomes offsets: the page shows the body's Markdown source as plain text
(a `white-space: pre-wrap` block, `marked_source` below), so the text the reader selects
is the stored text, character for character. Carriage returns are written as `&#13;` (a
raw one would become a line feed in the HTML parser), so the DOM text equals the body
exactly, and static/js/highlights.js counts the selection's start and end in it, converted
from UTF-16 units to code points (Python's str offsets). The rendered Markdown stays above.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.views.generic import FormView
from django.views.generic import TemplateView

from alignment.mixins import WorkspaceViewMixin
from research import forms
from research import selectors
from research import services
from research.models import Highlight
from research.models import Insight
from research.views.opportunities import OpportunityActionView


def _escape_source(text: str) -> str:
    return escape(text).replace("\r", "&#13;")


def place_highlights(body: str, highlights) -> list[tuple[Highlight, int, int]]:
    """Where each highlight is in the body now: at its offsets if the text there is still
    its text, else at the first place its text occurs (the body was edited), else nowhere."""
    placed = []
    for highlight in highlights:
        start, end = highlight.start, highlight.end
        if body[start:end] != highlight.text:
            start = body.find(highlight.text) if highlight.text else -1
            if start < 0:
                highlight.unplaced = True
                continue
            end = start + len(highlight.text)
        highlight.unplaced = False
        placed.append((highlight, start, end))
    return placed


def marked_source(body: str, placed) -> SafeString:
    """The body's source as escaped text with every placed highlight in a <mark> (where
    highlights overlap, each piece is marked once, naming all of them)."""
    cuts = sorted({0, len(body), *(p for _, start, end in placed for p in (start, end))})
    pieces = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = [h.pk for h, start, end in placed if start <= left and end >= right]
        text = _escape_source(body[left:right])
        if covering:
            ids = " ".join(f"highlight-{pk}" for pk in covering)
            pieces.append(f'<mark data-highlights="{ids}">{text}</mark>')
        else:
            pieces.append(text)
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text was escaped above


def highlight_context(*, workspace, membership, insight: Insight, **forms_) -> dict:
    """What the insight page's highlights panel and "Add to opportunity" form need."""
    highlights = list(selectors.highlight_list(insight=insight))
    placed = place_highlights(insight.body, highlights)
    evidence_form = forms_.get("insight_evidence_form") or forms.InsightEvidenceForm(
        workspace=workspace, insight=insight, initial={"stance": "supporting"}
    )
    return {
        "highlights": highlights,
        "highlight_source": marked_source(insight.body, placed),
        "highlight_form": forms_.get("highlight_form") or forms.HighlightForm(workspace=workspace),
        "insight_evidence_form": evidence_form,
        "opportunity_choices": list(
            evidence_form.fields["opportunity"]
            .queryset.order_by("title")
            .values_list("pk", "title")[:500]
        ),
        "stance_choices": evidence_form.fields["stance"].choices,
    }


class InsightActionView(WorkspaceViewMixin, TemplateView):
    """POST-only actions on an insight; errors re-render its page with a 400."""

    requires_write = True
    http_method_names = ["post"]

    def get_insight(self) -> Insight:
        return get_object_or_404(
            selectors.insight_list(workspace=self.workspace), pk=self.kwargs["pk"]
        )

    def render_errors(self, insight: Insight, **forms_):
        from research.views.insights import InsightDetailView

        view = InsightDetailView()
        view.setup(self.request, **self.kwargs)
        view.membership, view.workspace, view.object = self.membership, self.workspace, insight
        context = view.get_context_data(object=insight, **forms_)
        return view.render_to_response(context, status=400)

    def done(self, insight: Insight, message: str, anchor: str = "highlights"):
        messages.success(self.request, message)
        return HttpResponseRedirect(f"{insight.get_absolute_url()}#{anchor}")


class HighlightCreateView(InsightActionView):
    def post(self, request, *args, **kwargs):
        insight = self.get_insight()
        form = forms.HighlightForm(request.POST, workspace=self.workspace)
        if form.is_valid():
            try:
                highlight = services.highlight_create(
                    actor=request.user,
                    workspace=self.workspace,
                    insight=insight,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return self.done(insight, "Highlight saved.", f"highlight-{highlight.pk}")
        return self.render_errors(insight, highlight_form=form)


class HighlightDeleteView(InsightActionView):
    def post(self, request, *args, **kwargs):
        insight = self.get_insight()
        highlight = get_object_or_404(
            selectors.highlight_list(insight=insight), pk=self.kwargs["highlight_pk"]
        )
        services.highlight_delete(actor=request.user, highlight=highlight)
        return self.done(insight, "Highlight deleted.")


class InsightEvidenceView(InsightActionView):
    """ "Add to opportunity" (the insight) and "Use as evidence" (one of its highlights)."""

    def post(self, request, *args, **kwargs):
        insight = self.get_insight()
        form = forms.InsightEvidenceForm(request.POST, workspace=self.workspace, insight=insight)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evidence_add(
                    actor=request.user,
                    opportunity=data["opportunity"],
                    insight=insight,
                    highlight=data.get("highlight"),
                    stance=data["stance"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                what = "Highlight" if data.get("highlight") else "Insight"
                return self.done(
                    insight,
                    f"{what} linked to “{data['opportunity'].title}” as {data['stance']} evidence.",
                    "evidence",
                )
        return self.render_errors(insight, insight_evidence_form=form)


class InsightFromTranscriptView(WorkspaceViewMixin, FormView):
    """Paste a transcript: it becomes a new insight's body, ready to be highlighted."""

    requires_write = True
    form_class = forms.TranscriptInsightForm
    template_name = "research/_highlights_transcript.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "workspace": self.workspace}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            insight = services.insight_create(
                actor=self.request.user,
                workspace=self.workspace,
                title=data["title"],
                body=data["transcript"],
                source=data["source"] or "Transcript",
                study=data["study"],
            )
        except ValidationError as error:
            _add_errors(form, error, rename={"body": "transcript"})
            return self.form_invalid(form)
        messages.success(self.request, "Transcript saved: select a passage to highlight it.")
        return HttpResponseRedirect(f"{insight.get_absolute_url()}#highlights")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class OpportunityPersonaView(OpportunityActionView):
    """ "Did you mean persona X?": link the persona a free-text hypothesis names."""

    def post(self, request, *args, **kwargs):
        opportunity = self.get_opportunity()
        form = forms.OpportunityPersonaForm(request.POST, workspace=self.workspace)
        if form.is_valid():
            persona = form.cleaned_data["persona"]
            services.opportunity_update(
                actor=request.user, opportunity=opportunity, persona=persona
            )
            messages.success(request, f"Persona linked: {persona.name}.")
            return HttpResponseRedirect(opportunity.get_absolute_url())
        messages.error(request, "Choose one of this workspace's personas.")
        return self.render_errors(opportunity)


def _add_errors(form, error: ValidationError, rename=None) -> None:
    """A service's errors on the form's fields (or on the form when it has no such field)."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages_ in error.message_dict.items():
        name = rename.get(name, name)
        form.add_error(name if name in form.fields else None, messages_)
