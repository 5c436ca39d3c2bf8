"""Viewsets of the messaging API: positioning, claims, handoff documents, objectives,
feedback, sync meetings with their action items, and the activity feed. Registered in
alignment/api/urls.py."""

from __future__ import annotations

from django.http import Http404
from django.http import HttpResponse
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from alignment.api.base import WorkspaceViewSet
from alignment.messaging import selectors
from alignment.messaging import services
from alignment.messaging.api.serializers import ActionItemSerializer
from alignment.messaging.api.serializers import ActivityEventSerializer
from alignment.messaging.api.serializers import ClaimSerializer
from alignment.messaging.api.serializers import FeedbackCommentSerializer
from alignment.messaging.api.serializers import FeedbackSerializer
from alignment.messaging.api.serializers import FeedbackStatusSerializer
from alignment.messaging.api.serializers import HandoffDocumentSerializer
from alignment.messaging.api.serializers import ObjectiveSerializer
from alignment.messaging.api.serializers import PositioningSerializer
from alignment.messaging.api.serializers import PositioningVersionSerializer
from alignment.messaging.api.serializers import ReviewInputSerializer
from alignment.messaging.api.serializers import SyncMeetingSerializer
from alignment.messaging.filters import ActionItemFilterSet
from alignment.messaging.filters import ActivityEventFilterSet
from alignment.messaging.filters import ClaimFilterSet
from alignment.messaging.filters import FeedbackFilterSet
from alignment.messaging.filters import HandoffDocumentFilterSet
from alignment.messaging.filters import ObjectiveFilterSet
from alignment.messaging.filters import PositioningFilterSet
from alignment.messaging.filters import SyncMeetingFilterSet
from alignment.messaging.models import ActionItem
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import FeedbackComment
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Objective
from alignment.messaging.models import Positioning
from alignment.messaging.models import SyncMeeting

READ_ONLY_METHODS = ["get", "head", "options"]


class PositioningViewSet(WorkspaceViewSet):
    """Positioning per product and persona; every edit keeps the previous version."""

    queryset = Positioning.objects.all()
    serializer_class = PositioningSerializer
    filterset_class = PositioningFilterSet
    ordering_fields = ["updated_at", "version"]
    create_service = staticmethod(services.positioning_create)
    update_service = staticmethod(services.positioning_update)
    selector = staticmethod(selectors.positioning_list)

    @extend_schema(responses=PositioningVersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole history, a list
    def versions(self, request, *args, **kwargs):
        versions = selectors.positioning_versions(positioning=self.get_object())
        return Response(PositioningVersionSerializer(versions, many=True).data)


# --- Review flow ------------------------------------------------------------------------


class ReviewActionsMixin:
    """`submit/` and `review/` transitions, calling the viewset's services."""

    submit_service = None
    review_service = None
    instance_kwarg = ""

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        instance = self.submit_service(
            actor=request.user, **{self.instance_kwarg: self.get_object()}
        )
        return Response(self.get_serializer(instance).data)

    @extend_schema(request=ReviewInputSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        instance = self.get_object()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        instance = self.review_service(
            actor=request.user, **{self.instance_kwarg: instance}, **data.validated_data
        )
        return Response(self.get_serializer(instance).data)


# --- Claims -----------------------------------------------------------------------------


class ClaimViewSet(ReviewActionsMixin, WorkspaceViewSet):
    """Claims tied to a feature; `supported` is false until the feature is released."""

    queryset = Claim.objects.all()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet
    search_fields = ["headline", "body", "proof_point"]
    ordering_fields = ["updated_at", "created_at", "status", "headline"]
    create_service = staticmethod(services.claim_create)
    update_service = staticmethod(services.claim_update)
    submit_service = staticmethod(services.claim_submit)
    review_service = staticmethod(services.claim_review)
    instance_kwarg = "claim"
    selector = staticmethod(selectors.claim_list)


# --- Handoff documents ------------------------------------------------------------------


class HandoffDocumentViewSet(ReviewActionsMixin, WorkspaceViewSet):
    """Handoff documents in Markdown (sanitised when rendered), with the review flow."""

    queryset = HandoffDocument.objects.all()
    serializer_class = HandoffDocumentSerializer
    filterset_class = HandoffDocumentFilterSet
    search_fields = ["title", "body"]
    ordering_fields = ["updated_at", "created_at", "status", "title", "kind"]
    create_service = staticmethod(services.document_create)
    update_service = staticmethod(services.document_update)
    submit_service = staticmethod(services.document_submit)
    review_service = staticmethod(services.document_review)
    instance_kwarg = "document"
    selector = staticmethod(selectors.document_list)

    @extend_schema(responses={(200, "text/markdown"): str})
    @action(detail=True, methods=["get"], url_path="markdown")
    def markdown(self, request, *args, **kwargs):
        """The document as a Markdown file."""
        document = self.get_object()
        response = HttpResponse(document.body, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="document-{document.pk}.md"'
        return response


# --- Objectives -------------------------------------------------------------------------


class ObjectiveViewSet(WorkspaceViewSet):
    """Shared goals with KPI targets; `targets` on a write replaces all of them."""

    queryset = Objective.objects.all()
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    search_fields = ["title", "description"]
    ordering_fields = ["period_start", "period_end", "title"]
    create_service = staticmethod(services.objective_create)
    update_service = staticmethod(services.objective_update)
    selector = staticmethod(selectors.objective_list)


# --- Feedback ---------------------------------------------------------------------------


class FeedbackViewSet(WorkspaceViewSet):
    """Feedback between teams: ?to_team=product is what other teams asked product."""

    queryset = Feedback.objects.all()
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilterSet
    search_fields = ["title", "body"]
    ordering_fields = ["created_at", "status"]
    create_service = staticmethod(services.feedback_create)
    update_service = staticmethod(services.feedback_update)
    selector = staticmethod(selectors.feedback_list)

    @extend_schema(request=FeedbackStatusSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, *args, **kwargs):
        feedback = self.get_object()
        data = FeedbackStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.feedback_set_status(actor=request.user, feedback=feedback, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=feedback.pk)).data)


class FeedbackCommentViewSet(WorkspaceViewSet):
    """Comments on one feedback item: feedback/<id>/comments/."""

    queryset = FeedbackComment.objects.all()
    serializer_class = FeedbackCommentSerializer
    http_method_names = ["get", "post", "head", "options"]

    @cached_property
    def feedback(self):
        feedback = (
            selectors.feedback_list(workspace=self.workspace)
            .filter(pk=self.kwargs["feedback_pk"])
            .first()
        )
        if feedback is None:
            raise Http404("No such feedback.")
        return feedback

    def get_workspace_queryset(self):
        return selectors.feedback_comments(feedback=self.feedback)

    def perform_create(self, serializer):
        serializer.instance = services.feedback_comment_add(
            actor=self.request.user, feedback=self.feedback, **serializer.validated_data
        )


# --- Sync meetings and action items -----------------------------------------------------


class SyncMeetingViewSet(WorkspaceViewSet):
    queryset = SyncMeeting.objects.all()
    serializer_class = SyncMeetingSerializer
    filterset_class = SyncMeetingFilterSet
    search_fields = ["title", "updates", "goals", "challenges", "decisions"]
    ordering_fields = ["date"]
    create_service = staticmethod(services.meeting_create)
    update_service = staticmethod(services.meeting_update)
    selector = staticmethod(selectors.meeting_list)


class ActionItemViewSet(WorkspaceViewSet):
    """Action items of one meeting: meetings/<id>/action-items/."""

    queryset = ActionItem.objects.all()
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet

    @cached_property
    def meeting(self):
        meeting = SyncMeeting.objects.in_workspace(self.workspace).filter(
            pk=self.kwargs["meeting_pk"]
        )
        if not meeting.exists():
            raise Http404("No such meeting.")
        return meeting.select_related("workspace").get()

    def get_workspace_queryset(self):
        return selectors.action_item_list(workspace=self.workspace).filter(meeting=self.meeting)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        done = data.pop("done", None)
        item = services.action_item_create(actor=self.request.user, meeting=self.meeting, **data)
        if done:
            item = services.action_item_set_done(
                actor=self.request.user, action_item=item, done=True
            )
        serializer.instance = item

    def perform_update(self, serializer):
        serializer.instance = services.action_item_update(
            actor=self.request.user, action_item=serializer.instance, **serializer.validated_data
        )


class OpenActionItemViewSet(WorkspaceViewSet):
    """Every action item of the workspace (read only): ?owner=<user id>&done=false."""

    queryset = ActionItem.objects.all()
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet
    ordering_fields = ["due_date"]
    http_method_names = READ_ONLY_METHODS
    selector = staticmethod(selectors.action_item_list)


# --- Activity ---------------------------------------------------------------------------


class ActivityViewSet(WorkspaceViewSet):
    """The workspace's activity feed, newest first (read only)."""

    queryset = ActivityEvent.objects.all()
    serializer_class = ActivityEventSerializer
    filterset_class = ActivityEventFilterSet
    http_method_names = READ_ONLY_METHODS
    selector = staticmethod(selectors.activity_list)
