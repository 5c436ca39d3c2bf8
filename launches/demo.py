"""The launches part of the demo workspace: templates, a launch in progress, campaigns and
releases (one release lands a day before the campaign promoting its feature: a conflict).

The launch is laid out by the tier 1 template, with its dependencies: the feature
definition is done, the messaging is late (so the content and the sales deck wait for it),
and its readiness, schedule and risk say so.

Idempotent: rows are found by their natural keys, and the launch is laid out only once.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from alignment.models import Feature, Workspace
from launches import services
from launches.models import Campaign, Launch, LaunchTask, LaunchTemplate, Milestone, Release
from launches.services.launch_templates import DEFINITION, MESSAGING

User = get_user_model()

DEMO_LAUNCH = "AI summaries launch"


def _feature(workspace, product_name, name):
    return Feature.objects.get(workspace=workspace, product__name=product_name, name=name)


def seed(workspace: Workspace, today: date | None = None) -> None:
    today = today or date.today()
    services.launch_template_seed_defaults(workspace=workspace)
    ai = _feature(workspace, "Acme Insights", "AI summaries")
    cohorts = _feature(workspace, "Acme Insights", "Cohort retention")
    warehouse = _feature(workspace, "Acme Insights", "Warehouse sync")

    releases = [
        ("4.1", -40, [cohorts]),
        ("4.2", 21, [ai]),  # one day before the AI summaries campaign: the conflict
        ("4.3", 45, [warehouse]),
    ]
    for version, offset, features in releases:
        release, _ = Release.objects.update_or_create(
            workspace=workspace,
            product=ai.product,
            version=version,
            defaults={"date": today + timedelta(days=offset)},
        )
        release.features.set(features)

    campaigns = [
        ("AI summaries: meet your analyst", "email", 22, 50, 12000, [ai]),
        ("Retention webinar series", "webinar", -30, -5, 4500, [cohorts]),
        ("Warehouse sync early access", "social", 60, 90, 8000, [warehouse]),
    ]
    for name, channel, start, end, budget, features in campaigns:
        campaign, _ = Campaign.objects.update_or_create(
            workspace=workspace,
            name=name,
            defaults={
                "channel": channel,
                "start_date": today + timedelta(days=start),
                "end_date": today + timedelta(days=end),
                "budget": budget,
            },
        )
        campaign.features.set(features)

    if Launch.objects.in_workspace(workspace).filter(name=DEMO_LAUNCH).exists():
        return
    pmm = User.objects.filter(username="demo-pmm").first()
    template = LaunchTemplate.objects.in_workspace(workspace).get(name="Tier 1 launch")
    launch = services.launch_create(
        actor=pmm,
        workspace=workspace,
        name=DEMO_LAUNCH,
        product=ai.product,
        features=[ai],
        launch_date=today + timedelta(days=21),
        goals="20% of active accounts open an AI summary within 30 days; NPS of users +5.",
        template=template,
    )
    # In progress (no emails for demo data): the feature definition is done, the messaging
    # is overdue, the press release drafted meanwhile, the sales deck blocked waiting for it
    # and the help-center articles (after the definition only) under way.
    tasks = LaunchTask.objects.filter(launch=launch)
    tasks.filter(title=DEFINITION).update(
        status=LaunchTask.Status.DONE, completed_at=timezone.now()
    )
    overdue = tasks.filter(title=MESSAGING)
    overdue.update(status=LaunchTask.Status.DOING, due_date=today - timedelta(days=2))
    tasks.filter(title="Press release").update(status=LaunchTask.Status.DOING)
    tasks.filter(title="Sales deck and battlecard").update(status=LaunchTask.Status.BLOCKED)
    tasks.filter(title="Help-center articles").update(status=LaunchTask.Status.DOING)
    tasks.filter(team__in=["marketing"]).update(assignee=pmm)
    tasks.filter(team="product").update(assignee=User.objects.filter(username="demo-pm").first())
    Milestone.objects.filter(launch=launch, due_date__lt=today).update(done=True)
