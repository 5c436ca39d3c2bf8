"""Feedback pages: what one team asks of another, and its status."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect

from alignment.messaging import selectors
from alignment.messaging import services
from alignment.messaging.filters import FeedbackFilterSet
from alignment.messaging.forms import CommentForm
from alignment.messaging.forms import FeedbackEditForm
from alignment.messaging.forms import FeedbackForm
from alignment.messaging.models import Feedback
from alignment.messaging.views.common import MessagingFormMixin
from alignment.messaging.views.common import ServiceActionView
from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from alignment.teams import WORK_TEAM_CHOICES
from alignment.teams import team_for_role


class FeedbackListView(WorkspaceListView):
    """All feedback, or one team's inbox: ?to_team=product is what product was asked."""

    model = Feedback
    filterset_class = FeedbackFilterSet
    template_name = "alignment/messaging/feedback_list.html"
    selector = staticmethod(selectors.feedback_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subjects"] = selectors.feedback_subject_labels(
            workspace=self.workspace, items=context["object_list"]
        )
        context["object_list"] = [
            (item, context["subjects"].get((item.subject_type, item.subject_id)))
            for item in context["object_list"]
        ]
        context["teams"] = WORK_TEAM_CHOICES
        context["my_team"] = team_for_role(self.membership.role)
        return context


class FeedbackDetailView(WorkspaceDetailView):
    model = Feedback
    template_name = "alignment/messaging/feedback_detail.html"
    selector = staticmethod(selectors.feedback_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["comments"] = selectors.feedback_comments(feedback=self.object)
        context["comment_form"] = kwargs.get("comment_form") or CommentForm()
        context["subject"] = selectors.feedback_subject_labels(
            workspace=self.workspace, items=[self.object]
        ).get((self.object.subject_type, self.object.subject_id))
        context["next_statuses"] = sorted(services.FEEDBACK_TRANSITIONS[self.object.status])
        return context

    def post(self, request, *args, **kwargs):
        """Add a comment."""
        if not self.membership.can_write:
            raise PermissionDenied("Your role in this workspace is read-only.")
        self.object = self.get_object()
        form = CommentForm(request.POST)
        if form.is_valid():
            services.feedback_comment_add(
                actor=request.user, feedback=self.object, body=form.cleaned_data["body"]
            )
            messages.success(request, "Comment added.")
            return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(comment_form=form), status=400)


class FeedbackCreateView(MessagingFormMixin, WorkspaceCreateView):
    model = Feedback
    form_class = FeedbackForm
    create_service = staticmethod(services.feedback_create)
    page_title = "New feedback for the other team"
    success_message = "Feedback sent."

    def get_initial(self):
        team = team_for_role(self.membership.role)
        other = {"product": "marketing", "marketing": "product"}.get(team, "product")
        initial = {"from_team": team, "to_team": other}
        if self.request.GET.get("subject"):
            initial["subject"] = self.request.GET["subject"]
        return initial


class FeedbackUpdateView(MessagingFormMixin, WorkspaceUpdateView):
    model = Feedback
    form_class = FeedbackEditForm
    update_service = staticmethod(services.feedback_update)


class FeedbackStatusView(ServiceActionView):
    model = Feedback
    selector = staticmethod(selectors.feedback_list)

    def run(self, feedback):
        status = self.request.POST.get("status", "")
        services.feedback_set_status(actor=self.request.user, feedback=feedback, status=status)
        return f"Feedback {status}."
