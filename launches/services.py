"""Writes of the go-to-market domain. Every rule that changes launches data lives here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alignment.models import Membership, Workspace
from launches.models import (
    CalendarFeed,
    Campaign,
    GtmSettings,
    Launch,
    LaunchTask,
    LaunchTemplate,
    LaunchTemplateItem,
    Milestone,
    MilestoneKind,
    OverdueDigest,
    Release,
)

User = get_user_model()


def _assign(instance, data: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    for name, value in data.items():
        setattr(instance, name, value)


def _check_features_of_product(features, product, field: str = "features") -> None:
    wrong = [feature.name for feature in features if feature.product_id != product.pk]
    if wrong:
        raise ValidationError(
            {field: [f"Not a feature of {product.name}: {', '.join(sorted(wrong))}."]}
        )


# --- GTM settings and calendar feeds ---------------------------------------------------


@transaction.atomic
def gtm_settings_update(*, actor, workspace: Workspace, conflict_window_days: int) -> GtmSettings:
    gtm, _ = GtmSettings.objects.get_or_create(workspace=workspace)
    gtm.conflict_window_days = conflict_window_days
    gtm.full_clean()
    gtm.save()
    return gtm


@transaction.atomic
def calendar_feed_get_or_create(*, actor, workspace: Workspace) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(workspace=workspace, user=actor)
    return feed


@transaction.atomic
def calendar_feed_regenerate(*, actor, workspace: Workspace) -> CalendarFeed:
    """A new secret URL: subscriptions with the old one stop working at once."""
    CalendarFeed.objects.filter(workspace=workspace, user=actor).delete()
    return CalendarFeed.objects.create(workspace=workspace, user=actor)


# --- Campaigns and releases --------------------------------------------------------------

CAMPAIGN_FIELDS = {"name", "channel", "start_date", "end_date", "budget"}
RELEASE_FIELDS = {"product", "version", "date", "notes"}


def _save_campaign(campaign: Campaign, data: dict, features) -> Campaign:
    _assign(campaign, data, CAMPAIGN_FIELDS)
    campaign.full_clean()
    campaign.save()
    if features is not None:
        campaign.features.set(features)
    return campaign


@transaction.atomic
def campaign_create(*, actor, workspace: Workspace, features=None, **data) -> Campaign:
    return _save_campaign(Campaign(workspace=workspace), data, features or [])


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, features=None, **data) -> Campaign:
    return _save_campaign(campaign, data, features)


def _save_release(release: Release, data: dict, features) -> Release:
    _assign(release, data, RELEASE_FIELDS)
    release.full_clean()
    if features is None and release.pk:
        features = list(release.features.all())
    _check_features_of_product(features or [], release.product)
    release.save()
    release.features.set(features or [])
    return release


@transaction.atomic
def release_create(*, actor, workspace: Workspace, features=None, **data) -> Release:
    return _save_release(Release(workspace=workspace), data, features or [])


@transaction.atomic
def release_update(*, actor, release: Release, features=None, **data) -> Release:
    return _save_release(release, data, features)


# --- Launch templates --------------------------------------------------------------------

TEMPLATE_FIELDS = {"name", "tier", "description"}
TEMPLATE_ITEM_FIELDS = {"kind", "title", "team", "offset_days", "milestone_kind", "channel"}


def _replace_template_items(template: LaunchTemplate, items: Iterable[dict]) -> None:
    template.items.all().delete()
    errors = []
    rows = []
    for position, item in enumerate(items):
        row = LaunchTemplateItem(workspace=template.workspace, template=template, position=position)
        try:
            _assign(row, dict(item), TEMPLATE_ITEM_FIELDS)
            if row.kind == LaunchTemplateItem.Kind.MILESTONE and not row.milestone_kind:
                row.milestone_kind = MilestoneKind.CUSTOM
            row.full_clean()
        except ValidationError as error:
            errors.append(f"Item {position + 1}: {' '.join(error.messages)}")
            continue
        rows.append(row)
    if errors:
        raise ValidationError({"items": errors})
    LaunchTemplateItem.objects.bulk_create(rows)


@transaction.atomic
def launch_template_create(*, actor, workspace: Workspace, items=(), **data) -> LaunchTemplate:
    template = LaunchTemplate(workspace=workspace)
    _assign(template, data, TEMPLATE_FIELDS)
    template.full_clean()
    template.save()
    _replace_template_items(template, items)
    return template


@transaction.atomic
def launch_template_update(
    *, actor, launchtemplate: LaunchTemplate, items=None, **data
) -> LaunchTemplate:
    _assign(launchtemplate, data, TEMPLATE_FIELDS)
    launchtemplate.full_clean()
    launchtemplate.save()
    if items is not None:
        _replace_template_items(launchtemplate, items)
    return launchtemplate


def _task(title, team, offset, milestone="", channel=""):
    return {
        "kind": "task",
        "title": title,
        "team": team,
        "offset_days": offset,
        "milestone_kind": milestone,
        "channel": channel,
    }


def _milestone(kind, team, offset, title=""):
    return {
        "kind": "milestone",
        "title": title or MilestoneKind(kind).label,
        "team": team,
        "offset_days": offset,
        "milestone_kind": kind,
    }


M = MilestoneKind
DEFAULT_TEMPLATES = [
    (
        "Tier 1 launch",
        1,
        "A major launch: full content, enablement of sales and support, press and a webinar.",
        [
            _task("Feature definition and FAQ handed to marketing", "product", -42),
            _task("Positioning and messaging approved", "marketing", -35, M.CONTENT_READY),
            _milestone(M.CONTENT_READY, "marketing", -14),
            _task("Launch blog post", "marketing", -18, M.CONTENT_READY, "blog"),
            _task("Press release", "marketing", -18, M.CONTENT_READY, "pr"),
            _task("Customer announcement email", "marketing", -16, M.CONTENT_READY, "email"),
            _task("Launch webinar scheduled", "marketing", -14, M.CONTENT_READY, "webinar"),
            _milestone(M.SALES_TRAINED, "sales", -7),
            _task("Sales deck and battlecard", "marketing", -14, M.SALES_TRAINED),
            _task("Sales training session", "sales", -8, M.SALES_TRAINED),
            _milestone(M.SUPPORT_ENABLED, "support", -5),
            _task("Help-center articles", "support", -10, M.SUPPORT_ENABLED, "docs"),
            _task("Support training and macros", "support", -6, M.SUPPORT_ENABLED),
            _task("Release notes", "product", -3, M.GENERAL_AVAILABILITY, "docs"),
            _task("Social posts scheduled", "marketing", -2, M.CUSTOMERS_CONTACTED, "social"),
            _task("In-app announcement", "product", -1, M.CUSTOMERS_CONTACTED, "in_app"),
            _milestone(M.GENERAL_AVAILABILITY, "product", 0),
            _milestone(M.CUSTOMERS_CONTACTED, "marketing", 1),
            _task("Launch review: goals against results", "product", 30),
        ],
    ),
    (
        "Tier 2 launch",
        2,
        "A notable improvement: blog, email, enablement notes and docs.",
        [
            _task("Messaging brief", "marketing", -21, M.CONTENT_READY),
            _milestone(M.CONTENT_READY, "marketing", -7),
            _task("Blog post", "marketing", -9, M.CONTENT_READY, "blog"),
            _task("Customer email", "marketing", -8, M.CONTENT_READY, "email"),
            _milestone(M.SALES_TRAINED, "sales", -3),
            _task("Sales enablement note", "marketing", -6, M.SALES_TRAINED),
            _milestone(M.SUPPORT_ENABLED, "support", -3),
            _task("Help-center article", "support", -5, M.SUPPORT_ENABLED, "docs"),
            _task("Release notes", "product", -2, M.GENERAL_AVAILABILITY, "docs"),
            _milestone(M.GENERAL_AVAILABILITY, "product", 0),
            _milestone(M.CUSTOMERS_CONTACTED, "marketing", 1),
            _task("Launch review", "product", 21),
        ],
    ),
    (
        "Tier 3 launch",
        3,
        "A small change: docs, release notes and an in-app note.",
        [
            _task("Help-center update", "support", -3, M.SUPPORT_ENABLED, "docs"),
            _milestone(M.SUPPORT_ENABLED, "support", -1),
            _task("Release notes", "product", -1, M.GENERAL_AVAILABILITY, "docs"),
            _milestone(M.GENERAL_AVAILABILITY, "product", 0),
            _task("In-app note", "product", 0, M.CUSTOMERS_CONTACTED, "in_app"),
        ],
    ),
]


@transaction.atomic
def launch_template_seed_defaults(*, actor=None, workspace: Workspace) -> list[LaunchTemplate]:
    """Create the default tier 1-3 templates that are missing (by name): edits are kept."""
    created = []
    for name, tier, description, items in DEFAULT_TEMPLATES:
        if LaunchTemplate.objects.in_workspace(workspace).filter(name__iexact=name).exists():
            continue
        created.append(
            launch_template_create(
                actor=actor,
                workspace=workspace,
                name=name,
                tier=tier,
                description=description,
                items=items,
            )
        )
    return created


# --- Launches ----------------------------------------------------------------------------

LAUNCH_FIELDS = {"name", "product", "tier", "launch_date", "goals"}


@transaction.atomic
def launch_create(
    *, actor, workspace: Workspace, features=None, template: LaunchTemplate | None = None, **data
) -> Launch:
    """Create a launch; with a template, lay out its milestones and tasks around the date."""
    launch = Launch(workspace=workspace, created_by=actor if actor and actor.pk else None)
    _assign(launch, data, LAUNCH_FIELDS)
    if template is not None and "tier" not in data:
        launch.tier = template.tier
    launch.full_clean()
    _check_features_of_product(features or [], launch.product)
    launch.save()
    launch.features.set(features or [])
    if template is not None:
        launch_apply_template(actor=actor, launch=launch, template=template)
    return launch


@transaction.atomic
def launch_update(*, actor, launch: Launch, features=None, **data) -> Launch:
    """Update a launch. A new launch date moves every undone task and milestone with it."""
    launch = Launch.objects.select_for_update().get(pk=launch.pk)
    old_date = launch.launch_date
    _assign(launch, data, LAUNCH_FIELDS)
    launch.full_clean()
    if features is None:
        features = list(launch.features.all())
    _check_features_of_product(features, launch.product)
    launch.save()
    launch.features.set(features)
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
    """Add the template's milestones and tasks at their offsets from the launch date."""
    if template.workspace_id != launch.workspace_id:
        raise ValidationError({"template": ["Select a valid choice. That choice does not exist."]})
    items = list(template.items.all())
    milestones = {}
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
    LaunchTask.objects.bulk_create(
        LaunchTask(
            workspace=launch.workspace,
            launch=launch,
            title=item.title,
            team=item.team,
            channel=item.channel,
            due_date=launch.launch_date + timedelta(days=item.offset_days),
            milestone=milestones.get(item.milestone_kind),
        )
        for item in items
        if item.kind == LaunchTemplateItem.Kind.TASK
    )


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

MILESTONE_FIELDS = {"kind", "title", "team", "due_date", "done"}


def _save_milestone(milestone: Milestone, data: dict) -> Milestone:
    was_done = milestone.done
    _assign(milestone, data, MILESTONE_FIELDS)
    if "team" not in data and milestone.pk is None:
        milestone.team = MilestoneKind.default_team(milestone.kind)
    if milestone.done and not was_done:
        milestone.done_at = timezone.now()
    elif not milestone.done:
        milestone.done_at = None
    milestone.full_clean()
    milestone.save()
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


def _notify_assignee_on_commit(task: LaunchTask) -> None:
    from launches.tasks import launch_task_assigned_email

    workspace_id, task_id = task.workspace_id, task.pk
    transaction.on_commit(lambda: launch_task_assigned_email.delay(workspace_id, task_id))


def _save_task(task: LaunchTask, data: dict, depends_on) -> LaunchTask:
    old_assignee_id = task.assignee_id if task.pk else None
    old_status = task.status
    _assign(task, data, TASK_FIELDS)
    task.full_clean()
    _check_assignee(task)
    if depends_on is not None:
        _check_dependencies(task, list(depends_on))
    if task.status == LaunchTask.Status.DONE and old_status != LaunchTask.Status.DONE:
        task.completed_at = timezone.now()
    elif task.status != LaunchTask.Status.DONE:
        task.completed_at = None
    task.save()
    if depends_on is not None:
        task.depends_on.set(depends_on)
    if task.assignee_id and task.assignee_id != old_assignee_id:
        _notify_assignee_on_commit(task)
    return task


@transaction.atomic
def launch_task_create(
    *, actor, workspace: Workspace, launch: Launch, depends_on=None, **data
) -> LaunchTask:
    task = LaunchTask(workspace=workspace, launch=launch)
    return _save_task(task, data, depends_on or [])


@transaction.atomic
def launch_task_update(*, actor, task: LaunchTask, depends_on=None, **data) -> LaunchTask:
    return _save_task(task, data, depends_on)


@transaction.atomic
def launch_task_set_status(*, actor, task: LaunchTask, status: str) -> LaunchTask:
    return _save_task(task, {"status": status}, None)


# --- Notifications -----------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.EMAIL_LINK_BASE_URL.rstrip('/')}{path}"


def launch_task_send_assignment_email(*, task: LaunchTask) -> bool:
    """Tell the assignee about their task. False when there is nobody to tell."""
    assignee = task.assignee
    if assignee is None or not assignee.email:
        return False
    context = {
        "task": task,
        "launch": task.launch,
        "user": assignee,
        "url": _absolute(task.launch.get_absolute_url()),
    }
    send_mail(
        subject=f"[Tandem] You were assigned: {task.title} ({task.launch.name})",
        message=render_to_string("launches/email/task_assigned.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[assignee.email],
    )
    return True


def overdue_digest_send_all(*, today: date | None = None) -> int:
    """Send every assignee with overdue tasks one digest per workspace and day.

    A digest already sent today is not sent again, so a rerun of the beat task is harmless.
    """
    today = today or timezone.localdate()
    pairs = (
        LaunchTask.objects.filter(due_date__lt=today, assignee__isnull=False)
        .exclude(status=LaunchTask.Status.DONE)
        .exclude(launch__status__in=[Launch.Status.LAUNCHED, Launch.Status.REVIEWED])
        .values_list("workspace_id", "assignee_id")
        .distinct()
        .order_by("workspace_id", "assignee_id")
    )
    sent = 0
    for workspace_id, user_id in pairs:
        sent += overdue_digest_send(workspace_id=workspace_id, user_id=user_id, today=today)
    return sent


@transaction.atomic
def overdue_digest_send(*, workspace_id: int, user_id: int, today: date) -> int:
    from launches.selectors import overdue_tasks_for_user

    if not Membership.objects.filter(workspace_id=workspace_id, user_id=user_id).exists():
        return 0
    user = User.objects.get(pk=user_id)
    tasks = list(overdue_tasks_for_user(workspace_id=workspace_id, user=user, today=today))
    if not tasks or not user.email:
        return 0
    try:
        with transaction.atomic():
            OverdueDigest.objects.create(
                workspace_id=workspace_id, user=user, sent_on=today, task_count=len(tasks)
            )
    except IntegrityError:
        return 0  # already sent today
    workspace = tasks[0].workspace
    context = {
        "user": user,
        "tasks": tasks,
        "today": today,
        "workspace": workspace,
        "url": _absolute(reverse("launches:index", args=[workspace.slug])),
    }
    send_mail(
        subject=f"[Tandem] {len(tasks)} overdue launch task{'s' if len(tasks) != 1 else ''}",
        message=render_to_string("launches/email/overdue_digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return 1
