"""The demo's conversation: a short comment thread with @mentions on a claim in review.
Idempotent: a comment already there is not written again."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from alignment.collaboration.models import Comment
from alignment.collaboration.services import comment_create
from alignment.messaging.models import Claim

THREAD = [
    (
        "Dashboards that explain themselves",
        [
            (
                "demo-pm",
                "@demo-pmm which beta numbers can we quote here? Summaries were read "
                "by **62%** of beta users in week one.",
            ),
            (
                "demo-pmm",
                "Thanks @demo-pm, that works. @demo-marketing, this goes on the "
                "launch page once it is approved.",
            ),
        ],
    ),
]


def seed(workspace) -> None:
    users = {
        user.username: user
        for user in get_user_model().objects.filter(memberships__workspace=workspace)
    }
    for headline, comments in THREAD:
        claim = Claim.objects.in_workspace(workspace).filter(headline=headline).first()
        if claim is None:
            continue
        for username, body in comments:
            author = users.get(username)
            exists = Comment.objects.in_workspace(workspace).filter(
                subject_type="claim", subject_id=claim.pk, body=body
            )
            if author is None or exists.exists():
                continue
            comment_create(
                actor=author,
                workspace=workspace,
                subject_type="claim",
                subject_id=claim.pk,
                body=body,
            )
