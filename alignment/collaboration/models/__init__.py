from alignment.collaboration.models.comments import Comment
from alignment.collaboration.models.events import Event, Notification, NotificationPreference
from alignment.collaboration.models.hooks import (
    InboundDelivery,
    InboundHook,
    WebhookDelivery,
    WebhookSubscription,
)

__all__ = [
    "Comment",
    "Event",
    "InboundDelivery",
    "InboundHook",
    "Notification",
    "NotificationPreference",
    "WebhookDelivery",
    "WebhookSubscription",
]
