"""`{% load comments %}{% comment_thread object %}`: the comments of a page's subject, and
the form to add one (members who may write), with `@` autocompletion (js/mentions.js)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from alignment.collaboration import selectors
from alignment.collaboration import subjects
from alignment.collaboration.services.comments import BODY_MAX_LENGTH
from alignment.collaboration.services.comments import render_comment

register = template.Library()


@register.inclusion_tag("collaboration/_comment_thread.html", takes_context=True)
def comment_thread(context, subject):
    workspace, membership = context.get("workspace"), context.get("membership")
    subject_type = subjects.name_of(subject)
    kind = subjects.get(subject_type)
    if workspace is None or kind is None or not kind.commentable:
        return {"shown": False}
    comments = list(
        selectors.comment_list(
            workspace=workspace, subject_type=subject_type, subject_id=subject.pk
        )
    )
    for comment in comments:
        comment.body_html = render_comment(
            comment.body, [user.get_username() for user in comment.mentions.all()]
        )
    slug = workspace.slug
    return {
        "shown": True,
        "comments": comments,
        "can_comment": bool(membership and membership.can_write),
        "post_url": reverse(
            "collaboration:comment_create",
            kwargs={"workspace_slug": slug, "subject_type": subject_type, "subject_id": subject.pk},
        ),
        "mentions_url": reverse(
            "collaboration:mention_candidates", kwargs={"workspace_slug": slug}
        ),
        "body_max_length": BODY_MAX_LENGTH,
        "subject_label": subject_type.replace("_", " "),
    }
