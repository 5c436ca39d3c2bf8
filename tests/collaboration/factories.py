"""Factories of the collaboration models; each accepts `workspace=` and keeps its parts in it."""

import factory

from alignment.collaboration.models import Comment
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import member_of
from tests.factories import ScopedFactory


class CommentFactory(ScopedFactory):
    """A comment on a claim of the same workspace, by a member of it."""

    class Meta:
        model = Comment

    subject_type = "claim"
    subject_id = factory.LazyAttribute(lambda comment: ClaimFactory(workspace=comment.workspace).pk)
    author = factory.LazyAttribute(lambda comment: member_of(comment.workspace))
    body = "Looks right to me."


def _newest_member(workspace):
    """The workspace's newest member (made when it has none): a notification is its
    recipient's alone, so the tenancy matrix's role under test (made just before) sees it."""
    from alignment.models import Membership

    membership = Membership.objects.filter(workspace=workspace).order_by("-pk").first()
    return membership.user if membership is not None else member_of(workspace)


class EventFactory(ScopedFactory):
    class Meta:
        model = "collaboration.Event"

    kind = "claim.submitted"
    actor = None  # Tandem itself; pass a member
    subject_type = "claim"
    subject_id = 1
    subject_label = "A claim"
    url = "/"
    message = factory.Sequence(lambda n: f"Someone submitted claim {n} for review")


class NotificationFactory(ScopedFactory):
    """A notification of an event of the same workspace, for its newest member."""

    class Meta:
        model = "collaboration.Notification"

    recipient = factory.LazyAttribute(lambda notification: _newest_member(notification.workspace))
    event = factory.LazyAttribute(
        lambda notification: EventFactory(workspace=notification.workspace)
    )


class WebhookSubscriptionFactory(ScopedFactory):
    class Meta:
        model = "collaboration.WebhookSubscription"

    url = "https://hooks.example.com/tandem"
    events = ["claim.submitted"]
