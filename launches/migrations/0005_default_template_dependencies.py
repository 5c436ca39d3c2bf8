"""The default tier templates of existing workspaces gain the dependencies (and the
"Release shipped" task) of the new defaults in launches/services/launch_templates.py.

Edits are kept: a template is found by its default name; a link is added only to a task
item that has none yet, only towards a task item that exists under that title (exactly
one) and is due on or before it. "Release shipped" is added where it is missing and the
template has a general-availability milestone for it to lead to. Launches already laid
out are not changed. The data is frozen here, as it was when this migration was written.
"""

from django.db import migrations

DEFINITION = "Feature definition and FAQ handed to marketing"
MESSAGING = "Positioning and messaging approved"
SHIPPED = "Release shipped"

DEPENDENCIES = {
    "tier 1 launch": {
        MESSAGING: [DEFINITION],
        "Launch blog post": [MESSAGING],
        "Press release": [MESSAGING],
        "Customer announcement email": [MESSAGING],
        "Launch webinar scheduled": [MESSAGING],
        "Sales deck and battlecard": [MESSAGING],
        "Sales training session": ["Sales deck and battlecard"],
        "Help-center articles": [DEFINITION],
        "Support training and macros": ["Help-center articles"],
        "Release notes": [DEFINITION],
        "Social posts scheduled": ["Launch blog post"],
        "In-app announcement": [SHIPPED],
    },
    "tier 2 launch": {
        "Blog post": ["Messaging brief"],
        "Customer email": ["Messaging brief"],
        "Sales enablement note": ["Messaging brief"],
    },
    "tier 3 launch": {
        "In-app note": [SHIPPED],
    },
}


def _key(title):
    return " ".join(str(title).split()).casefold()


def forwards(apps, schema_editor):
    LaunchTemplate = apps.get_model("launches", "LaunchTemplate")
    LaunchTemplateItem = apps.get_model("launches", "LaunchTemplateItem")
    for template in LaunchTemplate.objects.all().iterator():
        links = DEPENDENCIES.get(_key(template.name))
        if links is None:
            continue
        items = list(LaunchTemplateItem.objects.filter(template=template))
        tasks = {}
        for item in items:
            if item.kind == "task":
                tasks.setdefault(_key(item.title), []).append(item)
        has_ga = any(
            item.kind == "milestone" and item.milestone_kind == "general_availability"
            for item in items
        )
        if _key(SHIPPED) not in tasks and has_ga:
            shipped = LaunchTemplateItem.objects.create(
                workspace_id=template.workspace_id,
                template=template,
                kind="task",
                title=SHIPPED,
                team="product",
                offset_days=-1,
                milestone_kind="general_availability",
                channel="",
                depends_on=[],
                position=max((item.position for item in items), default=-1) + 1,
            )
            tasks[_key(SHIPPED)] = [shipped]
        for title, prerequisites in links.items():
            dependents = tasks.get(_key(title), [])
            if len(dependents) != 1 or dependents[0].depends_on:
                continue
            dependent = dependents[0]
            after = []
            for prerequisite in prerequisites:
                matches = tasks.get(_key(prerequisite), [])
                if (
                    len(matches) == 1
                    and matches[0].pk != dependent.pk
                    and matches[0].offset_days <= dependent.offset_days
                ):
                    after.append(matches[0].title)
            if after:
                dependent.depends_on = after
                dependent.save(update_fields=["depends_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("launches", "0004_launchtemplateitem_depends_on"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
