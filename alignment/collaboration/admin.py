"""Admin of collaboration: events, notifications, comments and webhook logs are read (and
comments removed) here; subscriptions are made in the app, where their URL is checked,
and only switched on or off here. Secrets are never shown."""

from django.contrib import admin

from alignment.collaboration.models import Comment
from alignment.collaboration.models import Event
from alignment.collaboration.models import InboundDelivery
from alignment.collaboration.models import Notification
from alignment.collaboration.models import WebhookDelivery
from alignment.collaboration.models import WebhookSubscription
from alignment.scoped_admin import WorkspaceScopedAdmin


class ReadOnlyAdmin(WorkspaceScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "workspace", "kind", "actor", "message", "fanned_out_at"]
    list_filter = ["kind"]
    search_fields = ["message", "subject_label"]
    list_select_related = ["workspace", "actor"]
    exclude = ["recipient_ids"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "workspace", "recipient", "event", "read_at", "email"]
    list_filter = ["email"]
    list_select_related = ["workspace", "recipient", "event"]
    raw_id_fields = ["event"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "workspace", "author", "subject_type", "subject_id"]
    list_filter = ["subject_type"]
    search_fields = ["body"]
    list_select_related = ["workspace", "author"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(WorkspaceScopedAdmin):
    list_display = ["url", "workspace", "format", "active", "created_at"]
    list_filter = ["format", "active"]
    fields = ["workspace", "url", "events", "format", "active", "created_by", "created_at"]
    readonly_fields = ["url", "events", "format", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "workspace", "subscription", "status", "status_code", "attempts"]
    list_filter = ["status"]
    list_select_related = ["workspace", "subscription"]
    raw_id_fields = ["event", "subscription"]


@admin.register(InboundDelivery)
class InboundDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "workspace", "source", "event", "outcome"]
    list_filter = ["source", "outcome"]
