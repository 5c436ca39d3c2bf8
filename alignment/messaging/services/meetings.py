"""Sync meetings and their action items."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from alignment.messaging.models import ActionItem
from alignment.messaging.models import SyncMeeting
from alignment.messaging.services.activity import tracked
from alignment.messaging.services.checks import _require_members
from alignment.models import Workspace
from alignment.writes import assign_fields
from alignment.writes import save_clean

MEETING_FIELDS = {"title", "date", "updates", "goals", "challenges", "decisions"}


def _set_attendees(meeting: SyncMeeting, attendees) -> None:
    if attendees is None:
        return
    attendees = list(attendees)
    _require_members(meeting.workspace, "attendees", attendees)
    meeting.attendees.set(attendees)


@transaction.atomic
@tracked("held")
def meeting_create(*, actor, workspace: Workspace, attendees=None, **data) -> SyncMeeting:
    meeting = SyncMeeting(workspace=workspace, created_by=actor)
    assign_fields(meeting, data, MEETING_FIELDS)
    save_clean(meeting)
    _set_attendees(meeting, attendees)
    return meeting


@transaction.atomic
def meeting_update(*, actor, syncmeeting: SyncMeeting, attendees=None, **data) -> SyncMeeting:
    meeting = syncmeeting
    assign_fields(meeting, data, MEETING_FIELDS)
    save_clean(meeting)
    _set_attendees(meeting, attendees)
    return meeting


ACTION_ITEM_FIELDS = ("title", "owner", "due_date")


@transaction.atomic
def action_item_create(*, actor, meeting: SyncMeeting, **data) -> ActionItem:
    item = ActionItem(workspace_id=meeting.workspace_id, meeting=meeting)
    assign_fields(item, data, ACTION_ITEM_FIELDS)
    item.full_clean()
    _require_members(meeting.workspace, "owner", [item.owner])
    item.save()
    return item


@transaction.atomic
def action_item_update(*, actor, action_item: ActionItem, done=None, **data) -> ActionItem:
    assign_fields(action_item, data, ACTION_ITEM_FIELDS)
    action_item.full_clean()
    if "owner" in data:
        _require_members(action_item.meeting.workspace, "owner", [action_item.owner])
    action_item.save()
    if done is not None and done != action_item.done:
        action_item = action_item_set_done(actor=actor, action_item=action_item, done=done)
    return action_item


@transaction.atomic
@tracked(lambda item: "completed" if item.done else "reopened")
def action_item_set_done(*, actor, action_item: ActionItem, done: bool) -> ActionItem:
    action_item.done = done
    action_item.done_at = timezone.now() if done else None
    action_item.save(update_fields=["done", "done_at"])
    return action_item
