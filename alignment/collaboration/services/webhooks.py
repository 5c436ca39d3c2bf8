"""Outbound webhooks (to be written)."""


def webhook_create(*, actor, workspace, **data):
    raise NotImplementedError


def webhook_update(*, actor, webhook, **data):
    raise NotImplementedError


def webhook_send_test(*, actor, webhook):
    raise NotImplementedError


def webhook_deliver(*, delivery_id: int) -> float | None:
    """One attempt; the seconds to wait before the next one, or None when done."""
    raise NotImplementedError


def webhook_deliveries_due() -> list[int]:
    return []
