"""Outbound webhooks: real deliveries to a local HTTP server, signatures, Slack's shape,
retries with backoff, SSRF refusals, the API and the pages."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import socket
from datetime import timedelta

import pytest
import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from alignment.collaboration import services
from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import Event
from alignment.collaboration.models import WebhookDelivery
from alignment.collaboration.models import WebhookSubscription
from alignment.collaboration.services.webhook_deliveries import MAX_BACKOFF
from alignment.collaboration.services.webhook_deliveries import webhook_backoff
from alignment.models import Role
from tests.alignment.factories import feature_in
from tests.collaboration.factories import WebhookSubscriptionFactory
from tests.collaboration.servers import Receiver

pytestmark = pytest.mark.django_db

allow_private = override_settings(WEBHOOKS_ALLOW_PRIVATE=True)
refuse_private = override_settings(WEBHOOKS_ALLOW_PRIVATE=False)


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def webhook(workspace, admin_user, receiver):
    with allow_private:
        return services.webhook_create(
            actor=admin_user,
            workspace=workspace,
            url=receiver.url,
            events=[EventKind.CLAIM_SUBMITTED, EventKind.FEATURE_RELEASED],
        )


def _claim_hook(actor, workspace, url):
    """A webhook of `workspace` to `url` on claims submitted, made by `actor`."""
    return services.webhook_create(
        actor=actor, workspace=workspace, url=url, events=[EventKind.CLAIM_SUBMITTED]
    )


def _signed(secret: str, request: dict) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(request["headers"]["X-Tandem-Signature"], expected)


def _due_now(delivery: WebhookDelivery) -> None:
    """What the passing of time does between attempts (instead of sleeping)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Delivering -------------------------------------------------------------------------


@allow_private
def test_an_event_reaches_the_receiver_signed(
    workspace, admin_user, user, webhook, receiver, django_capture_on_commit_callbacks
):
    feature = feature_in(workspace, name="One-step checkout")
    with django_capture_on_commit_callbacks(execute=True):
        event = services.event_record(
            workspace=workspace,
            kind=EventKind.FEATURE_RELEASED,
            actor=user,
            subject=feature,
            recipients=[admin_user.pk],
            message="Feature released.",
            data={"release_date": "2026-03-02"},
        )
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert _signed(webhook.secret, request)
    delivery = WebhookDelivery.objects.get(event=event)
    headers = request["headers"]
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Tandem-Event"] == "feature.released"
    assert headers["X-Tandem-Delivery"] == str(delivery.delivery_id)
    assert headers["User-Agent"] == "Tandem-Webhooks"
    payload = json.loads(request["body"])
    assert payload["id"] == str(delivery.delivery_id)
    assert payload["event"] == "feature.released"
    assert payload["workspace"] == "acme"
    assert payload["occurred_at"]
    data = payload["data"]
    assert data["subject_id"] == feature.pk
    assert data["subject_label"] == str(feature)
    assert data["url"] == settings.EMAIL_LINK_BASE_URL.rstrip("/") + feature.get_absolute_url()
    assert data["actor"] == user.username
    assert data["message"] == "Feature released."
    assert data["release_date"] == "2026-03-02"
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert (delivery.status_code, delivery.attempts, delivery.error) == (200, 1, "")
    assert delivery.delivered_at is not None


@allow_private
def test_kinds_the_subscription_does_not_list_are_not_sent(
    workspace, user, webhook, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.event_record(
            workspace=workspace, kind=EventKind.IMPORT_FINISHED, actor=user, message="Imported."
        )
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


@allow_private
def test_slack_format_posts_text_with_a_link(workspace, admin_user, user, receiver):
    slack = services.webhook_create(
        actor=admin_user,
        workspace=workspace,
        url=receiver.url,
        events=[EventKind.FEATURE_RELEASED],
        format=WebhookSubscription.Format.SLACK,
    )
    feature = feature_in(workspace, name="Checkout <fast> & simple")
    event = services.event_record(
        workspace=workspace,
        kind=EventKind.FEATURE_RELEASED,
        actor=user,
        subject=feature,
        message="Released “Checkout <fast> & simple”.",
    )
    delivery = WebhookDelivery.objects.create(
        workspace=workspace, subscription=slack, event=event, next_attempt_at=timezone.now()
    )
    assert services.webhook_deliver(delivery_id=delivery.pk) is None
    body = json.loads(receiver.requests[0]["body"])
    url = settings.EMAIL_LINK_BASE_URL.rstrip("/") + feature.get_absolute_url()
    assert set(body) == {"text"}
    assert body["text"].startswith("Released “Checkout &lt;fast&gt; &amp; simple”. <" + url + "|")
    assert _signed(slack.secret, receiver.requests[0])


@allow_private
def test_a_failure_is_retried_with_backoff_then_delivered(webhook, admin_user, receiver):
    receiver.statuses = [500, 200]
    delivery = services.webhook_send_test(actor=admin_user, webhook=webhook)
    before = timezone.now()
    delay = services.webhook_deliver(delivery_id=delivery.pk)
    base = settings.WEBHOOKS_RETRY_BACKOFF
    assert base <= delay <= base * 1.1
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert (delivery.attempts, delivery.status_code) == (1, 500)
    assert delivery.error.startswith("HTTP 500: boom")
    assert before + timedelta(seconds=delay) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + timedelta(seconds=delay)

    # Not due yet: a redelivered task or the sweep sends nothing.
    assert services.webhook_deliver(delivery_id=delivery.pk) is None
    assert len(receiver.requests) == 1
    assert delivery.pk not in services.webhook_deliveries_due()
    assert delivery.pk in services.webhook_deliveries_due(
        now=delivery.next_attempt_at + timedelta(minutes=3)
    )

    _due_now(delivery)
    assert services.webhook_deliver(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert (delivery.attempts, delivery.status_code, delivery.error) == (2, 200, "")
    first, second = receiver.requests
    assert first["body"] == second["body"]
    assert first["headers"]["X-Tandem-Delivery"] == second["headers"]["X-Tandem-Delivery"]

    # Delivered: never sent again, whoever asks.
    _due_now(delivery)
    assert services.webhook_deliver(delivery_id=delivery.pk) is None
    assert len(receiver.requests) == 2


def test_backoff_doubles_with_jitter_up_to_an_hour():
    rng = random.Random(7)
    base = settings.WEBHOOKS_RETRY_BACKOFF
    for attempts in range(1, 12):
        delay = webhook_backoff(attempts, rng=rng)
        expected = base * 2 ** (attempts - 1)
        assert min(expected, MAX_BACKOFF) <= delay <= min(expected * 1.1, MAX_BACKOFF)
    assert webhook_backoff(20) == MAX_BACKOFF


@allow_private
def test_max_attempts_then_failed(workspace, admin_user):
    webhook = _claim_hook(admin_user, workspace, f"http://127.0.0.1:{_closed_port()}/hook")
    delivery = services.webhook_send_test(actor=admin_user, webhook=webhook)
    delays = []
    for _ in range(settings.WEBHOOKS_MAX_ATTEMPTS):
        _due_now(delivery)
        delays.append(services.webhook_deliver(delivery_id=delivery.pk))
    delivery.refresh_from_db()
    assert delays[-1] is None and None not in delays[:-1]
    assert delays == sorted(delays[:-1]) + [None]  # growing waits
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == settings.WEBHOOKS_MAX_ATTEMPTS
    assert delivery.status_code is None
    assert "ConnectionError" in delivery.error
    assert delivery.next_attempt_at is None
    _due_now(delivery)  # a failed one is never sent again
    assert services.webhook_deliver(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.attempts == settings.WEBHOOKS_MAX_ATTEMPTS


@allow_private
def test_the_timeout_is_the_setting_and_redirects_are_not_followed(
    webhook, admin_user, receiver, monkeypatch
):
    sent = []
    original = requests.Session.send

    def spy(session, request, **kwargs):
        sent.append(kwargs)
        return original(session, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", spy)
    receiver.statuses = [302]
    receiver.headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
    delivery = services.webhook_send_test(actor=admin_user, webhook=webhook)
    assert services.webhook_deliver(delivery_id=delivery.pk) is not None
    assert sent[0]["timeout"] == settings.WEBHOOKS_TIMEOUT
    assert sent[0]["allow_redirects"] is False
    assert len(sent) == 1 and len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status_code == 302
    assert delivery.error.startswith("HTTP 302 (redirects are not followed)")


@allow_private
def test_a_deactivated_subscription_stops_its_pending_deliveries(
    workspace, admin_user, user, webhook, receiver
):
    event = services.event_record(
        workspace=workspace, kind=EventKind.CLAIM_SUBMITTED, actor=user, message="Submitted."
    )
    delivery = WebhookDelivery.objects.create(
        workspace=workspace, subscription=webhook, event=event, next_attempt_at=timezone.now()
    )
    services.webhook_update(actor=admin_user, webhook=webhook, active=False)
    assert services.webhook_deliver(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert receiver.requests == []


@allow_private
def test_a_ping_reaches_one_subscription_and_notifies_nobody(
    workspace, admin_user, webhook, receiver, django_capture_on_commit_callbacks
):
    other = _claim_hook(admin_user, workspace, receiver.url + "2")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.webhook_send_test(actor=admin_user, webhook=webhook)
    assert [request["path"] for request in receiver.requests] == ["/hook"]
    assert receiver.requests[0]["headers"]["X-Tandem-Event"] == "ping"
    event = Event.objects.get(kind=EventKind.PING)
    assert event.recipient_ids == [] and not event.notifications.exists()
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [delivery.pk]
    assert not other.deliveries.exists()


# --- SSRF -------------------------------------------------------------------------------


def _resolve_as(monkeypatch, mapping: dict[str, str]) -> None:
    """The system resolver answering `mapping` for those names (others as usual)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in mapping:
            return real(mapping[host], port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@refuse_private
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/hook",
        "http://10.0.0.1/hook",
        "https://192.168.1.20/hook",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://intranet.example.test/hook",
        "ftp://hooks.example.com/hook",
        "file:///etc/passwd",
    ],
)
def test_private_targets_are_refused(workspace, admin_user, monkeypatch, url):
    _resolve_as(monkeypatch, {"intranet.example.test": "127.0.0.1"})
    with pytest.raises(ValidationError) as refused:
        _claim_hook(admin_user, workspace, url)
    assert "url" in refused.value.message_dict


@refuse_private
def test_a_public_address_is_allowed(workspace, admin_user):
    webhook = _claim_hook(admin_user, workspace, "https://93.184.215.14/hook")
    assert webhook.pk


@allow_private
def test_a_name_is_delivered_to_whichever_of_its_addresses_answers(workspace, admin_user, receiver):
    """localhost may resolve to ::1 first; the receiver listens on 127.0.0.1 only."""
    port = receiver.server.server_address[1]
    webhook = _claim_hook(admin_user, workspace, f"http://localhost:{port}/hook")
    delivery = services.webhook_send_test(actor=admin_user, webhook=webhook)
    assert services.webhook_deliver(delivery_id=delivery.pk) is None
    assert len(receiver.requests) == 1
    assert receiver.requests[0]["headers"]["Host"] == f"localhost:{port}"


@allow_private
def test_private_targets_are_allowed_when_the_setting_is_on(workspace, admin_user):
    for url in ["http://127.0.0.1:8000/hook", "http://localhost/hook", "http://[::1]/hook"]:
        _claim_hook(admin_user, workspace, url)
    with pytest.raises(ValidationError):  # the scheme is checked whatever the setting
        _claim_hook(admin_user, workspace, "ftp://127.0.0.1/hook")


def test_a_name_rebound_to_loopback_is_refused_when_sending(
    workspace, admin_user, receiver, monkeypatch
):
    """Saved while the name was public; by the time of sending it points at the server."""
    port = receiver.server.server_address[1]
    _resolve_as(monkeypatch, {"hooks.rebind.test": "93.184.215.14"})
    with refuse_private:
        webhook = _claim_hook(admin_user, workspace, f"http://hooks.rebind.test:{port}/hook")
        delivery = services.webhook_send_test(actor=admin_user, webhook=webhook)
        _resolve_as(monkeypatch, {"hooks.rebind.test": "127.0.0.1"})
        assert services.webhook_deliver(delivery_id=delivery.pk) is not None
    delivery.refresh_from_db()
    assert "loopback" in delivery.error
    assert receiver.requests == []


# --- Validation and roles ---------------------------------------------------------------


@allow_private
@pytest.mark.parametrize(
    "events,message",
    [
        ([], "at least one"),
        (["claim.submitted", "claim.submitted"], "twice"),
        (["claim.exploded"], "Unknown"),
        (["ping"], "Unknown"),
        ("claim.submitted", "list"),
    ],
)
def test_events_are_validated(workspace, admin_user, events, message):
    with pytest.raises(ValidationError) as refused:
        services.webhook_create(
            actor=admin_user, workspace=workspace, url="https://h.example.com/", events=events
        )
    assert message in refused.value.message_dict["events"][0]


def test_only_admins_manage_webhooks(workspace, member):
    for role in (Role.PM, Role.PMM, Role.VIEWER):
        with pytest.raises(PermissionDenied):
            _claim_hook(member(role), workspace, "https://h.example.com/")


# --- API --------------------------------------------------------------------------------


def _api_url(workspace, name="webhook-list", **kwargs):
    return reverse(f"collaboration-api:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


@allow_private
def test_api_create_shows_the_secret_once(api_client, workspace, admin_user):
    api_client.force_authenticate(admin_user)
    created = api_client.post(
        _api_url(workspace),
        {"url": "https://hooks.example.com/a", "events": ["claim.submitted"], "secret": "mine"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    webhook = WebhookSubscription.objects.get(pk=body["id"])
    assert body["secret"] == webhook.secret != "mine"
    assert len(webhook.secret) == 64
    assert body["format"] == "json" and body["active"] is True
    listed = api_client.get(_api_url(workspace)).json()
    assert "secret" not in json.dumps(listed)
    one = api_client.get(_api_url(workspace, "webhook-detail", pk=webhook.pk)).json()
    assert set(one) == {"id", "url", "events", "format", "active", "created_at"}
    patched = api_client.patch(
        _api_url(workspace, "webhook-detail", pk=webhook.pk),
        {"active": False, "format": "slack"},
        format="json",
    )
    assert patched.status_code == 200 and "secret" not in patched.json()
    webhook.refresh_from_db()
    assert (webhook.active, webhook.format) == (False, "slack")


@refuse_private
def test_api_refuses_bad_input_with_the_field(api_client, workspace, admin_user):
    api_client.force_authenticate(admin_user)
    for data, field in [
        ({"url": "http://127.0.0.1/x", "events": ["claim.submitted"]}, "url"),
        ({"url": "ftp://example.com/x", "events": ["claim.submitted"]}, "url"),
        ({"url": "https://93.184.215.14/x", "events": []}, "events"),
        ({"url": "https://93.184.215.14/x", "events": ["nope"]}, "events"),
        ({"url": "https://93.184.215.14/x", "events": ["feedback.created"] * 2}, "events"),
        ({"url": "https://93.184.215.14/x", "events": ["ping"]}, "events"),
        ({"url": "https://93.184.215.14/x", "events": ["ping"], "format": "xml"}, "format"),
    ]:
        response = api_client.post(_api_url(workspace), data, format="json")
        assert response.status_code == 400, (data, response.content)
        assert field in response.json(), (data, response.json())
    assert not WebhookSubscription.objects.exists()


def test_api_is_for_admins_only(api_client, workspace, member):
    webhook = WebhookSubscriptionFactory(workspace=workspace)
    for role in (Role.VIEWER, Role.PM, Role.PMM, Role.MARKETING):
        api_client.force_authenticate(member(role))
        detail = _api_url(workspace, "webhook-detail", pk=webhook.pk)
        assert api_client.get(_api_url(workspace)).status_code == 403
        assert api_client.get(detail).status_code == 403
        assert (
            api_client.get(_api_url(workspace, "webhook-deliveries", pk=webhook.pk)).status_code
            == 403
        )
        assert api_client.post(_api_url(workspace), {}, format="json").status_code == 403
        assert api_client.patch(detail, {"active": False}, format="json").status_code == 403
        assert api_client.delete(detail).status_code == 403
        assert (
            api_client.post(_api_url(workspace, "webhook-test", pk=webhook.pk)).status_code == 403
        )
        assert api_client.get(_api_url(workspace, "inbound-hooks")).status_code == 403
        assert api_client.post(_api_url(workspace, "inbound-hooks-rotate")).status_code == 403
    webhook.refresh_from_db()
    assert webhook.active


def test_api_another_tenants_webhook_is_404(api_client, workspace, other_workspace, admin_user):
    foreign = WebhookSubscriptionFactory(workspace=other_workspace)
    api_client.force_authenticate(admin_user)
    for name in ("webhook-detail", "webhook-deliveries"):
        assert api_client.get(_api_url(workspace, name, pk=foreign.pk)).status_code == 404
    assert api_client.post(_api_url(workspace, "webhook-test", pk=foreign.pk)).status_code == 404
    assert (
        api_client.delete(_api_url(workspace, "webhook-detail", pk=foreign.pk)).status_code == 404
    )
    # Not a member there: the whole workspace is 404.
    assert api_client.get(_api_url(other_workspace)).status_code == 404
    assert WebhookSubscription.objects.filter(pk=foreign.pk).exists()


@allow_private
def test_api_test_and_deliveries(
    api_client, workspace, admin_user, webhook, receiver, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        sent = api_client.post(_api_url(workspace, "webhook-test", pk=webhook.pk))
    assert sent.status_code == 202, sent.content
    assert receiver.requests[0]["headers"]["X-Tandem-Event"] == "ping"
    assert _signed(webhook.secret, receiver.requests[0])
    response = api_client.get(_api_url(workspace, "webhook-deliveries", pk=webhook.pk))
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == sent.json()["id"] == receiver.requests[0]["headers"]["X-Tandem-Delivery"]
    assert row["event"] == "ping"
    assert (row["status"], row["status_code"], row["attempts"], row["error"]) == (
        "delivered",
        200,
        1,
        "",
    )
    assert row["delivered_at"]


def test_api_inbound_hooks_secret_and_rotation(api_client, workspace, admin_user):
    api_client.force_authenticate(admin_user)
    first = api_client.get(_api_url(workspace, "inbound-hooks")).json()
    assert set(first) == {"secret", "github", "jira", "linear", "linear_secret_set"}
    base = settings.EMAIL_LINK_BASE_URL.rstrip("/")
    assert first["github"] == f"{base}/api/v1/hooks/acme/github/"
    assert first["jira"].endswith("/api/v1/hooks/acme/jira/")
    assert api_client.get(_api_url(workspace, "inbound-hooks")).json() == first
    rotated = api_client.post(_api_url(workspace, "inbound-hooks-rotate"))
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != first["secret"]
    assert rotated.json()["linear"] == first["linear"]


# --- Pages ------------------------------------------------------------------------------


@allow_private
def test_pages_create_test_deactivate_delete(
    client, workspace, admin_user, receiver, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    page = reverse("collaboration:webhooks", args=[workspace.slug])
    listing = client.get(page)
    assert listing.status_code == 200
    assert services.inbound_hook_get(workspace=workspace).secret in listing.content.decode()
    assert "/api/v1/hooks/acme/linear/" in listing.content.decode()
    created = client.post(
        page,
        {"url": receiver.url, "events": ["claim.submitted", "feature.released"], "format": "json"},
    )
    webhook = WebhookSubscription.objects.get()
    detail = reverse("collaboration:webhook_detail", args=[workspace.slug, webhook.pk])
    assert created.status_code == 302 and created["Location"] == detail
    assert webhook.secret in client.get(detail).content.decode()  # once...
    assert webhook.secret not in client.get(detail).content.decode()  # ...only
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("collaboration:webhook_test", args=[workspace.slug, webhook.pk]))
    assert len(receiver.requests) == 1
    assert "ping" in client.get(detail).content.decode()
    client.post(detail, {"active": "0"})
    webhook.refresh_from_db()
    assert not webhook.active
    client.post(reverse("collaboration:webhook_delete", args=[workspace.slug, webhook.pk]))
    assert not WebhookSubscription.objects.exists()


@refuse_private
def test_page_shows_a_refused_url_on_the_form(client, workspace, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("collaboration:webhooks", args=[workspace.slug]),
        {"url": "http://169.254.169.254/", "events": ["claim.submitted"], "format": "json"},
    )
    assert response.status_code == 200
    assert "loopback, private" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_pages_are_for_admins(client, workspace, other_workspace, member, admin_user):
    webhook = WebhookSubscriptionFactory(workspace=workspace)
    client.force_login(member(Role.PM))
    assert client.get(reverse("collaboration:webhooks", args=[workspace.slug])).status_code == 403
    detail = reverse("collaboration:webhook_detail", args=[workspace.slug, webhook.pk])
    assert client.get(detail).status_code == 403
    assert client.post(detail, {"active": "0"}).status_code == 403
    rotate = reverse("collaboration:inbound_rotate", args=[workspace.slug])
    assert client.post(rotate).status_code == 403
    client.force_login(admin_user)
    foreign = WebhookSubscriptionFactory(workspace=other_workspace)
    assert (
        client.get(
            reverse("collaboration:webhook_detail", args=[workspace.slug, foreign.pk])
        ).status_code
        == 404
    )
    settings_page = client.get(reverse("workspace_settings", args=[workspace.slug]))
    assert (
        reverse("collaboration:webhooks", args=[workspace.slug]) in settings_page.content.decode()
    )


@allow_private
def test_the_sweep_sends_a_delivery_whose_task_was_lost(webhook, admin_user, receiver):
    from alignment.collaboration.tasks import sweep

    delivery = services.webhook_send_test(actor=admin_user, webhook=webhook)  # never enqueued
    sweep()
    assert receiver.requests == []  # not overdue yet: its task may still come
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    sweep()
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
