"""Outbound webhook deliveries: the signed POST of an event to a subscription, with
retries and backoff.

A delivery row owns its state: `webhook_deliver` claims it with a conditional UPDATE
(pending and due, pushed forward by a lease while it is being sent), so a retry, the sweep
and a redelivered task never send a delivered or failed one again, nor the same attempt
twice at once. The target is checked again when each connection is opened (the address
actually connected to is the one checked: DNS rebinding).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from datetime import timedelta

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError
from urllib3.exceptions import NewConnectionError

from alignment.collaboration import links
from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import WebhookDelivery
from alignment.collaboration.models import WebhookSubscription
from alignment.collaboration.services.webhooks import UnsafeTarget
from alignment.collaboration.services.webhooks import resolve_public
from alignment.collaboration.services.webhooks import target_error

USER_AGENT = "Tandem-Webhooks"
MAX_BACKOFF = 3600  # seconds: no retry waits longer than an hour
JITTER = 0.1  # up to 10% more, so deliveries that failed together do not retry together
# A delivery whose next attempt is this late lost its task (broker down, worker killed
# mid-send): the sweep publishes it again.
DUE_GRACE = timedelta(minutes=2)
# Clocks of the worker that set next_attempt_at and the one running the retry may differ.
CLOCK_SLACK = timedelta(seconds=30)
ERROR_LENGTH = 200  # how much of an answer's body the log keeps


# --- Connections: each address checked as it is opened (SSRF) ---------------------------


class _CheckedAddressMixin:
    """Connects to an address of the host checked just now: a name that resolved to a
    public address when the subscription was saved and to a private one now (DNS
    rebinding) is refused. The TLS name stays the host's."""

    def _new_conn(self):
        host = self._dns_host
        failure = None
        try:
            for address in resolve_public(host, self.port):  # each checked, in order
                self._dns_host = address
                try:
                    return super()._new_conn()
                except (NewConnectionError, ConnectTimeoutError) as error:
                    failure = error  # the next address (IPv6 then IPv4, say)
            raise failure or UnsafeTarget(f"The host {host[:100]} does not resolve.")
        finally:
            self._dns_host = host


class _CheckedHTTPConnection(_CheckedAddressMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedAddressMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: it would skip the check
    session.mount("http://", _CheckedAdapter(max_retries=0))
    session.mount("https://", _CheckedAdapter(max_retries=0))
    return session


# --- Deliveries -------------------------------------------------------------------------


def webhook_payload(delivery: WebhookDelivery) -> dict:
    """What a JSON subscription receives (API.md: id, event, workspace, occurred_at, data)."""
    event = delivery.event
    return {
        "id": str(delivery.delivery_id),
        "event": event.kind,
        "workspace": delivery.workspace.slug,
        "occurred_at": event.occurred_at,
        "data": {
            "subject_type": event.subject_type or None,
            "subject_id": event.subject_id,
            "subject_label": event.subject_label,
            "url": links.absolute(event.url) or None,
            "actor": event.actor.get_username() if event.actor else None,
            "message": event.message,
            **(event.data or {}),
        },
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_body(delivery: WebhookDelivery) -> bytes:
    """The raw body POSTed for a delivery, in its subscription's format."""
    if delivery.subscription.format == WebhookSubscription.Format.SLACK:
        event = delivery.event
        text = _slack_escape(event.message)
        url = links.absolute(event.url)
        if url:
            label = _slack_escape(event.subject_label or url)
            text = f"{text} <{url}|{label}>"
        payload = {"text": text}
    else:
        payload = webhook_payload(delivery)
    return json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def webhook_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_backoff(attempts: int, *, rng: random.Random | None = None) -> float:
    """Seconds before the next attempt after `attempts` failed ones: WEBHOOKS_RETRY_BACKOFF
    doubled each time, up to JITTER more, never more than MAX_BACKOFF."""
    base = settings.WEBHOOKS_RETRY_BACKOFF * 2 ** max(attempts - 1, 0)
    jitter = (rng or random).uniform(0, JITTER)
    return min(base * (1 + jitter), MAX_BACKOFF)


def _lease() -> timedelta:
    # Long enough for one attempt (connect and read can each take the timeout).
    return timedelta(seconds=2 * settings.WEBHOOKS_TIMEOUT + 30)


def _claim(delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=now + CLOCK_SLACK,
    ).update(next_attempt_at=now + _lease())
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related(
        "subscription", "event", "event__actor", "workspace"
    ).get(pk=delivery_id)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """One POST: (status code or None, error or "")."""
    subscription = delivery.subscription
    body = webhook_body(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Tandem-Event": delivery.event.kind,
        "X-Tandem-Delivery": str(delivery.delivery_id),
        "X-Tandem-Signature": webhook_signature(subscription.secret, body),
    }
    problem = target_error(subscription.url)
    if problem:
        return None, problem
    try:
        with _session() as session:
            response = session.post(
                subscription.url,
                data=body,
                headers=headers,
                timeout=settings.WEBHOOKS_TIMEOUT,
                allow_redirects=False,
                stream=True,
            )
            with response:
                if 200 <= response.status_code < 300:
                    return response.status_code, ""
                excerpt = response.raw.read(ERROR_LENGTH, decode_content=True) or b""
    except UnsafeTarget as error:
        return None, str(error)
    except requests.Timeout:
        return None, f"No answer within {settings.WEBHOOKS_TIMEOUT} s."
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    error = f"HTTP {response.status_code}"
    if 300 <= response.status_code < 400:
        error += " (redirects are not followed)"
    text = excerpt.decode("utf-8", "replace").strip()
    return response.status_code, f"{error}: {text}"[:ERROR_LENGTH] if text else error


def webhook_deliver(*, delivery_id: int) -> float | None:
    """One attempt; the seconds to wait before the next one, or None when done (delivered,
    failed for good, or not this caller's to send: already delivered, failed, being sent,
    or not due yet)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    inactive = not delivery.subscription.active and delivery.event.kind != EventKind.PING
    if inactive:  # deactivated since: its pending deliveries stop
        status_code, error, attempts = None, "The subscription was deactivated.", delivery.attempts
    else:
        status_code, error = _post(delivery)
        attempts = delivery.attempts + 1
    now = timezone.now()
    fields = {"attempts": attempts, "status_code": status_code, "error": error[:500]}
    delay = None
    if not error:
        fields.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now)
        fields.update(next_attempt_at=None)
    elif inactive or attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        fields.update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
    else:
        delay = webhook_backoff(attempts)
        fields.update(next_attempt_at=now + timedelta(seconds=delay))
    WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.PENDING).update(
        **fields
    )
    return delay


def webhook_deliveries_due(*, now=None) -> list[int]:
    """Pending deliveries whose next attempt is DUE_GRACE overdue: their task was lost."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lt=now - DUE_GRACE
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
