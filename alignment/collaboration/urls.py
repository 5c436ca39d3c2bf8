"""Collaboration pages, under /w/<workspace_slug>/."""

from django.urls import path

from alignment.collaboration.views import comments
from alignment.collaboration.views import notifications
from alignment.collaboration.views import webhooks

app_name = "collaboration"

urlpatterns = [
    path("notifications/", notifications.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path(
        "notifications/<int:pk>/open/",
        notifications.notification_open,
        name="notification_open",
    ),
    path(
        "notifications/settings/",
        notifications.NotificationSettingsView.as_view(),
        name="notification_settings",
    ),
    path(
        "comments/<str:subject_type>/<int:subject_id>/",
        comments.comment_create,
        name="comment_create",
    ),
    path("mentions/", comments.mention_candidates, name="mention_candidates"),
    path("webhooks/", webhooks.WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", webhooks.WebhookDetailView.as_view(), name="webhook_detail"),
    path("webhooks/<int:pk>/test/", webhooks.webhook_test, name="webhook_test"),
    path("webhooks/<int:pk>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path("webhooks/inbound/rotate/", webhooks.inbound_rotate, name="inbound_rotate"),
    path(
        "webhooks/inbound/linear/",
        webhooks.inbound_linear_secret,
        name="inbound_linear_secret",
    ),
]
