"""The core app's API routes. `router` is mounted under /api/v1/workspaces/<workspace_slug>/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from alignment.api import viewsets
from alignment.api.portability import WorkspaceExportView
from alignment.api.search import SearchView
from alignment.messaging.api import viewsets as messaging

app_name = "alignment-api"

router = SimpleRouter(trailing_slash=True)
router.register("members", viewsets.MemberViewSet, basename="member")
router.register("invitations", viewsets.WorkspaceInvitationViewSet, basename="invitation")
router.register("products", viewsets.ProductViewSet, basename="product")
router.register("features", viewsets.FeatureViewSet, basename="feature")
router.register("positioning", messaging.PositioningViewSet, basename="positioning")
router.register("claims", messaging.ClaimViewSet, basename="claim")
router.register("documents", messaging.HandoffDocumentViewSet, basename="document")
router.register("objectives", messaging.ObjectiveViewSet, basename="objective")
router.register("feedback", messaging.FeedbackViewSet, basename="feedback")
router.register(
    r"feedback/(?P<feedback_pk>[0-9]+)/comments",
    messaging.FeedbackCommentViewSet,
    basename="feedback-comment",
)
router.register("meetings", messaging.SyncMeetingViewSet, basename="meeting")
router.register(
    r"meetings/(?P<meeting_pk>[0-9]+)/action-items",
    messaging.ActionItemViewSet,
    basename="meeting-action-item",
)
router.register("action-items", messaging.OpenActionItemViewSet, basename="action-item")
router.register("activity", messaging.ActivityViewSet, basename="activity")

urlpatterns = [
    *router.urls,
    path("export/", WorkspaceExportView.as_view(), name="export"),
    path("search/", SearchView.as_view(), name="search"),
]
