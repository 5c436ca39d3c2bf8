"""Inbound release webhooks from GitHub, Jira and Linear.

Each source signs its posts in its own documented way (checked in constant time on the raw
body, before it is parsed): GitHub and Jira with the workspace's inbound secret, Linear (which
makes each webhook's signing secret itself) with the one an admin pasted from Linear
(`InboundHook.linear_secret`), or the inbound secret while none is. GitHub's
`X-Hub-Signature-256: sha256=<hex>`, Jira Cloud's `X-Hub-Signature: sha256=<hex>` (WebSub
style) and Linear's `Linear-Signature: <hex>` with a `webhookTimestamp` (ms) in the body no
older than a minute. A release that names a feature's external reference releases it
(alignment.services.feature_release); every accepted post is logged as an InboundDelivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from alignment import services as core_services
from alignment.collaboration import links
from alignment.collaboration.models import InboundDelivery
from alignment.collaboration.models import InboundHook
from alignment.collaboration.models.hooks import new_secret
from alignment.dates import EARLIEST
from alignment.dates import LATEST
from alignment.models import Feature
from alignment.services import require_admin

MAX_BODY = 1_000_000  # bytes; GitHub caps its payloads at 25 MB, releases are far smaller
LINEAR_MAX_AGE = 60  # seconds, as Linear's documentation recommends
LINEAR_SECRET_MAX = InboundHook._meta.get_field("linear_secret").max_length
SOURCES = InboundDelivery.Source.values
# A Jira or Linear key as a whole word: PAY-123, ENG-45 (not XPAY-123 nor PAY-1234).
KEY = re.compile(r"(?<![\w-])([A-Za-z][A-Za-z0-9_]{0,19}-[1-9][0-9]{0,8})(?!\w)")


class InboundRejected(Exception):
    """A post that is not accepted; `status` is the HTTP answer."""

    status = 400


class UnknownSource(InboundRejected):
    status = 404


class BadSignature(InboundRejected):
    status = 401

    def __init__(self, message: str = "bad signature"):
        super().__init__(message)


# --- The secret -------------------------------------------------------------------------


def inbound_hook_get(*, workspace) -> InboundHook:
    """The workspace's inbound hook, its secret made on first use."""
    hook, _ = InboundHook.objects.get_or_create(workspace=workspace)
    return hook


@transaction.atomic
def inbound_hook_rotate(*, actor, workspace) -> InboundHook:
    """A new secret: posts signed with the old one are refused from now on."""
    require_admin(actor, workspace, to="manage inbound hooks")
    hook = inbound_hook_get(workspace=workspace)
    hook.secret = new_secret()
    hook.rotated_at = timezone.now()
    hook.save(update_fields=["secret", "rotated_at"])
    return hook


@transaction.atomic
def inbound_hook_set_linear_secret(*, actor, workspace, secret: str) -> InboundHook:
    """Store the signing secret Linear shows on its webhook's page: Linear posts are checked
    with it from now on (GitHub and Jira still with the inbound secret). Empty clears it, and
    Linear posts are checked with the inbound secret again."""
    require_admin(actor, workspace, to="manage inbound hooks")
    secret = (secret or "").strip()
    if len(secret) > LINEAR_SECRET_MAX:
        raise ValidationError(
            {"linear_secret": f"Ensure this value has at most {LINEAR_SECRET_MAX} characters."}
        )
    hook = inbound_hook_get(workspace=workspace)
    hook.linear_secret = secret
    hook.save(update_fields=["linear_secret"])
    return hook


def inbound_hook_urls(*, workspace) -> dict[str, str]:
    """The absolute URL each source posts to."""
    return {
        source: links.absolute(
            reverse("inbound-hook", kwargs={"workspace_slug": workspace.slug, "source": source})
        )
        for source in SOURCES
    }


# --- Signatures -------------------------------------------------------------------------


def _digest(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _signed(given: str | None, expected: str, *, prefix: str = "") -> bool:
    if not given or not given.startswith(prefix):
        return False
    return hmac.compare_digest(given[len(prefix) :].strip().lower().encode(), expected.encode())


SIGNATURE_HEADERS = {
    "github": ("x-hub-signature-256", "sha256="),
    "jira": ("x-hub-signature", "sha256="),
    "linear": ("linear-signature", ""),
}


def _verify(source: str, secret: str | None, headers: Mapping[str, str], body: bytes) -> None:
    header, prefix = SIGNATURE_HEADERS[source]
    if not secret or not _signed(headers.get(header), _digest(secret, body), prefix=prefix):
        raise BadSignature()


# --- Payloads ---------------------------------------------------------------------------


def _get(data, *path):
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _day_of_iso(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def _day_of_ms(value) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _release_day(*moments):
    """The local date of the first moment given that is a sensible date; today otherwise."""
    for moment in moments:
        if moment is not None:
            day = timezone.localdate(moment)
            if EARLIEST <= day <= LATEST:
                return day
    return timezone.localdate()


class Release:
    """What a post says was released: the references it names, and when."""

    def __init__(self, *, event: str, keys=(), exact=(), day=None, ignored: str = ""):
        self.event = event
        self.keys = {key.upper() for key in keys}  # matched case-insensitively
        self.exact = {ref.lower() for ref in exact}  # github:owner/repo@tag
        self.day = day
        self.ignored = ignored  # why nothing is to be done, when so

    @property
    def references(self) -> list[str]:
        return sorted(self.keys) + sorted(self.exact)

    def names(self, ref: str) -> bool:
        return ref.upper() in self.keys or ref.lower() in self.exact


def _github(headers: Mapping[str, str], payload: dict) -> Release:
    kind = headers.get("x-github-event", "")
    action = _text(payload.get("action"))
    event = f"{kind}.{action}" if action else kind
    if kind != "release" or action != "published":
        return Release(event=event[:60], ignored="Only published releases release features.")
    release = payload.get("release") if isinstance(payload.get("release"), dict) else {}
    text = f"{_text(release.get('name'))}\n{_text(release.get('body'))}"
    repository = _text(_get(payload, "repository", "full_name"))
    tag = _text(release.get("tag_name"))
    return Release(
        event=event,
        keys=KEY.findall(text),
        exact=[f"github:{repository}@{tag}"] if repository and tag else [],
        day=_release_day(_day_of_iso(release.get("published_at"))),
    )


def _jira(headers: Mapping[str, str], payload: dict) -> Release:
    event = _text(payload.get("webhookEvent"))[:60]
    key = _text(_get(payload, "issue", "key"))
    if event != "jira:issue_updated" or not key:
        return Release(event=event, ignored="Only updated issues release features.")
    if _get(payload, "issue", "fields", "status", "statusCategory", "key") != "done":
        return Release(event=event, keys=[key], ignored="The issue is not done.")
    return Release(event=event, keys=[key], day=_release_day(_day_of_ms(payload.get("timestamp"))))


def _linear(headers: Mapping[str, str], payload: dict) -> Release:
    kind, action = _text(payload.get("type")), _text(payload.get("action"))
    event = f"{kind}.{action}"[:60]
    identifier = _text(_get(payload, "data", "identifier"))
    if kind != "Issue" or action != "update" or not identifier:
        return Release(event=event, ignored="Only updated issues release features.")
    if _get(payload, "data", "state", "type") != "completed":
        return Release(event=event, keys=[identifier], ignored="The issue is not completed.")
    return Release(
        event=event,
        keys=[identifier],
        day=_release_day(
            _day_of_iso(_get(payload, "data", "completedAt")),
            _day_of_iso(_get(payload, "data", "updatedAt")),
            _day_of_ms(payload.get("webhookTimestamp")),
        ),
    )


PARSERS = {"github": _github, "jira": _jira, "linear": _linear}


def _check_linear_timestamp(payload: dict) -> None:
    sent = payload.get("webhookTimestamp")
    if isinstance(sent, bool) or not isinstance(sent, int | float):
        raise BadSignature()
    if abs(time.time() - sent / 1000) > LINEAR_MAX_AGE:
        raise BadSignature()  # a replay of an old post


# --- Receiving --------------------------------------------------------------------------


@transaction.atomic
def inbound_hook_receive(
    *, workspace, source: str, headers: Mapping[str, str], body: bytes
) -> InboundDelivery:
    """Verify, parse and apply one post. Raises InboundRejected (404 unknown source, 401
    bad signature or stale, 400 too large or not JSON); otherwise the logged delivery."""
    if source not in PARSERS:
        raise UnknownSource("Not found.")
    headers = {name.lower(): value for name, value in headers.items()}
    if len(body) > MAX_BODY:
        raise InboundRejected(f"The body is larger than {MAX_BODY // 1000} kB.")
    hook = InboundHook.objects.in_workspace(workspace).values_list("secret", "linear_secret")
    ours, linear = hook.first() or (None, "")
    _verify(source, (linear or ours) if source == "linear" else ours, headers, body)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InboundRejected("The body is not JSON.") from None
    if not isinstance(payload, dict):
        raise InboundRejected("The body is not a JSON object.")
    if source == "linear":
        _check_linear_timestamp(payload)
    release = PARSERS[source](headers, payload)
    return _apply(workspace, source, release)


def _apply(workspace, source: str, release: Release) -> InboundDelivery:
    log = InboundDelivery(
        workspace=workspace,
        source=source,
        event=release.event,
        references=release.references[:50],
    )
    if release.ignored:
        log.outcome, log.detail = InboundDelivery.Outcome.IGNORED, release.ignored
        log.save()
        return log
    named = [
        feature
        for feature in Feature.objects.in_workspace(workspace)
        .exclude(external_refs=[])
        .select_related("product")
        .order_by("pk")
        if any(release.names(ref) for ref in feature.external_refs)
    ]
    released = [
        feature.pk
        for feature in named
        if core_services.feature_release(
            actor=None, feature=feature, released_on=release.day, source=source
        )
    ]
    log.released_feature_ids = released
    if released:
        log.outcome = InboundDelivery.Outcome.APPLIED
        log.detail = f"Released {len(released)} feature{'s' if len(released) != 1 else ''}."
    elif named:
        log.outcome = InboundDelivery.Outcome.IGNORED
        log.detail = "Every feature it names was already released."
    else:
        log.outcome = InboundDelivery.Outcome.UNKNOWN
        log.detail = "No feature has these references."
    log.save()
    return log
