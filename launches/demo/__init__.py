"""The launches part of the demo workspace: templates, a launch in progress, campaigns and
releases (one release lands a day before the campaign promoting its feature: a conflict).

The launch is laid out by the tier 1 template, with its dependencies: the feature
definition is done, the messaging is late (so the content and the sales deck wait for it),
and its readiness, schedule and risk say so.

The content lives in `data.json` next to this module; dates are offsets in days from
`today`. Idempotent: rows are found by their natural keys, and the launch is laid out only
once.
"""

import json
from datetime import date
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from alignment.models import Feature
from alignment.models import Workspace
from launches import services
from launches.models import Campaign
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import Milestone
from launches.models import Release

DATA_FILE = Path(__file__).with_name("data.json")


@cache
def load_data() -> dict:
    """The demo content, read once per process (it is the same for every workspace)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


DEMO_LAUNCH = load_data()["launch"]["name"]


def seed(workspace: Workspace, today: date | None = None) -> None:
    today = today or date.today()
    data = load_data()
    services.launch_template_seed_defaults(workspace=workspace)
    features = {
        feature.name: feature
        for feature in Feature.objects.in_workspace(workspace).filter(product__name=data["product"])
    }
    for spec in data["releases"]:
        _seed_release(workspace, spec, today, [features[name] for name in spec["features"]])
    for spec in data["campaigns"]:
        _seed_campaign(workspace, spec, today, [features[name] for name in spec["features"]])
    if not Launch.objects.in_workspace(workspace).filter(name=DEMO_LAUNCH).exists():
        _seed_launch(workspace, data["launch"], today, features)


def _seed_release(workspace, spec, today, features) -> Release:
    product = features[0].product
    fields = {"date": today + timedelta(days=spec["days"])}
    release = (
        Release.objects.in_workspace(workspace)
        .filter(product=product, version=spec["version"])
        .first()
    )
    if release is None:
        return services.release_create(
            actor=None,
            workspace=workspace,
            product=product,
            version=spec["version"],
            features=features,
            **fields,
        )
    return services.release_update(actor=None, release=release, features=features, **fields)


def _seed_campaign(workspace, spec, today, features) -> Campaign:
    fields = {
        "channel": spec["channel"],
        "start_date": today + timedelta(days=spec["start_days"]),
        "end_date": today + timedelta(days=spec["end_days"]),
        "budget": spec["budget"],
    }
    campaign = Campaign.objects.in_workspace(workspace).filter(name=spec["name"]).first()
    if campaign is None:
        return services.campaign_create(
            actor=None, workspace=workspace, name=spec["name"], features=features, **fields
        )
    return services.campaign_update(actor=None, campaign=campaign, features=features, **fields)


def _seed_launch(workspace, spec, today, features) -> None:
    usernames = [spec["planned_by"], *spec["assignees"].values()]
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=usernames)
    }
    planner = users.get(spec["planned_by"])
    launched = [features[name] for name in spec["features"]]
    launch = services.launch_create(
        actor=planner,
        workspace=workspace,
        name=spec["name"],
        product=launched[0].product,
        features=launched,
        launch_date=today + timedelta(days=spec["launch_days"]),
        goals=spec["goals"],
        template=LaunchTemplate.objects.in_workspace(workspace).get(name=spec["template"]),
    )
    # In progress (set directly: no emails for demo data): the feature definition is done,
    # the messaging is overdue, the press release drafted meanwhile, the sales deck blocked
    # waiting for it and the help-center articles (after the definition only) under way.
    tasks = LaunchTask.objects.filter(launch=launch)
    for task in spec["tasks"]:
        status = LaunchTask.Status(task["status"])
        changes = {"status": status}
        if status == LaunchTask.Status.DONE:
            changes["completed_at"] = timezone.now()
        if "due_days" in task:
            changes["due_date"] = today + timedelta(days=task["due_days"])
        tasks.filter(title=task["title"]).update(**changes)
    for team, username in spec["assignees"].items():
        tasks.filter(team=team).update(assignee=users.get(username))
    Milestone.objects.filter(launch=launch, due_date__lt=today).update(done=True)
