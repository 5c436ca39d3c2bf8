"""Collaboration's API routes, mounted under /api/v1/workspaces/<workspace_slug>/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from alignment.collaboration.api import comments
from alignment.collaboration.api import notifications
from alignment.collaboration.api import webhooks

app_name = "collaboration-api"

router = SimpleRouter(trailing_slash=True)
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("comments", comments.CommentViewSet, basename="comment")
router.register("webhooks", webhooks.WebhookViewSet, basename="webhook")

urlpatterns = [
    *router.urls,
    path("inbound-hooks/", webhooks.InboundHookView.as_view(), name="inbound-hooks"),
    path(
        "inbound-hooks/rotate/",
        webhooks.InboundHookRotateView.as_view(),
        name="inbound-hooks-rotate",
    ),
]
