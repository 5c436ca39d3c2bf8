from alignment.collaboration.models.comments import Comment
from alignment.collaboration.models.events import Event
from alignment.collaboration.models.events import Notification
from alignment.collaboration.models.events import NotificationPreference
from alignment.collaboration.models.hooks import InboundDelivery
from alignment.collaboration.models.hooks import InboundHook
from alignment.collaboration.models.hooks import WebhookDelivery
from alignment.collaboration.models.hooks import WebhookSubscription
