"""The kinds of event worth hearing about, and how each is delivered by default."""

from __future__ import annotations

from django.db import models


class EventKind(models.TextChoices):
    CLAIM_SUBMITTED = "claim.submitted", "Claim submitted for review"
    CLAIM_REVIEWED = "claim.reviewed", "Claim reviewed"
    DOCUMENT_SUBMITTED = "document.submitted", "Document submitted for review"
    DOCUMENT_REVIEWED = "document.reviewed", "Document reviewed"
    FEEDBACK_CREATED = "feedback.created", "Feedback from the other team"
    FEEDBACK_ANSWERED = "feedback.answered", "Feedback answered"
    COMMENT_CREATED = "comment.created", "New comment"
    MEMBER_MENTIONED = "member.mentioned", "You were mentioned"
    DIAGNOSIS_OPENED = "diagnosis.opened", "Diagnosis opened"
    DIAGNOSIS_RESOLVED = "diagnosis.resolved", "Diagnosis resolved"
    LAUNCH_AT_RISK = "launch.at_risk", "Launch at risk"
    LAUNCH_ON_TRACK = "launch.on_track", "Launch back on track"
    TASK_ASSIGNED = "launch_task.assigned", "Launch task assigned"
    TASK_OVERDUE = "launch_task.overdue", "Launch task overdue"
    IMPORT_FINISHED = "import.finished", "Import finished"
    IMPORT_FAILED = "import.failed", "Import failed"
    FEATURE_RELEASED = "feature.released", "Feature released"
    OBJECTIVE_OFF_TRACK = "objective.off_track", "Objective off track"
    PING = "ping", "Test event"


class Delivery(models.TextChoices):
    """How a member hears of one kind of event by email (in-app notifications always)."""

    IMMEDIATELY = "immediately", "Immediately"
    DIGEST = "digest", "Daily digest"
    OFF = "off", "Off"


# Work addressed to you personally is mailed at once; news about the work, once a day.
IMMEDIATE_BY_DEFAULT = {
    EventKind.CLAIM_SUBMITTED,
    EventKind.CLAIM_REVIEWED,
    EventKind.DOCUMENT_SUBMITTED,
    EventKind.DOCUMENT_REVIEWED,
    EventKind.MEMBER_MENTIONED,
    EventKind.TASK_ASSIGNED,
    EventKind.FEEDBACK_CREATED,
}

# What a subscription or a preference can name: every kind but the test ping.
SUBSCRIBABLE = [kind for kind in EventKind if kind != EventKind.PING]


def default_delivery(kind: str) -> str:
    return Delivery.IMMEDIATELY if kind in IMMEDIATE_BY_DEFAULT else Delivery.DIGEST
