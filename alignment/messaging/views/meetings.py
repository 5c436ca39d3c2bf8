"""Sync meeting pages and their action items."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse

from alignment.messaging import selectors
from alignment.messaging import services
from alignment.messaging.filters import SyncMeetingFilterSet
from alignment.messaging.forms import ActionItemForm
from alignment.messaging.forms import SyncMeetingForm
from alignment.messaging.models import ActionItem
from alignment.messaging.models import SyncMeeting
from alignment.messaging.views.common import MessagingFormMixin
from alignment.messaging.views.common import ServiceActionView
from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView


class MeetingListView(WorkspaceListView):
    model = SyncMeeting
    filterset_class = SyncMeetingFilterSet
    template_name = "alignment/messaging/meeting_list.html"
    selector = staticmethod(selectors.meeting_list)


class MeetingDetailView(WorkspaceDetailView):
    model = SyncMeeting
    template_name = "alignment/messaging/meeting_detail.html"
    context_object_name = "meeting"
    selector = staticmethod(selectors.meeting_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_items"] = selectors.action_item_list(
            workspace=self.workspace, filters={"meeting": self.object.pk}
        ).order_by("done", "due_date", "id")
        context["item_form"] = kwargs.get("item_form") or ActionItemForm(workspace=self.workspace)
        return context

    def post(self, request, *args, **kwargs):
        """Add an action item."""
        if not self.membership.can_write:
            raise PermissionDenied("Your role in this workspace is read-only.")
        self.object = self.get_object()
        form = ActionItemForm(request.POST, workspace=self.workspace)
        if form.is_valid():
            try:
                services.action_item_create(
                    actor=request.user, meeting=self.object, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Action item added.")
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(item_form=form), status=400)


class MeetingCreateView(MessagingFormMixin, WorkspaceCreateView):
    model = SyncMeeting
    form_class = SyncMeetingForm
    create_service = staticmethod(services.meeting_create)
    page_title = "New sync meeting"
    success_message = "Meeting saved: add its action items below."


class MeetingUpdateView(MessagingFormMixin, WorkspaceUpdateView):
    model = SyncMeeting
    form_class = SyncMeetingForm
    update_service = staticmethod(services.meeting_update)
    success_message = "Meeting saved."


class ActionItemDoneView(ServiceActionView):
    model = ActionItem
    selector = staticmethod(selectors.action_item_list)

    def run(self, item):
        done = self.request.POST.get("done") == "true"
        services.action_item_set_done(actor=self.request.user, action_item=item, done=done)
        return "Action item done." if done else "Action item reopened."

    def get_success_url(self):
        next_page = {"home": "messaging_index", "workspace": "workspace_home"}.get(
            self.request.POST.get("next_page", "")
        )
        if next_page:
            return reverse(next_page, kwargs={"workspace_slug": self.workspace.slug})
        return self.object.meeting.get_absolute_url()
