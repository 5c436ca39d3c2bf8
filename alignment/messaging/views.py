"""Browser pages of messaging, under /w/<workspace_slug>/messaging/ (alignment/messaging/urls.py).

Reads go through messaging.selectors, writes through messaging.services, like the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin

from alignment.messaging import selectors, services
from alignment.messaging.filters import (
    ClaimFilterSet,
    FeedbackFilterSet,
    HandoffDocumentFilterSet,
    ObjectiveFilterSet,
    PositioningFilterSet,
    SyncMeetingFilterSet,
)
from alignment.messaging.forms import (
    ActionItemForm,
    ClaimForm,
    CommentForm,
    FeedbackEditForm,
    FeedbackForm,
    HandoffDocumentForm,
    ObjectiveForm,
    ObjectiveTargetForm,
    PositioningForm,
    ReviewForm,
    SyncMeetingForm,
)
from alignment.messaging.models import (
    WORK_TEAM_CHOICES,
    ActionItem,
    Claim,
    Feedback,
    HandoffDocument,
    Objective,
    Positioning,
    ReviewStatus,
    SyncMeeting,
    team_for_role,
)
from alignment.mixins import (
    WorkspaceCreateView,
    WorkspaceDeleteView,
    WorkspaceDetailView,
    WorkspaceListView,
    WorkspaceUpdateView,
    WorkspaceViewMixin,
)
from alignment.rendering import render_markdown

FORM_TEMPLATE = "alignment/messaging/form.html"


def _messaging_url(name: str, workspace, **kwargs) -> str:
    return reverse(f"messaging:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


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


# --- Shared pieces ----------------------------------------------------------------------


class MessagingFormMixin:
    template_name = FORM_TEMPLATE
    heading = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.heading or (
            f"Edit {self.object}"
            if getattr(self, "object", None)
            else f"New {self.model._meta.verbose_name}"
        )
        return context


class ServiceActionView(WorkspaceViewMixin, SingleObjectMixin, View):
    """A POST that runs one service on one object, then goes back to its page."""

    requires_write = True
    http_method_names = ["post"]

    def get_workspace_queryset(self):
        raise NotImplementedError

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


# --- Positioning ------------------------------------------------------------------------


class PositioningListView(WorkspaceListView):
    model = Positioning
    filterset_class = PositioningFilterSet
    template_name = "alignment/messaging/positioning_list.html"

    def get_workspace_queryset(self):
        return selectors.positioning_list(workspace=self.workspace)


class PositioningDetailView(WorkspaceDetailView):
    model = Positioning
    template_name = "alignment/messaging/positioning_detail.html"

    def get_workspace_queryset(self):
        return selectors.positioning_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = selectors.positioning_versions(positioning=self.object)
        return context


class PositioningCreateView(MessagingFormMixin, WorkspaceCreateView):
    model = Positioning
    form_class = PositioningForm
    create_service = staticmethod(services.positioning_create)
    success_message = "Positioning created."


class PositioningUpdateView(MessagingFormMixin, WorkspaceUpdateView):
    model = Positioning
    form_class = PositioningForm
    update_service = staticmethod(services.positioning_update)
    success_message = "Saved as a new version."


# --- Claims -----------------------------------------------------------------------------


class ClaimListView(WorkspaceListView):
    model = Claim
    filterset_class = ClaimFilterSet
    template_name = "alignment/messaging/claim_list.html"

    def get_workspace_queryset(self):
        return selectors.claim_list(workspace=self.workspace)


class ClaimDetailView(WorkspaceDetailView):
    model = Claim
    template_name = "alignment/messaging/claim_detail.html"

    def get_workspace_queryset(self):
        return selectors.claim_list(workspace=self.workspace)

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
    success_message = "Claim saved."

    def get_workspace_queryset(self):
        return selectors.claim_list(workspace=self.workspace)


class ClaimDeleteView(WorkspaceDeleteView):
    model = Claim

    def get_success_url(self):
        return _messaging_url("claim_list", self.workspace)


class ClaimStepView(ReviewActionView):
    model = Claim
    submit_service = staticmethod(services.claim_submit)
    review_service = staticmethod(services.claim_review)
    instance_kwarg = "claim"

    def get_workspace_queryset(self):
        return selectors.claim_list(workspace=self.workspace)


# --- Handoff documents ------------------------------------------------------------------


class DocumentListView(WorkspaceListView):
    model = HandoffDocument
    filterset_class = HandoffDocumentFilterSet
    template_name = "alignment/messaging/document_list.html"

    def get_workspace_queryset(self):
        return selectors.document_list(workspace=self.workspace)


class DocumentDetailView(WorkspaceDetailView):
    model = HandoffDocument
    template_name = "alignment/messaging/document_detail.html"
    context_object_name = "document"

    def get_workspace_queryset(self):
        return selectors.document_list(workspace=self.workspace)

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

    def get_workspace_queryset(self):
        return selectors.document_list(workspace=self.workspace)

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

    def get_success_url(self):
        return _messaging_url("document_list", self.workspace)


class DocumentStepView(ReviewActionView):
    model = HandoffDocument
    submit_service = staticmethod(services.document_submit)
    review_service = staticmethod(services.document_review)
    instance_kwarg = "document"

    def get_workspace_queryset(self):
        return selectors.document_list(workspace=self.workspace)


# --- Objectives -------------------------------------------------------------------------


class ObjectiveListView(WorkspaceListView):
    model = Objective
    filterset_class = ObjectiveFilterSet
    template_name = "alignment/messaging/objective_list.html"

    def get_workspace_queryset(self):
        return selectors.objective_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = selectors.objectives_with_progress(
            context["object_list"], workspace=self.workspace, with_values=False
        )
        return context


class ObjectiveDetailView(WorkspaceDetailView):
    model = Objective
    template_name = "alignment/messaging/objective_detail.html"

    def get_workspace_queryset(self):
        return selectors.objective_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selectors.objectives_with_progress([self.object], workspace=self.workspace)
        context["target_form"] = kwargs.get("target_form") or ObjectiveTargetForm(
            workspace=self.workspace
        )
        return context

    def post(self, request, *args, **kwargs):
        """Add a KPI target (the form on this page)."""
        if not self.membership.can_write:
            raise PermissionDenied("Your role in this workspace is read-only.")
        self.object = self.get_object()
        form = ObjectiveTargetForm(request.POST, workspace=self.workspace)
        if form.is_valid():
            try:
                services.objective_target_add(
                    actor=request.user, objective=self.object, **form.cleaned_data
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    # The service names the model's scope fields; the form has one picker.
                    name = "scope" if field.startswith("scope") else field
                    form.add_error(name if name in form.fields else None, field_errors)
            else:
                messages.success(request, "Target added.")
                return HttpResponseRedirect(self.object.get_absolute_url())
        context = self.get_context_data(object=self.object, target_form=form)
        return self.render_to_response(context, status=400)


class ObjectiveTargetRemoveView(ServiceActionView):
    model = Objective

    def get_workspace_queryset(self):
        return selectors.objective_list(workspace=self.workspace)

    def run(self, objective):
        target = objective.targets.filter(pk=self.kwargs["target_pk"]).first()
        if target is None:
            raise Http404("No such target.")
        services.objective_target_remove(actor=self.request.user, target=target)
        return "Target removed."


class ObjectiveCreateView(MessagingFormMixin, WorkspaceCreateView):
    model = Objective
    form_class = ObjectiveForm
    create_service = staticmethod(services.objective_create)
    success_message = "Objective created: add its KPI targets below."


class ObjectiveUpdateView(MessagingFormMixin, WorkspaceUpdateView):
    model = Objective
    form_class = ObjectiveForm
    update_service = staticmethod(services.objective_update)
    success_message = "Objective saved."


class ObjectiveDeleteView(WorkspaceDeleteView):
    model = Objective

    def get_success_url(self):
        return _messaging_url("objective_list", self.workspace)


# --- Feedback ---------------------------------------------------------------------------


class FeedbackListView(WorkspaceListView):
    """All feedback, or one team's inbox: ?to_team=product is what product was asked."""

    model = Feedback
    filterset_class = FeedbackFilterSet
    template_name = "alignment/messaging/feedback_list.html"

    def get_workspace_queryset(self):
        return selectors.feedback_list(workspace=self.workspace)

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

    def get_workspace_queryset(self):
        return selectors.feedback_list(workspace=self.workspace)

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
    heading = "New feedback for the other team"
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
    success_message = "Feedback saved."


class FeedbackStatusView(ServiceActionView):
    model = Feedback

    def get_workspace_queryset(self):
        return selectors.feedback_list(workspace=self.workspace)

    def run(self, feedback):
        status = self.request.POST.get("status", "")
        services.feedback_set_status(actor=self.request.user, feedback=feedback, status=status)
        return f"Feedback {status}."


# --- Sync meetings ----------------------------------------------------------------------


class MeetingListView(WorkspaceListView):
    model = SyncMeeting
    filterset_class = SyncMeetingFilterSet
    template_name = "alignment/messaging/meeting_list.html"

    def get_workspace_queryset(self):
        return selectors.meeting_list(workspace=self.workspace)


class MeetingDetailView(WorkspaceDetailView):
    model = SyncMeeting
    template_name = "alignment/messaging/meeting_detail.html"
    context_object_name = "meeting"

    def get_workspace_queryset(self):
        return selectors.meeting_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_items"] = selectors.action_item_list(
            workspace=self.workspace, filters={"meeting": self.object.pk}
        ).order_by("done", "due_date", "id")
        context["item_form"] = kwargs.get("item_form") or ActionItemForm(workspace=self.workspace)
        return context

    def post(self, request, *args, **kwargs):
        """Add an action item."""
        if not self.membership.can_write:
            raise PermissionDenied("Your role in this workspace is read-only.")
        self.object = self.get_object()
        form = ActionItemForm(request.POST, workspace=self.workspace)
        if form.is_valid():
            try:
                services.action_item_create(
                    actor=request.user, meeting=self.object, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Action item added.")
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(item_form=form), status=400)


class MeetingCreateView(MessagingFormMixin, WorkspaceCreateView):
    model = SyncMeeting
    form_class = SyncMeetingForm
    create_service = staticmethod(services.meeting_create)
    heading = "New sync meeting"
    success_message = "Meeting saved: add its action items below."


class MeetingUpdateView(MessagingFormMixin, WorkspaceUpdateView):
    model = SyncMeeting
    form_class = SyncMeetingForm
    update_service = staticmethod(services.meeting_update)
    success_message = "Meeting saved."


class ActionItemDoneView(ServiceActionView):
    model = ActionItem

    def get_workspace_queryset(self):
        return selectors.action_item_list(workspace=self.workspace)

    def run(self, item):
        done = self.request.POST.get("done") == "true"
        services.action_item_set_done(actor=self.request.user, action_item=item, done=done)
        return "Action item done." if done else "Action item reopened."

    def get_success_url(self):
        next_page = {"home": "messaging_index", "workspace": "workspace_home"}.get(
            self.request.POST.get("next_page", "")
        )
        if next_page:
            return reverse(next_page, kwargs={"workspace_slug": self.workspace.slug})
        return self.object.meeting.get_absolute_url()


# --- Activity ---------------------------------------------------------------------------


class ActivityListView(WorkspaceViewMixin, TemplateView):
    template_name = "alignment/messaging/activity.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = selectors.activity_list(workspace=self.workspace)[:200]
        return context
