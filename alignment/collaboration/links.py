"""Absolute links for what leaves the server (email, webhooks)."""

from django.conf import settings


def absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.EMAIL_LINK_BASE_URL.rstrip('/')}{path}"
