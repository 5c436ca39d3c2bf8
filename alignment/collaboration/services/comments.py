"""Comments on the work and the @mentions in them.

A comment belongs to the thread of one commentable subject (subjects.py) of the workspace.
Writing one records `comment.created` for the subject's followers and the thread's earlier
commenters, and `member.mentioned` for the members it names with `@username`; both in the
comment's transaction, fanned out after commit (services/events.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

from alignment.collaboration import subjects
from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import Comment
from alignment.collaboration.services.events import actor_name
from alignment.collaboration.services.events import event_record
from alignment.models import Membership
from alignment.models import Role
from alignment.rendering import render_markdown

BODY_MAX_LENGTH = 10_000
SUBJECT_ID_MAX = 2**63 - 1  # Comment.subject_id is a bigint

# `@` + a Django username (letters, digits and @.+-_), not preceded by one of those
# characters, so "ana@example.com" names nobody. A trailing period is punctuation unless a
# member's name really ends with one ("Thanks @ana." mentions ana); a comma, colon or
# bracket ends the token anyway ("@ana, @bo:" mentions both).
MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")


def mention_tokens(body: str) -> list[str]:
    """The names written after `@`, in order, each once (as written, trailing dots kept)."""
    return list(dict.fromkeys(MENTION.findall(body or "")))


def _candidates(token: str) -> list[str]:
    stripped = token.rstrip(".")
    return [token, stripped] if stripped and stripped != token else [token]


def mentioned_members(*, workspace, body: str) -> list:
    """The workspace members the body mentions, resolved case-insensitively; unknown names
    and non-members are plain text. A token that is a member's name with its trailing dots
    wins over the same name without them."""
    tokens = mention_tokens(body)
    if not tokens:
        return []
    wanted = {name.lower() for token in tokens for name in _candidates(token)}
    by_name: dict[str, list] = {}
    memberships = (
        Membership.objects.filter(workspace=workspace)
        .annotate(username_lower=Lower("user__username"))
        .filter(username_lower__in=wanted)
        .select_related("user")
        .order_by("user_id")
    )
    for membership in memberships:
        by_name.setdefault(membership.username_lower, []).append(membership.user)
    found: dict[int, object] = {}
    for token in tokens:
        for name in _candidates(token):
            users = by_name.get(name.lower())
            if users:
                # Two accounts differing only in case: the one written exactly, else the first.
                exact = [user for user in users if user.username == name]
                user = (exact or users)[0]
                found.setdefault(user.pk, user)
                break
    return list(found.values())


def _clean_body(body) -> str:
    if not isinstance(body, str):
        raise ValidationError({"body": ["Write the comment as text."]})
    body = body.strip()
    if not body:
        raise ValidationError({"body": ["Write a comment."]})
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {"body": [f"Keep a comment under {BODY_MAX_LENGTH:,} characters ({len(body):,})."]}
        )
    if "\x00" in body:
        raise ValidationError({"body": ["Null characters are not allowed."]})
    return body


def _subject(*, workspace, subject_type, subject_id):
    """The commentable subject, or a 400 on the field at fault: another workspace's id
    reads exactly like a missing one."""
    if not isinstance(subject_type, str) or subject_type not in subjects.commentable_names():
        names = ", ".join(subjects.commentable_names())
        raise ValidationError({"subject_type": [f"Comments attach to one of: {names}."]})
    try:
        pk = int(subject_id)
    except (TypeError, ValueError):
        pk = None
    if isinstance(subject_id, bool) or pk is None or not 1 <= pk <= SUBJECT_ID_MAX:
        raise ValidationError({"subject_id": ["Give the id of the object to comment on."]})
    subject = subjects.resolve(workspace=workspace, name=subject_type, pk=pk)
    if subject is None:
        raise ValidationError({"subject_id": [f"No {subject_type} with id {pk} here."]})
    subject.workspace = workspace  # the same row: its links need not read it again
    return subject


def _check_can_write(*, actor, workspace) -> Membership:
    membership = Membership.objects.filter(workspace=workspace, user=actor).first()
    if membership is None or not membership.can_write:
        raise PermissionDenied("Your role in this workspace is read-only.")
    return membership


def _subject_phrase(subject_type: str, subject) -> str:
    label = str(subject)
    if len(label) > 80:
        label = label[:79].rstrip() + "…"
    return f"{subject_type.replace('_', ' ')} “{label}”"


def _event_data(comment: Comment, mentioned: Iterable) -> dict:
    return {
        "comment_id": comment.pk,
        "excerpt": comment.body[:280],
        "mentions": [user.username for user in mentioned],
    }


def _record_mentions(*, actor, comment: Comment, subject, mentioned: list) -> None:
    recipients = [user.pk for user in mentioned if user.pk != actor.pk]
    if not recipients:
        return
    event_record(
        workspace=comment.workspace,
        kind=EventKind.MEMBER_MENTIONED,
        actor=actor,
        subject=subject,
        recipients=recipients,
        message=(
            f"{actor_name(actor)} mentioned you on {_subject_phrase(comment.subject_type, subject)}"
        ),
        data=_event_data(comment, mentioned),
    )


@transaction.atomic
def comment_create(
    *, actor, workspace, subject_type: str, subject_id, body: str, told: Iterable[int] = ()
) -> Comment:
    """Comment on a subject of the workspace; notify its followers, the thread's earlier
    commenters and the mentioned members (never the actor, nor the members in `told`, who
    heard of it through the change the comment comes with: a review's author). The
    `comment.created` event is recorded even when nobody is notified: webhooks hear of
    every comment."""
    _check_can_write(actor=actor, workspace=workspace)
    subject = _subject(workspace=workspace, subject_type=subject_type, subject_id=subject_id)
    body = _clean_body(body)
    earlier_commenters = set(
        Comment.objects.in_workspace(workspace)
        .filter(subject_type=subject_type, subject_id=subject.pk, author__isnull=False)
        .values_list("author_id", flat=True)
    )
    comment = Comment.objects.create(
        workspace=workspace,
        subject_type=subject_type,
        subject_id=subject.pk,
        author=actor,
        body=body,
    )
    mentioned = mentioned_members(workspace=workspace, body=body)
    if mentioned:
        comment.mentions.set(mentioned)
    told = set(told)
    mentioned_ids = {user.pk for user in mentioned}
    followers = (set(subjects.followers_of(subject)) | earlier_commenters) - mentioned_ids - told
    followers.discard(actor.pk)
    event_record(
        workspace=workspace,
        kind=EventKind.COMMENT_CREATED,
        actor=actor,
        subject=subject,
        recipients=followers,
        message=f"{actor_name(actor)} commented on {_subject_phrase(subject_type, subject)}",
        data=_event_data(comment, mentioned),
    )
    _record_mentions(
        actor=actor,
        comment=comment,
        subject=subject,
        mentioned=[user for user in mentioned if user.pk not in told],
    )
    return comment


@transaction.atomic
def comment_update(*, actor, comment: Comment, body: str) -> Comment:
    """The author rewrites their comment; members it newly mentions hear of it."""
    comment = Comment.objects.select_for_update().select_related("workspace").get(pk=comment.pk)
    if comment.author_id != actor.pk:
        raise PermissionDenied("Only its author can edit a comment.")
    _check_can_write(actor=actor, workspace=comment.workspace)
    comment.body = _clean_body(body)
    comment.save(update_fields=["body", "updated_at"])
    before = set(comment.mentions.values_list("pk", flat=True))
    mentioned = mentioned_members(workspace=comment.workspace, body=comment.body)
    comment.mentions.set(mentioned)
    fresh = [user for user in mentioned if user.pk not in before]
    if fresh:
        subject = subjects.resolve(
            workspace=comment.workspace, name=comment.subject_type, pk=comment.subject_id
        )
        if subject is not None:
            subject.workspace = comment.workspace
            _record_mentions(actor=actor, comment=comment, subject=subject, mentioned=fresh)
    return comment


@transaction.atomic
def comment_delete(*, actor, comment: Comment) -> None:
    """Its author or a workspace admin deletes a comment."""
    membership = Membership.objects.filter(workspace_id=comment.workspace_id, user=actor).first()
    if membership is None or not membership.can_write:
        raise PermissionDenied("Your role in this workspace is read-only.")
    if comment.author_id != actor.pk and membership.role != Role.ADMIN:
        raise PermissionDenied("Only its author or a workspace admin can delete a comment.")
    comment.delete()


# --- Rendering ----------------------------------------------------------------------------

# A tag of the sanitised HTML (nh3 writes every attribute value in double quotes, with any
# quote inside escaped), so the text between tags can be told from attribute values.
_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')
_VERBATIM = {"a", "code", "pre"}


def render_comment(body: str, mentions: Iterable[str] = ()) -> SafeString:
    """The body as Markdown, rendered and sanitised like the rest of Tandem
    (alignment.rendering), with the mentions of members highlighted outside links and code."""
    html = str(render_markdown(body))
    names = {name.lower() for name in mentions}
    if not names:
        return mark_safe(html)  # noqa: S308 - sanitised by render_markdown

    def highlight(match: re.Match) -> str:
        for name in _candidates(match.group(1)):
            if name.lower() in names:
                rest = match.group(1)[len(name) :]
                return f'<span class="mention">@{escape(name)}</span>{escape(rest)}'
        return match.group(0)

    parts, depth, position = [], 0, 0
    for tag in _TAG.finditer(html):
        text = html[position : tag.start()]
        parts.append(text if depth else MENTION.sub(highlight, text))
        parts.append(tag.group(0))
        name = re.match(r"</?([a-zA-Z0-9]+)", tag.group(0))
        if name and name.group(1).lower() in _VERBATIM and not tag.group(0).endswith("/>"):
            depth += -1 if tag.group(0).startswith("</") else 1
            depth = max(depth, 0)
        position = tag.end()
    text = html[position:]
    parts.append(text if depth else MENTION.sub(highlight, text))
    return mark_safe("".join(parts))  # noqa: S308 - only fixed markup around known names
