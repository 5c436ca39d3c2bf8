"""The messaging pages' shared pieces and the messaging home page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http import HttpResponseRedirect
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin

from alignment.messaging import selectors
from alignment.messaging.forms import ReviewForm
from alignment.messaging.models import ReviewStatus
from alignment.mixins import WorkspaceViewMixin
from alignment.teams import WORK_TEAM_CHOICES
from alignment.teams import team_for_role


class MessagingHomeView(WorkspaceViewMixin, TemplateView):
    """What needs the user: their action items, their team's inbox, reviews waiting for
    their team, claims that oversell, active objectives and the latest activity."""

    template_name = "alignment/messaging/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workspace, user = self.workspace, self.request.user
        team = team_for_role(self.membership.role)
        context["team"] = team
        context["action_items"] = selectors.open_action_items(workspace=workspace, user=user)
        context["inbox"] = (
            selectors.feedback_inbox(workspace=workspace, team=team)[:10]
            if team in dict(WORK_TEAM_CHOICES)
            else []
        )
        in_review = {"status": ReviewStatus.IN_REVIEW}
        context["claims_in_review"] = selectors.claim_list(workspace=workspace, filters=in_review)
        context["documents_in_review"] = selectors.document_list(
            workspace=workspace, filters=in_review
        )
        context["unsupported_claims"] = selectors.unsupported_claims(workspace=workspace)[:10]
        context["objectives"] = selectors.objective_list(workspace=workspace)[:5]
        context["activity"] = selectors.activity_list(workspace=workspace)[:10]
        return context


class MessagingFormMixin:
    """Messaging's create and edit pages: the shared form page under messaging's navigation."""

    template_name = "alignment/messaging/form.html"


class ServiceActionView(WorkspaceViewMixin, SingleObjectMixin, View):
    """A POST that runs one service on one object, then goes back to its page."""

    requires_write = True
    http_method_names = ["post"]

    def run(self, obj):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            message = self.run(self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.object.get_absolute_url()


class ReviewActionView(ServiceActionView):
    """submit/ and review/ of claims and documents."""

    submit_service = None
    review_service = None
    instance_kwarg = ""

    def run(self, obj):
        if self.kwargs["step"] not in ("submit", "review"):
            raise Http404("No such step.")
        if self.kwargs["step"] == "submit":
            self.submit_service(actor=self.request.user, **{self.instance_kwarg: obj})
            return "Submitted for review."
        form = ReviewForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError("Choose approve or request changes.")
        reviewed = self.review_service(
            actor=self.request.user, **{self.instance_kwarg: obj}, **form.cleaned_data
        )
        return f"Review saved: {reviewed.get_status_display().lower()}."
