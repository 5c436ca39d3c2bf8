"""Launch plans: launches, their milestones and tasks."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alignment.models import Membership
from alignment.models import Workspace
from alignment.tenancy import INVALID_CHOICE
from alignment.writes import assign_fields
from alignment.writes import check_same_workspace
from alignment.writes import save_clean
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import LaunchTemplateItem
from launches.models import Milestone
from launches.models import MilestoneKind
from launches.selectors import blocked_by_message
from launches.services._common import _check_features_of_product
from launches.services.launch_templates import title_key
from launches.services.notifications import launch_task_tell_assignee

# --- Launches ----------------------------------------------------------------------------

LAUNCH_FIELDS = {"name", "product", "tier", "launch_date", "goals"}


@transaction.atomic
def launch_create(
    *,
    actor,
    workspace: Workspace,
    features=None,
    objectives=None,
    template: LaunchTemplate | None = None,
    **data,
) -> Launch:
    """Create a launch; with a template, lay out its milestones and tasks around the date."""
    launch = Launch(workspace=workspace, created_by=actor if actor and actor.pk else None)
    assign_fields(launch, data, LAUNCH_FIELDS)
    if template is not None and "tier" not in data:
        launch.tier = template.tier
    launch.full_clean()
    _check_features_of_product(features or [], launch.product)
    check_same_workspace(workspace, "objectives", objectives)
    launch.save()
    launch.features.set(features or [])
    launch.objectives.set(objectives or [])
    if template is not None:
        launch_apply_template(actor=actor, launch=launch, template=template)
    return launch


@transaction.atomic
def launch_update(*, actor, launch: Launch, features=None, objectives=None, **data) -> Launch:
    """Update a launch. A new launch date moves every undone task and milestone with it."""
    launch = Launch.objects.select_for_update().get(pk=launch.pk)
    old_date = launch.launch_date
    assign_fields(launch, data, LAUNCH_FIELDS)
    launch.full_clean()
    if features is None:
        features = list(launch.features.all())
    _check_features_of_product(features, launch.product)
    if objectives is not None:
        check_same_workspace(launch.workspace, "objectives", objectives)
    launch.save()
    launch.features.set(features)
    if objectives is not None:
        launch.objectives.set(objectives)
    if launch.launch_date != old_date:
        _shift_undone_work(launch, launch.launch_date - old_date)
    return launch


def _shift_undone_work(launch: Launch, delta: timedelta) -> None:
    tasks = list(launch.tasks.exclude(status=LaunchTask.Status.DONE))
    for task in tasks:
        task.due_date += delta
    LaunchTask.objects.bulk_update(tasks, ["due_date"])
    milestones = list(launch.milestones.filter(done=False))
    for milestone in milestones:
        milestone.due_date += delta
    Milestone.objects.bulk_update(milestones, ["due_date"])


@transaction.atomic
def launch_apply_template(*, actor, launch: Launch, template: LaunchTemplate) -> None:
    """Add the template's milestones and tasks at their offsets from the launch date, each
    task depending on the tasks its item comes after (`LaunchTemplateItem.depends_on`)."""
    if template.workspace_id != launch.workspace_id:
        raise ValidationError({"template": [INVALID_CHOICE]})
    items = list(template.items.all())
    milestones: dict[str, Milestone] = {}
    for item in items:
        if item.kind != LaunchTemplateItem.Kind.MILESTONE:
            continue
        milestones[item.milestone_kind] = Milestone.objects.create(
            workspace=launch.workspace,
            launch=launch,
            kind=item.milestone_kind,
            title="" if item.title == MilestoneKind(item.milestone_kind).label else item.title,
            team=item.team,
            due_date=launch.launch_date + timedelta(days=item.offset_days),
        )
    task_items = [item for item in items if item.kind == LaunchTemplateItem.Kind.TASK]
    tasks = LaunchTask.objects.bulk_create(
        LaunchTask(
            workspace=launch.workspace,
            launch=launch,
            title=item.title,
            team=item.team,
            channel=item.channel,
            due_date=launch.launch_date + timedelta(days=item.offset_days),
            milestone=milestones.get(item.milestone_kind),
        )
        for item in task_items
    )
    _link_template_dependencies(list(zip(task_items, tasks, strict=True)))


def _link_template_dependencies(pairs) -> None:
    """The template items' `depends_on` titles as links between the new tasks. A title
    that names no task, or more than one, links nothing, and no link closes a cycle (the
    template's checks refuse all three; this holds for a template edited behind them)."""
    by_title: dict[str, list[LaunchTask]] = {}
    for item, task in pairs:
        by_title.setdefault(title_key(item.title), []).append(task)
    edges: dict[int, set[int]] = {}
    for item, task in pairs:
        for title in item.depends_on or []:
            matches = by_title.get(title_key(title), [])
            if len(matches) != 1 or matches[0].pk == task.pk:
                continue
            if not _reaches(edges, matches[0].pk, task.pk):
                edges.setdefault(task.pk, set()).add(matches[0].pk)
    Through = LaunchTask.depends_on.through
    Through.objects.bulk_create(
        Through(from_launchtask_id=task_id, to_launchtask_id=prerequisite_id)
        for task_id, prerequisites in edges.items()
        for prerequisite_id in sorted(prerequisites)
    )


def _reaches(edges: dict[int, set[int]], start: int, goal: int) -> bool:
    """Whether following prerequisites from `start` arrives at `goal`."""
    stack, seen = [start], set()
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, ()))
    return False


@transaction.atomic
def launch_set_status(*, actor, launch: Launch, status: str) -> Launch:
    """Move the launch along planning -> ready -> launched -> reviewed (status-guarded)."""
    if status not in Launch.Status.values:
        raise ValidationError({"status": [f'"{status}" is not a valid status.']})
    current = launch.status
    if status not in Launch.TRANSITIONS[current]:
        raise ValidationError({"status": [f"A launch cannot go from {current} to {status}."]})
    # Conditional UPDATE: of two concurrent moves from the same state, only one wins.
    moved = Launch.objects.filter(pk=launch.pk, status=current).update(
        status=status, updated_at=timezone.now()
    )
    if not moved:
        raise ValidationError({"status": ["The launch changed meanwhile; reload and retry."]})
    launch.refresh_from_db()
    return launch


# --- Milestones --------------------------------------------------------------------------

MILESTONE_FIELDS = ("kind", "title", "team", "due_date", "done")


def _save_milestone(milestone: Milestone, data: dict) -> Milestone:
    was_done = milestone.done
    assign_fields(milestone, data, MILESTONE_FIELDS)
    if "team" not in data and milestone.pk is None:
        milestone.team = MilestoneKind.default_team(milestone.kind)
    if milestone.done and not was_done:
        milestone.done_at = timezone.now()
    elif not milestone.done:
        milestone.done_at = None
    save_clean(milestone)
    return milestone


@transaction.atomic
def milestone_create(*, actor, workspace: Workspace, launch: Launch, **data) -> Milestone:
    return _save_milestone(Milestone(workspace=workspace, launch=launch), data)


@transaction.atomic
def milestone_update(*, actor, milestone: Milestone, **data) -> Milestone:
    return _save_milestone(milestone, data)


# --- Launch tasks ------------------------------------------------------------------------

TASK_FIELDS = {
    "title",
    "description",
    "team",
    "assignee",
    "due_date",
    "status",
    "channel",
    "milestone",
}


def _check_assignee(task: LaunchTask) -> None:
    if task.assignee_id is None:
        return
    if not Membership.objects.filter(user_id=task.assignee_id, workspace=task.workspace).exists():
        raise ValidationError({"assignee": ["The assignee must be a member of this workspace."]})


def _check_dependencies(task: LaunchTask, depends_on: list[LaunchTask]) -> None:
    """Only tasks of the same launch, and never a cycle."""
    for other in depends_on:
        if other.workspace_id != task.workspace_id or other.launch_id != task.launch_id:
            raise ValidationError({"depends_on": [f'"{other}" is not a task of this launch.']})
        if task.pk and other.pk == task.pk:
            raise ValidationError({"depends_on": ["A task cannot depend on itself."]})
    if not task.pk:
        return  # a new task has no dependents yet, so it cannot close a cycle
    edges: dict[int, set[int]] = {}
    through = LaunchTask.depends_on.through.objects.filter(from_launchtask__launch=task.launch_id)
    for from_id, to_id in through.values_list("from_launchtask_id", "to_launchtask_id"):
        edges.setdefault(from_id, set()).add(to_id)
    edges[task.pk] = {other.pk for other in depends_on}
    # Walk from the new prerequisites: reaching the task itself means a cycle.
    stack, seen = list(edges[task.pk]), set()
    while stack:
        current = stack.pop()
        if current == task.pk:
            raise ValidationError(
                {"depends_on": ["These dependencies would form a cycle; remove one of them."]}
            )
        if current in seen:
            continue
        seen.add(current)
        stack.extend(edges.get(current, ()))


def _check_prerequisites_done(task: LaunchTask, depends_on, stored: dict | None) -> None:
    """A task is done only after every task it depends on is done.

    Marking it done names the prerequisites that are not (on `status`). A task already
    done keeps its status when a prerequisite is reopened later, but it cannot be given a
    new prerequisite that is not done (on `depends_on`).
    """
    if task.status != LaunchTask.Status.DONE:
        return
    if depends_on is not None:
        prerequisite_ids = [other.pk for other in depends_on]
    elif task.pk:
        prerequisite_ids = list(task.depends_on.values_list("pk", flat=True))
    else:
        prerequisite_ids = []
    if not prerequisite_ids:
        return
    # The stored rows, not the caller's copies: their statuses may have changed since.
    prerequisites = LaunchTask.objects.filter(pk__in=prerequisite_ids).order_by("due_date", "id")
    blockers = [other for other in prerequisites if other.status != LaunchTask.Status.DONE]
    if not blockers:
        return
    was_done = stored is not None and stored["status"] == LaunchTask.Status.DONE
    if not was_done:
        raise ValidationError({"status": [blocked_by_message(blockers)]})
    linked = set(task.depends_on.values_list("pk", flat=True))
    added = [other for other in blockers if other.pk not in linked]
    if added:
        message = f"A done task cannot depend on open work. {blocked_by_message(added)}"
        raise ValidationError({"depends_on": [message]})


def _stored_task(task: LaunchTask) -> dict | None:
    """The task as saved: forms copy their input onto the instance before the service."""
    if task.pk is None:
        return None
    return LaunchTask.objects.filter(pk=task.pk).values("status", "assignee_id").first()


def launch_task_check(task: LaunchTask, depends_on=None) -> None:
    """The rules a task must meet beyond its fields (ValidationError): an assignee who is a
    member, prerequisites of the same launch without a cycle, and no `done` while a task it
    depends on is not done. Also run by the admin's form, so a bad edit there is a form
    error."""
    _check_task(task, depends_on, _stored_task(task))


def _check_task(task: LaunchTask, depends_on, stored: dict | None) -> None:
    _check_assignee(task)
    if depends_on is not None:
        _check_dependencies(task, list(depends_on))
    _check_prerequisites_done(task, depends_on, stored)


def _save_task(task: LaunchTask, data: dict, depends_on, *, actor) -> LaunchTask:
    stored = _stored_task(task)
    old_assignee_id = stored["assignee_id"] if stored else None
    old_status = stored["status"] if stored else None
    assign_fields(task, data, TASK_FIELDS)
    task.full_clean()
    _check_task(task, depends_on, stored)
    if task.status == LaunchTask.Status.DONE and old_status != LaunchTask.Status.DONE:
        task.completed_at = timezone.now()
    elif task.status != LaunchTask.Status.DONE:
        task.completed_at = None
    task.save()
    if depends_on is not None:
        task.depends_on.set(depends_on)
    if task.assignee_id and task.assignee_id != old_assignee_id:
        launch_task_tell_assignee(actor=actor, task=task)
    return task


@transaction.atomic
def launch_task_create(
    *, actor, workspace: Workspace, launch: Launch, depends_on=None, **data
) -> LaunchTask:
    task = LaunchTask(workspace=workspace, launch=launch)
    return _save_task(task, data, depends_on or [], actor=actor)


@transaction.atomic
def launch_task_update(*, actor, task: LaunchTask, depends_on=None, **data) -> LaunchTask:
    return _save_task(task, data, depends_on, actor=actor)


@transaction.atomic
def launch_task_set_status(*, actor, task: LaunchTask, status: str) -> LaunchTask:
    return _save_task(task, {"status": status}, None, actor=actor)
