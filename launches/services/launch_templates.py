"""Launch templates per tier and the default ones."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from alignment.models import Workspace
from alignment.writes import assign_fields
from alignment.writes import save_clean
from launches.models import LaunchTemplate
from launches.models import LaunchTemplateItem
from launches.models import MilestoneKind

# --- Launch templates --------------------------------------------------------------------

TEMPLATE_FIELDS = ("name", "tier", "description")
TEMPLATE_ITEM_FIELDS = (
    "kind",
    "title",
    "team",
    "offset_days",
    "milestone_kind",
    "channel",
    "depends_on",
)


def title_key(title: str) -> str:
    """How a template item's `depends_on` finds a task item: its title, trimmed, any case."""
    return " ".join(str(title).split()).casefold()


def _clean_titles(titles) -> list[str]:
    """A list of distinct, trimmed, non-empty titles (in the given order)."""
    if titles is None:
        return []
    if isinstance(titles, str) or not isinstance(titles, Iterable):
        raise ValidationError({"depends_on": ["Give a list of task titles."]})
    cleaned, seen = [], set()
    for title in titles:
        title = " ".join(str(title).split())
        if title and title_key(title) not in seen:
            seen.add(title_key(title))
            cleaned.append(title)
    return cleaned


def launch_template_check_items(*, items: Iterable[Mapping]) -> None:
    """The rules of a template's dependencies (ValidationError on `items`, naming the item).

    Only a task comes after other tasks; each title in its `depends_on` names exactly one
    other task item of the template, due on or before it (so a laid-out plan never asks
    for work before its prerequisite is due), and the links never form a cycle. Also run
    by the items formsets of the pages and the admin.
    """
    items = [dict(item) for item in items]
    tasks: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if item.get("kind", LaunchTemplateItem.Kind.TASK) == LaunchTemplateItem.Kind.TASK:
            tasks.setdefault(title_key(item.get("title", "")), []).append(index)
    errors, edges = [], {}
    for index, item in enumerate(items):
        titles = item.get("depends_on") or []
        name = f"Item {index + 1} (“{item.get('title', '')}”)"
        if titles and item.get("kind") == LaunchTemplateItem.Kind.MILESTONE:
            errors.append(f"{name}: only a task can come after other tasks.")
            continue
        for title in titles:
            matches = tasks.get(title_key(title), [])
            if not matches:
                errors.append(f"{name}: no task item is called “{title}”.")
            elif len(matches) > 1:
                errors.append(f"{name}: two task items are called “{title}”; rename one.")
            elif matches[0] == index:
                errors.append(f"{name}: a task cannot come after itself.")
            else:
                before = items[matches[0]]
                if int(before.get("offset_days") or 0) > int(item.get("offset_days") or 0):
                    errors.append(
                        f"{name}: it is due on day {item.get('offset_days')}, before "
                        f"“{before.get('title')}” (day {before.get('offset_days')}) that it "
                        "comes after."
                    )
                edges.setdefault(index, set()).add(matches[0])
    if not errors:
        errors += _template_cycles(items, edges)
    if errors:
        raise ValidationError({"items": errors})


def _template_cycles(items: list[dict], edges: dict[int, set[int]]) -> list[str]:
    state: dict[int, str] = {}  # "open" while on the path, then "done"

    def visit(index: int) -> bool:
        state[index] = "open"
        for prerequisite in edges.get(index, ()):
            if state.get(prerequisite) == "open" or (
                prerequisite not in state and visit(prerequisite)
            ):
                return True
        state[index] = "done"
        return False

    for index in edges:
        if index not in state and visit(index):
            title = items[index].get("title", "")
            return [f"Item {index + 1} (“{title}”): these dependencies form a cycle."]
    return []


def _replace_template_items(template: LaunchTemplate, items: Iterable[dict]) -> None:
    template.items.all().delete()
    errors = []
    rows = []
    for position, item in enumerate(items):
        row = LaunchTemplateItem(workspace=template.workspace, template=template, position=position)
        try:
            assign_fields(row, dict(item), TEMPLATE_ITEM_FIELDS)
            row.depends_on = _clean_titles(row.depends_on)
            if row.kind == LaunchTemplateItem.Kind.MILESTONE and not row.milestone_kind:
                row.milestone_kind = MilestoneKind.CUSTOM
            row.full_clean()
        except ValidationError as error:
            errors.append(f"Item {position + 1}: {' '.join(error.messages)}")
            continue
        rows.append(row)
    if errors:
        raise ValidationError({"items": errors})
    launch_template_check_items(
        items=[
            {
                "kind": row.kind,
                "title": row.title,
                "offset_days": row.offset_days,
                "depends_on": row.depends_on,
            }
            for row in rows
        ]
    )
    LaunchTemplateItem.objects.bulk_create(rows)


@transaction.atomic
def launch_template_create(*, actor, workspace: Workspace, items=(), **data) -> LaunchTemplate:
    template = LaunchTemplate(workspace=workspace)
    assign_fields(template, data, TEMPLATE_FIELDS)
    save_clean(template)
    _replace_template_items(template, items)
    return template


@transaction.atomic
def launch_template_update(
    *, actor, launchtemplate: LaunchTemplate, items=None, **data
) -> LaunchTemplate:
    assign_fields(launchtemplate, data, TEMPLATE_FIELDS)
    save_clean(launchtemplate)
    if items is not None:
        _replace_template_items(launchtemplate, items)
    return launchtemplate


def _task(title, team, offset, milestone="", channel="", after=()):
    return {
        "kind": "task",
        "title": title,
        "team": team,
        "offset_days": offset,
        "milestone_kind": milestone,
        "channel": channel,
        "depends_on": list(after),
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
# Where order matters, a task comes after another: content and enablement after the
# messaging is approved, help content after the feature is defined, announcements in the
# product after the release has shipped. (Migration 0005 brings the dependencies to the
# default templates of existing workspaces.)
DEFINITION = "Feature definition and FAQ handed to marketing"
MESSAGING = "Positioning and messaging approved"
SHIPPED = "Release shipped"
DEFAULT_TEMPLATES = [
    (
        "Tier 1 launch",
        1,
        "A major launch: full content, enablement of sales and support, press and a webinar.",
        [
            _task(DEFINITION, "product", -42),
            _task(MESSAGING, "marketing", -35, M.CONTENT_READY, after=[DEFINITION]),
            _milestone(M.CONTENT_READY, "marketing", -14),
            _task("Launch blog post", "marketing", -18, M.CONTENT_READY, "blog", [MESSAGING]),
            _task("Press release", "marketing", -18, M.CONTENT_READY, "pr", [MESSAGING]),
            _task(
                "Customer announcement email",
                "marketing",
                -16,
                M.CONTENT_READY,
                "email",
                [MESSAGING],
            ),
            _task(
                "Launch webinar scheduled",
                "marketing",
                -14,
                M.CONTENT_READY,
                "webinar",
                [MESSAGING],
            ),
            _milestone(M.SALES_TRAINED, "sales", -7),
            _task(
                "Sales deck and battlecard", "marketing", -14, M.SALES_TRAINED, after=[MESSAGING]
            ),
            _task(
                "Sales training session",
                "sales",
                -8,
                M.SALES_TRAINED,
                after=["Sales deck and battlecard"],
            ),
            _milestone(M.SUPPORT_ENABLED, "support", -5),
            _task("Help-center articles", "support", -10, M.SUPPORT_ENABLED, "docs", [DEFINITION]),
            _task(
                "Support training and macros",
                "support",
                -6,
                M.SUPPORT_ENABLED,
                after=["Help-center articles"],
            ),
            _task("Release notes", "product", -3, M.GENERAL_AVAILABILITY, "docs", [DEFINITION]),
            _task(
                "Social posts scheduled",
                "marketing",
                -2,
                M.CUSTOMERS_CONTACTED,
                "social",
                ["Launch blog post"],
            ),
            _task(SHIPPED, "product", -1, M.GENERAL_AVAILABILITY),
            _task("In-app announcement", "product", -1, M.CUSTOMERS_CONTACTED, "in_app", [SHIPPED]),
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
            _task("Blog post", "marketing", -9, M.CONTENT_READY, "blog", ["Messaging brief"]),
            _task("Customer email", "marketing", -8, M.CONTENT_READY, "email", ["Messaging brief"]),
            _milestone(M.SALES_TRAINED, "sales", -3),
            _task(
                "Sales enablement note", "marketing", -6, M.SALES_TRAINED, after=["Messaging brief"]
            ),
            _milestone(M.SUPPORT_ENABLED, "support", -3),
            _task("Help-center article", "support", -5, M.SUPPORT_ENABLED, "docs"),
            _task("Release notes", "product", -2, M.GENERAL_AVAILABILITY, "docs"),
            _task(SHIPPED, "product", -1, M.GENERAL_AVAILABILITY),
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
            _task(SHIPPED, "product", -1, M.GENERAL_AVAILABILITY),
            _milestone(M.GENERAL_AVAILABILITY, "product", 0),
            _task("In-app note", "product", 0, M.CUSTOMERS_CONTACTED, "in_app", [SHIPPED]),
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
