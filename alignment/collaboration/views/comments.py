"""The comment form of every commentable page, and who `@` can name (its autocompletion)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http import HttpResponseRedirect
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from alignment.collaboration import selectors
from alignment.collaboration import services
from alignment.collaboration import subjects
from alignment.tenancy import request_membership_or_404

MENTION_QUERY_MAX_LENGTH = 150


@login_required
@require_POST
def comment_create(request, workspace_slug, subject_type, subject_id):
    """Post a comment from a subject's page, then go back to that page (its own URL, never
    one the request names). Problems with the comment show as messages there."""
    membership = request_membership_or_404(request, workspace_slug)
    workspace = membership.workspace
    subject_kind = subjects.get(subject_type)
    subject = (
        subjects.resolve(workspace=workspace, name=subject_type, pk=subject_id)
        if subject_kind is not None and subject_kind.commentable
        else None
    )
    if subject is None:
        raise Http404("Nothing to comment on here.")
    if not membership.can_write:
        raise PermissionDenied("Your role in this workspace is read-only.")
    subject.workspace = workspace
    try:
        services.comment_create(
            actor=request.user,
            workspace=workspace,
            subject_type=subject_type,
            subject_id=subject.pk,
            body=request.POST.get("body", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        anchor = "#comment-form"
    else:
        messages.success(request, "Comment posted.")
        anchor = "#comments"
    return HttpResponseRedirect(subject.get_absolute_url() + anchor)


@login_required
@require_GET
def mention_candidates(request, workspace_slug):
    """`?q=`: up to ten members whose username or name starts with q, as JSON
    {"results": [{"username", "name"}]}. Members only: 404 for anyone else."""
    membership = request_membership_or_404(request, workspace_slug)
    query = request.GET.get("q", "")
    if "\x00" in query or len(query) > MENTION_QUERY_MAX_LENGTH:
        users = []
    else:
        users = selectors.mention_candidates(workspace=membership.workspace, query=query)
    return JsonResponse(
        {
            "results": [
                {"username": user.get_username(), "name": user.get_full_name()} for user in users
            ]
        }
    )
