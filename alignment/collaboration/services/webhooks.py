"""Outbound webhook subscriptions (workspace admins): create, update, delete, the test
ping; and which targets they may name.

Targets are checked against SSRF when a subscription is saved (`target_error`), and again
when each connection of a delivery is opened (webhook_deliveries.py: `resolve_public` on
the address actually connected to, against DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alignment.collaboration.kinds import SUBSCRIBABLE
from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import Event
from alignment.collaboration.models import WebhookDelivery
from alignment.collaboration.models import WebhookSubscription
from alignment.services import require_admin
from alignment.writes import assign_fields

SUBSCRIPTION_FIELDS = {"url", "events", "format", "active"}


class UnsafeTarget(ValueError):
    """The target resolves to an address webhooks must not reach (SSRF)."""


# --- Subscriptions ----------------------------------------------------------------------


def _validate(subscription: WebhookSubscription) -> None:
    errors: dict[str, list[str]] = {}
    events = subscription.events
    if not isinstance(events, list) or not all(isinstance(kind, str) for kind in events):
        errors["events"] = ["Give a list of event kinds."]
    elif not events:
        errors["events"] = ["Choose at least one event kind."]
    elif len(set(events)) != len(events):
        errors["events"] = ["An event kind is listed twice."]
    elif unknown := [kind for kind in events if kind not in SUBSCRIBABLE]:
        errors["events"] = [f"Unknown event kind: {', '.join(sorted(unknown))[:200]}."]
    if subscription.format not in WebhookSubscription.Format.values:
        errors["format"] = [f"Choose one of {', '.join(WebhookSubscription.Format.values)}."]
    url_error = target_error(subscription.url) if isinstance(subscription.url, str) else None
    if url_error:
        errors["url"] = [url_error]
    try:
        subscription.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def webhook_create(
    *,
    actor,
    workspace,
    url: str,
    events: list[str],
    format: str = WebhookSubscription.Format.JSON,
    active: bool = True,
) -> WebhookSubscription:
    """A subscription of the workspace's events; its secret is made here (shown once)."""
    require_admin(actor, workspace, to="manage webhooks")
    subscription = WebhookSubscription(
        workspace=workspace,
        url=url,
        events=events,
        format=format,
        active=active,
        created_by=actor if actor.is_authenticated else None,
    )
    _validate(subscription)
    subscription.save()
    return subscription


@transaction.atomic
def webhook_update(*, actor, webhook: WebhookSubscription, **data) -> WebhookSubscription:
    require_admin(actor, webhook.workspace, to="manage webhooks")
    assign_fields(webhook, data, SUBSCRIPTION_FIELDS)
    _validate(webhook)
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, actor, webhook: WebhookSubscription) -> None:
    require_admin(actor, webhook.workspace, to="manage webhooks")
    webhook.delete()


@transaction.atomic
def webhook_send_test(*, actor, webhook: WebhookSubscription) -> WebhookDelivery:
    """A `ping` event for the workspace (nobody is notified) delivered to this one
    subscription, whatever kinds it lists; sent after commit."""
    from alignment.collaboration.services.events import actor_name

    require_admin(actor, webhook.workspace, to="manage webhooks")
    now = timezone.now()
    event = Event.objects.create(
        workspace=webhook.workspace,
        kind=EventKind.PING,
        actor=actor if actor.is_authenticated else None,
        message=f"{actor_name(actor)} sent a test event to {webhook.url}"[:400],
        data={"webhook": webhook.pk},
        # Fanned out here: a ping goes to this subscription only, never to the others.
        fanned_out_at=now,
        occurred_at=now,
    )
    delivery = WebhookDelivery.objects.create(
        workspace=webhook.workspace,
        subscription=webhook,
        event=event,
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def _enqueue(delivery_id: int) -> None:
    from alignment.collaboration.tasks import deliver_webhook
    from alignment.queueing import publish

    # Unpublished (broker down): the sweep finds the delivery due and publishes it.
    publish(deliver_webhook, delivery_id)


# --- Targets (SSRF) ---------------------------------------------------------------------


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def resolve_public(host: str, port: int) -> list[str]:
    """The host's addresses, all of which must be public; UnsafeTarget otherwise. With
    WEBHOOKS_ALLOW_PRIVATE (on under DEBUG) any address is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeTarget(f"The host {host[:100]} does not resolve.") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            if not _is_public(ipaddress.ip_address(address.split("%", 1)[0])):
                raise UnsafeTarget(
                    "The URL points to a loopback, private, link-local or reserved address."
                )
    return addresses


def target_error(url: str) -> str | None:
    """Why `url` cannot receive webhooks, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Enter a valid URL."
    if parts.scheme.lower() not in {"http", "https"}:
        return "Use an http or https URL."
    if not parts.hostname:
        return "The URL needs a host."
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return None
    try:
        resolve_public(parts.hostname, port or (443 if parts.scheme.lower() == "https" else 80))
    except UnsafeTarget as error:
        return str(error)
    return None
