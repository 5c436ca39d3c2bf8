"""Handoff document pages, their review steps, print and Markdown views."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from alignment.messaging import selectors
from alignment.messaging import services
from alignment.messaging.filters import HandoffDocumentFilterSet
from alignment.messaging.forms import HandoffDocumentForm
from alignment.messaging.forms import ReviewForm
from alignment.messaging.models import HandoffDocument
from alignment.messaging.views.common import MessagingFormMixin
from alignment.messaging.views.common import ReviewActionView
from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from alignment.rendering import render_markdown


class DocumentListView(WorkspaceListView):
    model = HandoffDocument
    filterset_class = HandoffDocumentFilterSet
    template_name = "alignment/messaging/document_list.html"
    selector = staticmethod(selectors.document_list)


class DocumentDetailView(WorkspaceDetailView):
    model = HandoffDocument
    template_name = "alignment/messaging/document_detail.html"
    context_object_name = "document"
    selector = staticmethod(selectors.document_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["body_html"] = render_markdown(self.object.body)
        context["reviews"] = selectors.review_history(instance=self.object)
        context["review_form"] = ReviewForm()
        context["step_url"] = "messaging:document_step"
        return context


class DocumentPrintView(DocumentDetailView):
    """Printable HTML: the document alone, without the app's navigation."""

    template_name = "alignment/messaging/document_print.html"


class DocumentMarkdownView(WorkspaceDetailView):
    model = HandoffDocument
    selector = staticmethod(selectors.document_list)

    def render_to_response(self, context, **kwargs):
        response = HttpResponse(self.object.body, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.object.title}.md"
        )
        return response


class DocumentCreateView(MessagingFormMixin, WorkspaceCreateView):
    model = HandoffDocument
    form_class = HandoffDocumentForm
    create_service = staticmethod(services.document_create)
    success_message = "Document drafted."

    def get_initial(self):
        return {"feature": self.request.GET.get("feature"), "kind": self.request.GET.get("kind")}


class DocumentUpdateView(MessagingFormMixin, WorkspaceUpdateView):
    model = HandoffDocument
    form_class = HandoffDocumentForm
    update_service = staticmethod(services.document_update)
    success_message = "Document saved."


class DocumentDeleteView(WorkspaceDeleteView):
    model = HandoffDocument
    list_url = "messaging:document_list"


class DocumentStepView(ReviewActionView):
    model = HandoffDocument
    submit_service = staticmethod(services.document_submit)
    review_service = staticmethod(services.document_review)
    instance_kwarg = "document"
    selector = staticmethod(selectors.document_list)
