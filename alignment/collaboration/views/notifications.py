"""The notifications page, marking read, opening one, and the email preferences page.

Every member, viewers too, reads and marks their own notifications and chooses their own
email: that is their state, not the workspace's content.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from alignment.collaboration import selectors
from alignment.collaboration import services
from alignment.collaboration.kinds import SUBSCRIBABLE
from alignment.collaboration.kinds import Delivery
from alignment.collaboration.kinds import EventKind
from alignment.collaboration.selectors import NotificationFilterSet
from alignment.collaboration.services.notifications import MARK_MAX
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceViewMixin
from alignment.redirects import is_local_path
from alignment.redirects import safe_next_url
from alignment.tenancy import request_membership_or_404


class NotificationListView(WorkspaceListView):
    template_name = "collaboration/notification_list.html"
    context_object_name = "notifications"
    filterset_class = NotificationFilterSet
    paginate_by = 50

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None,
            selectors.notification_list(user=self.request.user, workspace=self.workspace),
            workspace=self.workspace,
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_only"] = self.request.GET.get("unread") == "true"
        return context


def _notifications_url(workspace_slug: str) -> str:
    return reverse("collaboration:notifications", args=[workspace_slug])


@login_required
@require_POST
def notifications_read(request, workspace_slug):
    """Mark read the posted `ids` (several allowed), or every one with `all`."""
    membership = request_membership_or_404(request, workspace_slug)
    back = safe_next_url(request, _notifications_url(workspace_slug))
    if request.POST.get("all"):
        updated = services.notifications_mark_read(
            actor=request.user, workspace=membership.workspace, all=True
        )
    else:
        ids = [value for value in request.POST.getlist("ids")[:MARK_MAX] if value.isdigit()]
        ids = [int(value) for value in ids if len(value) < 19]  # fits a bigint
        if not ids:
            messages.error(request, "Choose the notifications to mark read.")
            return HttpResponseRedirect(back)
        updated = services.notifications_mark_read(
            actor=request.user, workspace=membership.workspace, ids=ids
        )
    if updated:
        messages.success(request, f"{updated} marked read.")
    return HttpResponseRedirect(back)


@login_required
def notification_open(request, workspace_slug, pk):
    """Follow a notification's link (from the page or an email): marks it read, then goes
    to its subject's page, or back to the list when it has none on this site."""
    membership = request_membership_or_404(request, workspace_slug)
    notification = selectors.notification_get(
        user=request.user, workspace=membership.workspace, pk=pk
    )
    if notification is None:
        raise Http404("No such notification.")
    services.notifications_mark_read(
        actor=request.user, workspace=membership.workspace, ids=[notification.pk]
    )
    target = notification.event.url
    if not is_local_path(target, host=request.get_host()):
        target = _notifications_url(workspace_slug)
    return HttpResponseRedirect(target)


class NotificationSettingsView(WorkspaceViewMixin, TemplateView):
    """Per event kind: mailed immediately, in the daily digest, or not at all. The choice
    is the user's own, the same in every workspace."""

    template_name = "collaboration/notification_settings.html"

    def get_context_data(self, errors=None, posted=None, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = services.notification_preferences(user=self.request.user)
        if posted:
            chosen.update(posted)
        errors = errors or {}
        context["deliveries"] = Delivery.choices
        context["rows"] = [
            {
                "kind": kind.value,
                "label": EventKind(kind).label,
                "chosen": chosen.get(kind.value),
                "errors": errors.get(kind.value, []),
            }
            for kind in SUBSCRIBABLE
        ]
        context["errors"] = errors
        return context

    def post(self, request, *args, **kwargs):
        posted = {
            kind.value: request.POST[kind.value]
            for kind in SUBSCRIBABLE
            if kind.value in request.POST
        }
        try:
            services.notification_preferences_update(user=request.user, choices=posted)
        except ValidationError as error:
            context = self.get_context_data(errors=error.message_dict, posted=posted)
            return self.render_to_response(context, status=400)
        messages.success(request, "Email preferences saved.")
        return HttpResponseRedirect(
            reverse("collaboration:notification_settings", args=[self.workspace.slug])
        )
