"""Claim pages: messaging claims tied to features, with their review steps."""

from __future__ import annotations

from alignment.messaging import selectors
from alignment.messaging import services
from alignment.messaging.filters import ClaimFilterSet
from alignment.messaging.forms import ClaimForm
from alignment.messaging.forms import ReviewForm
from alignment.messaging.models import Claim
from alignment.messaging.views.common import MessagingFormMixin
from alignment.messaging.views.common import ReviewActionView
from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView


class ClaimListView(WorkspaceListView):
    model = Claim
    filterset_class = ClaimFilterSet
    template_name = "alignment/messaging/claim_list.html"
    selector = staticmethod(selectors.claim_list)


class ClaimDetailView(WorkspaceDetailView):
    model = Claim
    template_name = "alignment/messaging/claim_detail.html"
    selector = staticmethod(selectors.claim_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reviews"] = selectors.review_history(instance=self.object)
        context["review_form"] = ReviewForm()
        context["step_url"] = "messaging:claim_step"
        return context


class ClaimCreateView(MessagingFormMixin, WorkspaceCreateView):
    model = Claim
    form_class = ClaimForm
    create_service = staticmethod(services.claim_create)
    success_message = "Claim drafted."

    def get_initial(self):
        return {"feature": self.request.GET.get("feature")}


class ClaimUpdateView(MessagingFormMixin, WorkspaceUpdateView):
    model = Claim
    form_class = ClaimForm
    update_service = staticmethod(services.claim_update)
    selector = staticmethod(selectors.claim_list)


class ClaimDeleteView(WorkspaceDeleteView):
    model = Claim
    list_url = "messaging:claim_list"


class ClaimStepView(ReviewActionView):
    model = Claim
    submit_service = staticmethod(services.claim_submit)
    review_service = staticmethod(services.claim_review)
    instance_kwarg = "claim"
    selector = staticmethod(selectors.claim_list)
