"""What GitHub, Jira and Linear post, in the shapes their public documentation gives
(written from the docs' field lists, trimmed to what matters plus a few neighbours), and
their signatures. The local servers that stand in for the outside world are in servers.py."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

# --- Inbound ----------------------------------------------------------------------------


def hex_hmac(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def encode(payload: dict) -> bytes:
    return json.dumps(payload).encode()


def github_release(
    *,
    repo: str = "acme/pay",
    tag: str = "v2.4.0",
    name: str = "v2.4.0",
    body: str = "",
    action: str = "published",
    published_at: str = "2026-03-02T15:04:05Z",
) -> dict:
    """A `release` event (X-GitHub-Event: release)."""
    owner = repo.split("/")[0]
    return {
        "action": action,
        "release": {
            "id": 1001,
            "tag_name": tag,
            "target_commitish": "main",
            "name": name,
            "body": body,
            "draft": False,
            "prerelease": False,
            "created_at": "2026-03-02T14:00:00Z",
            "published_at": published_at,
            "html_url": f"https://github.com/{repo}/releases/tag/{tag}",
            "author": {"login": "octocat", "id": 1, "type": "User"},
        },
        "repository": {
            "id": 42,
            "name": repo.split("/")[1],
            "full_name": repo,
            "private": False,
            "owner": {"login": owner, "id": 2, "type": "Organization"},
            "html_url": f"https://github.com/{repo}",
        },
        "sender": {"login": "octocat", "id": 1, "type": "User"},
    }


def github_headers(secret: str, body: bytes, event: str = "release") -> dict:
    return {
        "HTTP_X_GITHUB_EVENT": event,
        "HTTP_X_GITHUB_DELIVERY": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "HTTP_X_HUB_SIGNATURE_256": f"sha256={hex_hmac(secret, body)}",
        "HTTP_USER_AGENT": "GitHub-Hookshot/044aadd",
    }


def jira_issue_updated(
    *, key: str = "PAY-123", category: str = "done", timestamp_ms: int = 1772463845000
) -> dict:
    """Jira Cloud's `jira:issue_updated` (a transition: the status in the changelog)."""
    names = {"done": "Done", "indeterminate": "In Progress", "new": "To Do"}
    return {
        "timestamp": timestamp_ms,
        "webhookEvent": "jira:issue_updated",
        "issue_event_type_name": "issue_generic",
        "user": {"accountId": "5b10a2844c20165700ede21g", "displayName": "Mia Krystof"},
        "issue": {
            "id": "10002",
            "self": "https://acme.atlassian.net/rest/api/2/10002",
            "key": key,
            "fields": {
                "summary": "Checkout in one step",
                "status": {
                    "name": names.get(category, "Done"),
                    "id": "10001",
                    "statusCategory": {"id": 3, "key": category, "name": names.get(category)},
                },
                "project": {"id": "10000", "key": key.split("-")[0], "name": "Payments"},
            },
        },
        "changelog": {
            "id": "10010",
            "items": [
                {
                    "field": "status",
                    "fieldtype": "jira",
                    "from": "3",
                    "fromString": "In Progress",
                    "to": "10001",
                    "toString": names.get(category, "Done"),
                }
            ],
        },
    }


def jira_headers(secret: str, body: bytes) -> dict:
    return {
        "HTTP_X_HUB_SIGNATURE": f"sha256={hex_hmac(secret, body)}",
        "HTTP_X_ATLASSIAN_WEBHOOK_IDENTIFIER": "12345",
    }


def linear_issue_update(
    *,
    identifier: str = "ENG-45",
    state_type: str = "completed",
    sent_ms: int | None = None,
    completed_at: str | None = "2026-03-04T09:30:00.000Z",
) -> dict:
    """Linear's data-change webhook for an Issue update (`webhookTimestamp` in ms)."""
    return {
        "action": "update",
        "type": "Issue",
        "createdAt": "2026-03-04T09:30:00.000Z",
        "organizationId": "3f0b0a1c-0000-4000-8000-000000000001",
        "url": f"https://linear.app/acme/issue/{identifier.lower()}",
        "actor": {"id": "2e4b", "name": "Lee", "type": "user"},
        "data": {
            "id": "9cfb482a-81e3-4154-b5b9-2c805e70a02d",
            "identifier": identifier,
            "number": int(identifier.split("-")[1]),
            "title": "Usage-based pricing",
            "state": {
                "id": "7b1",
                "name": "Done" if state_type == "completed" else "In Progress",
                "type": state_type,
                "color": "#5e6ad2",
            },
            "team": {"id": "72b2", "key": identifier.split("-")[0], "name": "Engineering"},
            "completedAt": completed_at if state_type == "completed" else None,
            "updatedAt": "2026-03-04T09:30:00.000Z",
        },
        "updatedFrom": {"stateId": "6a0", "updatedAt": "2026-03-03T10:00:00.000Z"},
        "webhookTimestamp": sent_ms if sent_ms is not None else int(time.time() * 1000),
        "webhookId": "000042e3-d123-4980-b49f-8e140eef9329",
    }


def linear_headers(secret: str, body: bytes) -> dict:
    return {
        "HTTP_LINEAR_SIGNATURE": hex_hmac(secret, body),
        "HTTP_LINEAR_DELIVERY": "234d1a4e-b617-4388-90fe-adc3633d6b72",
        "HTTP_LINEAR_EVENT": "Issue",
    }
