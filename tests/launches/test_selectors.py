from datetime import date
from datetime import timedelta

import pytest

from launches import selectors
from launches import services
from launches.models import GtmSettings
from launches.models import LaunchTask
from tests.launches.factories import CampaignFactory
from tests.launches.factories import LaunchFactory
from tests.launches.factories import LaunchTaskFactory
from tests.launches.factories import MilestoneFactory
from tests.launches.factories import ReleaseFactory
from tests.launches.factories import feature_in

pytestmark = pytest.mark.django_db

LAUNCH_DAY = date(2026, 3, 16)
CAMPAIGN_START = date(2026, 4, 10)
CAMPAIGN_END = date(2026, 4, 20)


def _health(launch, today):
    launch = selectors.launch_list(workspace=launch.workspace).get(pk=launch.pk)
    return selectors.launch_health(launch, today=today)


# --- Readiness and risk ------------------------------------------------------------------


def test_readiness_is_the_share_of_all_items_done_per_team_and_overall(workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    today = date(2026, 3, 10)
    for team, due_date, status in (
        ("marketing", date(2026, 3, 1), "done"),
        ("marketing", date(2026, 3, 10), "doing"),  # due today, not done
        ("sales", date(2026, 3, 14), "done"),  # done early, not yet due: counts
    ):
        LaunchTaskFactory(
            workspace=workspace, launch=launch, team=team, due_date=due_date, status=status
        )
    MilestoneFactory(
        workspace=workspace, launch=launch, team="support", due_date=date(2026, 3, 9), done=True
    )
    MilestoneFactory(
        workspace=workspace, launch=launch, team="support", due_date=date(2026, 3, 15)
    )  # not due yet, not done: counts against readiness all the same
    health = _health(launch, today)
    teams = {team.team: team for team in health.by_team}
    assert (teams["marketing"].percent, teams["marketing"].done, teams["marketing"].total) == (
        50,
        1,
        2,
    )
    assert teams["sales"].percent == 100
    assert (teams["support"].percent, teams["support"].total) == (50, 2)
    assert (teams["product"].total, teams["product"].percent) == (0, 0)
    assert health.readiness == 60  # 3 of all 5 items done
    assert (health.done, health.total) == (3, 5)
    assert health.schedule == "on schedule" and health.overdue == 0
    assert not health.at_risk  # due today is not overdue yet


def test_readiness_of_four_of_nineteen_done_is_not_100_and_agrees_with_the_risk(workspace):
    """The reported case: 4 of 19 items done, the rest not due yet, one task blocked. It
    was 100% ready (only what was due counted) and at risk at the same time."""
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    today = date(2026, 3, 1)
    for day in range(4):
        LaunchTaskFactory(
            workspace=workspace, launch=launch, due_date=date(2026, 2, 20 + day), status="done"
        )
    for day in range(14):
        LaunchTaskFactory(workspace=workspace, launch=launch, due_date=date(2026, 3, 2 + day))
    LaunchTaskFactory(
        workspace=workspace,
        launch=launch,
        title="Pricing page",
        due_date=date(2026, 3, 12),
        status="blocked",
    )
    health = _health(launch, today)
    assert (health.done, health.total, health.readiness) == (4, 19, 21)
    assert health.schedule == "on schedule"
    assert health.at_risk
    assert health.risk_reasons == ["Task “Pricing page” (Marketing) is blocked."]


def test_schedule_status_counts_the_same_overdue_items_as_the_risk_reasons(workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    LaunchTaskFactory(
        workspace=workspace, launch=launch, title="Blog post", due_date=date(2026, 3, 2)
    )
    LaunchTaskFactory(workspace=workspace, launch=launch, due_date=date(2026, 3, 3), status="done")
    MilestoneFactory(
        workspace=workspace,
        launch=launch,
        kind="sales_trained",
        team="sales",
        due_date=date(2026, 3, 4),
    )
    LaunchTaskFactory(workspace=workspace, launch=launch, due_date=date(2026, 3, 14))
    health = _health(launch, date(2026, 3, 5))
    assert health.schedule == "2 overdue" and health.readiness == 25
    assert health.risk_reasons == [
        "Milestone “Sales trained” was due on Mar 4.",
        "Task “Blog post” (Marketing) was due on Mar 2.",
    ]
    marketing = next(team for team in health.by_team if team.team == "marketing")
    assert marketing.schedule == "1 overdue"
    assert marketing.as_dict()["overdue"] == 1 and marketing.as_dict()["readiness"] == 33


@pytest.mark.parametrize(
    "today,done,reason",
    [
        (date(2026, 3, 13), 1, "It launches in 3 days with 25% of its items done."),
        (date(2026, 3, 16), 1, "It launches today with 25% of its items done."),
        (date(2026, 3, 18), 1, "Its launch date (Mar 16) has passed with 25% of its items done."),
        (date(2026, 3, 12), 1, None),  # 4 days away: not yet
        (date(2026, 3, 14), 2, None),  # half done
    ],
)
def test_a_close_launch_date_with_low_readiness_is_a_risk(workspace, today, done, reason):
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    for index in range(4):
        LaunchTaskFactory(
            workspace=workspace,
            launch=launch,
            due_date=LAUNCH_DAY + timedelta(days=20),  # none overdue
            status="done" if index < done else "todo",
        )
    health = _health(launch, today)
    assert health.risk_reasons == ([reason] if reason else [])
    assert health.schedule == "on schedule"
    at_risk = selectors.launches_at_risk(workspace=workspace, today=today)
    assert [item.pk for item in at_risk] == ([launch.pk] if reason else [])


def test_a_close_launch_without_a_plan_says_so(workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    health = _health(launch, date(2026, 3, 15))
    assert (health.readiness, health.total) == (0, 0)
    assert health.risk_reasons == ["It launches in 1 day with no tasks or milestones planned."]


def test_overdue_task_or_milestone_puts_the_launch_at_risk_with_reasons(workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    LaunchTaskFactory(
        workspace=workspace, launch=launch, title="Blog post", due_date=date(2026, 3, 9)
    )
    MilestoneFactory(
        workspace=workspace, launch=launch, kind="sales_trained", due_date=date(2026, 3, 11)
    )
    assert not _health(launch, date(2026, 3, 9)).at_risk  # due today: fine
    health = _health(launch, date(2026, 3, 10))
    assert health.at_risk and health.schedule == "1 overdue"
    assert health.risk_reasons == ["Task “Blog post” (Marketing) was due on Mar 9."]
    health = _health(launch, date(2026, 3, 12))
    assert "Milestone “Sales trained” was due on Mar 11." in health.risk_reasons


def test_blocked_tasks_are_a_risk_naming_the_milestone_they_hold_up(workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    milestone = MilestoneFactory(
        workspace=workspace, launch=launch, kind="sales_trained", due_date=date(2026, 3, 12)
    )
    LaunchTaskFactory(
        workspace=workspace,
        launch=launch,
        title="Deck",
        status="blocked",
        milestone=milestone,
        due_date=date(2026, 3, 11),
    )
    LaunchTaskFactory(
        workspace=workspace,
        launch=launch,
        title="Loose",
        team="sales",
        status="blocked",
        due_date=date(2026, 3, 11),
    )  # blocked and holds up no milestone: still stuck work
    health = _health(launch, date(2026, 3, 1))
    assert health.risk_reasons == [
        "Task “Deck” is blocked and holds up milestone “Sales trained”.",
        "Task “Loose” (Sales) is blocked.",
    ]
    assert health.blocked == 2 and health.schedule == "on schedule"
    LaunchTask.objects.filter(status="blocked").update(status="doing")
    assert not _health(launch, date(2026, 3, 1)).at_risk


def test_a_task_due_before_its_prerequisite_is_a_warning(workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    messaging = LaunchTaskFactory(
        workspace=workspace, launch=launch, title="Messaging", due_date=date(2026, 3, 8)
    )
    blog = LaunchTaskFactory(
        workspace=workspace, launch=launch, title="Blog", due_date=date(2026, 3, 6)
    )
    blog.depends_on.set([messaging])
    warnings = _health(launch, date(2026, 3, 1)).warnings
    assert "Task “Blog” is due on Mar 6, before “Messaging” (Mar 8) that it depends on." in (
        warnings
    )


def test_task_blockers_name_the_prerequisites_not_done(workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    messaging = LaunchTaskFactory(
        workspace=workspace, launch=launch, title="Write messaging", due_date=date(2026, 3, 2)
    )
    brief = LaunchTaskFactory(
        workspace=workspace, launch=launch, title="Brief", due_date=date(2026, 3, 1), status="done"
    )
    legal = LaunchTaskFactory(
        workspace=workspace, launch=launch, title="Legal", due_date=date(2026, 3, 3), status="doing"
    )
    blog = LaunchTaskFactory(workspace=workspace, launch=launch, title="Blog")
    blog.depends_on.set([legal, brief, messaging])
    tasks = selectors.tasks_with_blockers(
        selectors.launch_detail_queryset(workspace=workspace).get(pk=launch.pk).tasks.all()
    )
    row = next(task for task in tasks if task.pk == blog.pk)
    assert row.blocked_by == [messaging, legal]
    assert row.blocked_reason == "Blocked by “Write messaging” (to do), “Legal” (doing)."
    assert all(task.blocked_by == [] for task in tasks if task.pk != blog.pk)


def test_launched_launches_are_not_at_risk(workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY, status="launched")
    LaunchTaskFactory(workspace=workspace, launch=launch, due_date=date(2026, 3, 1))
    assert not _health(launch, date(2026, 3, 20)).at_risk


def test_warnings_for_late_pre_launch_milestones_and_unreleased_features(workspace):
    feature = feature_in(workspace)
    launch = LaunchFactory(workspace=workspace, product=feature.product, launch_date=LAUNCH_DAY)
    launch.features.set([feature])
    MilestoneFactory(
        workspace=workspace,
        launch=launch,
        kind="content_ready",
        due_date=LAUNCH_DAY + timedelta(days=1),
    )
    MilestoneFactory(
        workspace=workspace,
        launch=launch,
        kind="customers_contacted",
        due_date=LAUNCH_DAY + timedelta(days=1),
    )  # after launch by design
    warnings = _health(launch, date(2026, 3, 1)).warnings
    assert len(warnings) == 2
    assert "Content ready" in warnings[0]
    assert f"Feature “{feature.name}” is in no release" in warnings[1]
    late = ReleaseFactory(
        workspace=workspace, product=feature.product, date=LAUNCH_DAY + timedelta(days=1)
    )
    late.features.set([feature])
    assert len(_health(launch, date(2026, 3, 1)).warnings) == 2  # after the launch: still
    on_time = ReleaseFactory(workspace=workspace, product=feature.product, date=LAUNCH_DAY)
    on_time.features.set([feature])
    assert len(_health(launch, date(2026, 3, 1)).warnings) == 1


def test_at_risk_list_only_has_risky_launches(workspace, other_workspace):
    risky = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    LaunchTaskFactory(workspace=workspace, launch=risky, due_date=date(2026, 3, 1))
    fine = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    LaunchTaskFactory(workspace=workspace, launch=fine, due_date=date(2026, 3, 1), status="done")
    foreign = LaunchFactory(workspace=other_workspace, launch_date=LAUNCH_DAY)
    LaunchTaskFactory(workspace=other_workspace, launch=foreign, due_date=date(2026, 3, 1))
    result = selectors.launches_at_risk(workspace=workspace, today=date(2026, 3, 5))
    assert [launch.pk for launch in result] == [risky.pk]


# --- Conflicts at the window's edges ------------------------------------------------------


def _conflicts_for(workspace, release_date, end=CAMPAIGN_END):
    feature = feature_in(workspace)
    campaign = CampaignFactory(workspace=workspace, start_date=CAMPAIGN_START, end_date=end)
    campaign.features.set([feature])
    release = ReleaseFactory(workspace=workspace, product=feature.product, date=release_date)
    release.features.set([feature])
    return selectors.calendar_conflicts(workspace=workspace)


@pytest.mark.parametrize(
    "days_before,conflict",
    [(1, True), (2, True), (3, False), (4, False)],  # N-2, N-1, N, N+1 with N = 3
)
def test_release_before_the_campaign(workspace, days_before, conflict):
    conflicts = _conflicts_for(workspace, CAMPAIGN_START - timedelta(days=days_before))
    assert bool(conflicts) is conflict
    if conflict:
        assert conflicts[0].days_apart == days_before
        assert conflicts[0].position == "before"
        assert "Release at least 3 days before the campaign starts (by Apr 7, 2026)" in (
            conflicts[0].advice
        )
        assert "hold the release until the campaign ends (Apr 20, 2026)" in conflicts[0].advice


@pytest.mark.parametrize(
    "release_date,conflict",
    [
        (CAMPAIGN_START, True),
        (CAMPAIGN_START + timedelta(days=5), True),
        (CAMPAIGN_END, True),
        (CAMPAIGN_END + timedelta(days=1), False),  # after the campaign: no conflict
    ],
)
def test_release_during_and_after_the_campaign(workspace, release_date, conflict):
    conflicts = _conflicts_for(workspace, release_date)
    assert bool(conflicts) is conflict
    if conflict:
        assert conflicts[0].position == "during"
        assert conflicts[0].days_apart == (CAMPAIGN_START - release_date).days


def test_open_ended_campaign_conflicts_with_any_later_release(workspace):
    conflicts = _conflicts_for(workspace, CAMPAIGN_START + timedelta(days=90), end=None)
    assert len(conflicts) == 1
    assert "hold the release until the campaign ends." in conflicts[0].advice


@pytest.mark.parametrize("window,days_before,conflict", [(5, 4, True), (5, 5, False), (0, 0, True)])
def test_the_window_is_a_workspace_setting(workspace, user, window, days_before, conflict):
    services.gtm_settings_update(actor=user, workspace=workspace, conflict_window_days=window)
    conflicts = _conflicts_for(workspace, CAMPAIGN_START - timedelta(days=days_before))
    assert bool(conflicts) is conflict
    assert GtmSettings.objects.get(workspace=workspace).conflict_window_days == window


def _corrupt_link(row, feature):
    """A link row written around the models (raw SQL, a bad restore): no check runs."""
    through = type(row).features.through
    through.objects.create(**{type(row)._meta.model_name: row, "feature": feature})


def test_no_conflict_without_a_shared_feature_or_across_workspaces(workspace, other_workspace):
    feature, other_feature = feature_in(workspace), feature_in(workspace)
    campaign = CampaignFactory(workspace=workspace, start_date=CAMPAIGN_START)
    campaign.features.set([other_feature])
    release = ReleaseFactory(workspace=workspace, product=feature.product, date=CAMPAIGN_START)
    release.features.set([feature])
    foreign = CampaignFactory(workspace=other_workspace, start_date=CAMPAIGN_START)
    _corrupt_link(foreign, feature)  # a corrupt cross-tenant link must not leak either
    assert selectors.calendar_conflicts(workspace=workspace) == []


def test_a_foreign_feature_linked_by_corrupt_rows_is_not_a_conflict(workspace, other_workspace):
    """Both links below are refused on every write path (tests/test_link_tenancy.py); a
    conflict would name the other workspace's feature, so the calendar must not follow
    them either."""
    foreign = feature_in(other_workspace, name="Globex secret feature")
    campaign = CampaignFactory(workspace=workspace, start_date=CAMPAIGN_START)
    _corrupt_link(campaign, foreign)
    release = ReleaseFactory(
        workspace=workspace, product=feature_in(workspace).product, date=CAMPAIGN_START
    )
    _corrupt_link(release, foreign)
    assert selectors.calendar_conflicts(workspace=workspace) == []
    assert selectors.calendar_conflicts(workspace=workspace, feature_ids=[foreign.pk]) == []


# --- The calendar ---------------------------------------------------------------------------


def _calendar_data(workspace, n):
    for i in range(n):
        feature = feature_in(workspace)
        launch = LaunchFactory(
            workspace=workspace,
            product=feature.product,
            launch_date=date(2026, 4, 1) + timedelta(days=i),
        )
        MilestoneFactory(workspace=workspace, launch=launch, due_date=date(2026, 4, 2))
        campaign = CampaignFactory(
            workspace=workspace, start_date=date(2026, 4, 5), end_date=date(2026, 4, 9)
        )
        campaign.features.set([feature])
        release = ReleaseFactory(
            workspace=workspace, product=feature.product, date=date(2026, 4, 4)
        )
        release.features.set([feature])


def test_calendar_events_and_filters(workspace):
    _calendar_data(workspace, 2)
    events = selectors.calendar_events(
        workspace=workspace, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30)
    )
    types = [event.type for event in events]
    assert types.count("launch") == 2 and types.count("milestone") == 2
    assert types.count("campaign") == 2 and types.count("release") == 2
    assert all(e.conflict for e in events if e.type in ("campaign", "release"))
    launch = next(e for e in events if e.type == "launch")
    only = selectors.calendar_events(
        workspace=workspace,
        date_from=date(2026, 4, 1),
        date_to=date(2026, 4, 30),
        product_id=launch.product,
    )
    assert len(only) == 4 and {e.product for e in only if e.type != "campaign"} == {launch.product}
    sales = selectors.calendar_events(
        workspace=workspace, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30), team="sales"
    )
    assert {e.type for e in sales} == {"launch"}  # milestones are marketing's here
    narrow = selectors.calendar_events(
        workspace=workspace, date_from=date(2026, 4, 8), date_to=date(2026, 4, 8)
    )
    assert {e.type for e in narrow} == {"campaign"}  # still running that day


def test_calendar_costs_a_fixed_number_of_queries(workspace, django_assert_max_num_queries):
    _calendar_data(workspace, 2)
    with django_assert_max_num_queries(14) as small:  # launches come with launch_health
        selectors.calendar_events(
            workspace=workspace, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30)
        )
    _calendar_data(workspace, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        events = selectors.calendar_events(
            workspace=workspace, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30)
        )
    assert len(events) == 40


def test_calendar_weeks_start_on_monday(workspace):
    weeks = selectors.calendar_weeks(
        events=[], date_from=date(2026, 4, 1), date_to=date(2026, 4, 30)
    )
    assert weeks[0][0]["date"] == date(2026, 3, 30)
    assert weeks[0][0]["outside"] and not weeks[0][2]["outside"]
    assert weeks[-1][-1]["date"] == date(2026, 5, 3)


def test_timeline_positions(workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    first = LaunchTaskFactory(workspace=workspace, launch=launch, due_date=date(2026, 3, 1))
    second = LaunchTaskFactory(workspace=workspace, launch=launch, due_date=date(2026, 3, 10))
    second.depends_on.set([first])
    MilestoneFactory(workspace=workspace, launch=launch, due_date=date(2026, 3, 12))
    launch = selectors.launch_detail_queryset(workspace=workspace).get(pk=launch.pk)
    timeline = selectors.launch_timeline(launch, today=date(2026, 3, 5))
    bars = {row["object"].pk: row for row in timeline["rows"] if row["kind"] == "task"}
    assert bars[second.pk]["left"] == pytest.approx(
        bars[first.pk]["left"] + bars[first.pk]["width"], abs=0.1
    )  # starts when its prerequisite is due
    assert bars[first.pk]["state"] == "overdue"
    assert 0 < timeline["today"] < timeline["launch"] < 100
