"""Collaboration services: record events, fan them out, notifications and their email,
comments, outbound webhooks, inbound hooks. Import from `alignment.collaboration.services`."""

from alignment.collaboration.services.comments import comment_create
from alignment.collaboration.services.comments import comment_delete
from alignment.collaboration.services.comments import comment_update
from alignment.collaboration.services.email import notification_digests_send
from alignment.collaboration.services.email import notification_email_send
from alignment.collaboration.services.email import notification_emails_due
from alignment.collaboration.services.events import event_record
from alignment.collaboration.services.fanout import event_fan_out
from alignment.collaboration.services.fanout import events_sweep_unsent
from alignment.collaboration.services.inbound import inbound_hook_get
from alignment.collaboration.services.inbound import inbound_hook_receive
from alignment.collaboration.services.inbound import inbound_hook_rotate
from alignment.collaboration.services.inbound import inbound_hook_set_linear_secret
from alignment.collaboration.services.notifications import notification_preferences
from alignment.collaboration.services.notifications import notification_preferences_update
from alignment.collaboration.services.notifications import notifications_mark_read
from alignment.collaboration.services.webhook_deliveries import webhook_deliver
from alignment.collaboration.services.webhook_deliveries import webhook_deliveries_due
from alignment.collaboration.services.webhooks import webhook_create
from alignment.collaboration.services.webhooks import webhook_send_test
from alignment.collaboration.services.webhooks import webhook_update
