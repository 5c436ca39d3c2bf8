"""Launch templates per tier and the default ones."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from alignment.models import Workspace
from launches.models import (
    LaunchTemplate,
    LaunchTemplateItem,
    MilestoneKind,
)
from launches.services._common import _assign

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
