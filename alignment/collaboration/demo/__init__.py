"""The demo's conversation: a short comment thread with @mentions on a claim in review.
The content lives in `data.json` next to this module. Idempotent: a comment already there
is not written again."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model

from alignment.collaboration.models import Comment
from alignment.collaboration.services import comment_create
from alignment.messaging.models import Claim

DATA_FILE = Path(__file__).with_name("data.json")


@cache
def load_data() -> dict:
    """The demo content, read once per process (it is the same for every workspace)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def seed(workspace, today: date | None = None) -> None:
    users = {
        user.username: user
        for user in get_user_model().objects.filter(memberships__workspace=workspace)
    }
    for thread in load_data()["threads"]:
        claim = Claim.objects.in_workspace(workspace).filter(headline=thread["claim"]).first()
        if claim is None:
            continue
        for comment in thread["comments"]:
            author, body = users.get(comment["author"]), comment["body"]
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
