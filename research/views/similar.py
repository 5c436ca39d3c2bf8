"""Similar insights in the browser: the live panel of the insight form (JSON for
static/js/similar.js) and linking an insight as a duplicate of another."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View

from alignment.mixins import WorkspaceViewMixin
from research import selectors
from research.semantic import similarity
from research.semantic.embeddings import MAX_QUERY_CHARS
from research.semantic.embeddings import compose_text
from research.services import similarity as services


class SimilarTextForm(forms.Form):
    title = forms.CharField(required=False, max_length=200)
    body = forms.CharField(required=False, max_length=MAX_QUERY_CHARS, strip=False)
    exclude = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class InsightSimilarView(WorkspaceViewMixin, View):
    """POST title, body (and `exclude`, the insight being edited): {results: [{id, title,
    score, duplicate, url}]} best first; 400 with the errors when a field is too long."""

    def post(self, request, *args, **kwargs):
        form = SimilarTextForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        data = form.cleaned_data
        found = similarity.similar_insights(
            workspace=self.workspace,
            text=compose_text(data["title"], data["body"]),
            exclude={data["exclude"]} if data["exclude"] else None,
        )
        return JsonResponse(
            {
                "results": [
                    {
                        "id": insight.pk,
                        "title": insight.title,
                        "score": score,
                        "duplicate": similarity.is_duplicate(score),
                        "url": insight.get_absolute_url(),
                    }
                    for insight, score in found
                ]
            }
        )


class InsightDuplicateView(WorkspaceViewMixin, View):
    """POST duplicate_of=<id>: the insight repeats that one; POST unmark=1: it stands on
    its own again. Back to the insight's page either way."""

    requires_write = True

    def post(self, request, *args, **kwargs):
        insights = selectors.insight_list(workspace=self.workspace)
        insight = get_object_or_404(insights, pk=kwargs["pk"])
        try:
            if request.POST.get("unmark"):
                services.insight_unmark_duplicate(actor=request.user, insight=insight)
                messages.success(request, "No longer marked as a duplicate.")
            else:
                original = insights.filter(pk=_int(request.POST.get("duplicate_of"))).first()
                if original is None:
                    raise ValidationError({"duplicate_of": ["Choose an insight."]})
                insight = services.insight_mark_duplicate(
                    actor=request.user, insight=insight, duplicate_of=original
                )
                messages.success(
                    request,
                    f"Linked as the same evidence as “{insight.duplicate_of.title}”: "
                    "it counts once.",
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(insight.get_absolute_url())


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None
