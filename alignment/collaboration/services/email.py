"""Notification email: immediate and the daily digest (to be written)."""


def notification_email_send(*, notification_id: int) -> bool:
    raise NotImplementedError


def notification_emails_due() -> list[int]:
    return []


def notification_digests_send() -> int:
    return 0
