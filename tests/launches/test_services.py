from datetime import date
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import Event
from alignment.collaboration.models import Notification
from alignment.models import Role
from launches import services
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import Milestone
from launches.models import OverdueDigest
from tests.factories import ProductFactory
from tests.launches.factories import CampaignFactory
from tests.launches.factories import LaunchFactory
from tests.launches.factories import LaunchTaskFactory
from tests.launches.factories import feature_in

LAUNCH_DAY = date(2026, 3, 16)
pytestmark = pytest.mark.django_db


def _new_task(actor, workspace, launch, title, **fields):
    """launch_task_create of a task of `launch` due on LAUNCH_DAY."""
    return services.launch_task_create(
        actor=actor, workspace=workspace, launch=launch, title=title, due_date=LAUNCH_DAY, **fields
    )


@pytest.fixture
def product(workspace):
    return ProductFactory(workspace=workspace, name="Insights")


@pytest.fixture
def template(workspace, user):
    return services.launch_template_create(
        actor=user,
        workspace=workspace,
        name="Small",
        tier=3,
        items=[
            {
                "kind": "milestone",
                "title": "Content ready",
                "team": "marketing",
                "offset_days": -7,
                "milestone_kind": "content_ready",
            },
            {
                "kind": "task",
                "title": "Blog post",
                "team": "marketing",
                "offset_days": -10,
                "milestone_kind": "content_ready",
                "channel": "blog",
            },
            {"kind": "task", "title": "Review", "team": "product", "offset_days": 14},
            {
                "kind": "milestone",
                "title": "GA",
                "team": "product",
                "offset_days": 0,
                "milestone_kind": "general_availability",
            },
        ],
    )


def test_launch_from_template_lays_out_work_at_offsets(workspace, user, product, template):
    launch = services.launch_create(
        actor=user,
        workspace=workspace,
        name="Spring",
        product=product,
        launch_date=LAUNCH_DAY,
        template=template,
    )
    assert launch.tier == 3  # taken from the template
    tasks = {t.title: t for t in launch.tasks.select_related("milestone")}
    assert tasks["Blog post"].due_date == date(2026, 3, 6)
    assert tasks["Blog post"].channel == "blog"
    assert tasks["Blog post"].milestone.kind == "content_ready"
    assert tasks["Review"].due_date == date(2026, 3, 30)
    assert tasks["Review"].milestone is None
    milestones = {m.kind: m for m in launch.milestones.all()}
    assert milestones["content_ready"].due_date == date(2026, 3, 9)
    assert milestones["general_availability"].due_date == LAUNCH_DAY
    assert milestones["general_availability"].title == "GA"
    assert all(t.workspace_id == workspace.pk for t in tasks.values())


def test_moving_the_launch_date_moves_only_undone_work(workspace, user, product, template):
    launch = services.launch_create(
        actor=user,
        workspace=workspace,
        name="S",
        product=product,
        launch_date=LAUNCH_DAY,
        template=template,
    )
    blog = launch.tasks.get(title="Blog post")
    services.launch_task_set_status(actor=user, task=blog, status="done")
    content = launch.milestones.get(kind="content_ready")
    services.milestone_update(actor=user, milestone=content, done=True)

    services.launch_update(actor=user, launch=launch, launch_date=LAUNCH_DAY + timedelta(days=5))

    assert launch.tasks.get(title="Blog post").due_date == date(2026, 3, 6)  # done: stays
    assert launch.tasks.get(title="Review").due_date == date(2026, 4, 4)
    assert launch.milestones.get(kind="content_ready").due_date == date(2026, 3, 9)
    assert launch.milestones.get(kind="general_availability").due_date == date(2026, 3, 21)


def test_default_templates_are_seeded_once_and_edits_kept(workspace):
    created = services.launch_template_seed_defaults(workspace=workspace)
    assert sorted(t.tier for t in created) == [1, 2, 3]
    tier1 = LaunchTemplate.objects.get(workspace=workspace, tier=1)
    kinds = set(tier1.items.filter(kind="milestone").values_list("milestone_kind", flat=True))
    assert {
        "content_ready",
        "sales_trained",
        "support_enabled",
        "customers_contacted",
        "general_availability",
    } <= kinds
    services.launch_template_update(actor=None, launchtemplate=tier1, items=[])
    assert services.launch_template_seed_defaults(workspace=workspace) == []
    assert tier1.items.count() == 0


def test_template_item_errors_name_the_item(workspace, user):
    with pytest.raises(ValidationError) as error:
        services.launch_template_create(
            actor=user,
            workspace=workspace,
            name="Bad",
            items=[
                {"kind": "task", "title": "ok", "team": "sales"},
                {"kind": "task", "title": "x", "team": "legal"},
            ],
        )
    assert "Item 2" in error.value.message_dict["items"][0]


def test_launch_features_must_belong_to_its_product(workspace, user, product):
    other = feature_in(workspace)
    with pytest.raises(ValidationError) as error:
        services.launch_create(
            actor=user,
            workspace=workspace,
            name="X",
            product=product,
            launch_date=LAUNCH_DAY,
            features=[other],
        )
    assert "features" in error.value.message_dict


def test_status_moves_forward_one_step(workspace, user):
    launch = LaunchFactory(workspace=workspace)
    with pytest.raises(ValidationError):
        services.launch_set_status(actor=user, launch=launch, status="launched")
    for status in ("ready", "launched", "reviewed"):
        launch = services.launch_set_status(actor=user, launch=launch, status=status)
    assert launch.status == Launch.Status.REVIEWED
    with pytest.raises(ValidationError):
        services.launch_set_status(actor=user, launch=launch, status="planning")


def test_dependencies_refuse_other_launches_and_cycles(workspace, other_workspace, user):
    launch = LaunchFactory(workspace=workspace)
    a = LaunchTaskFactory(workspace=workspace, launch=launch, title="a")
    b = _new_task(user, workspace, launch, "b", depends_on=[a])
    c = _new_task(user, workspace, launch, "c", depends_on=[b])
    with pytest.raises(ValidationError, match="cycle"):
        services.launch_task_update(actor=user, task=a, depends_on=[c])
    with pytest.raises(ValidationError, match="itself"):
        services.launch_task_update(actor=user, task=a, depends_on=[a])
    elsewhere = LaunchTaskFactory(workspace=workspace)  # another launch, same workspace
    foreign = LaunchTaskFactory(workspace=other_workspace)
    for wrong in (elsewhere, foreign):
        with pytest.raises(ValidationError) as error:
            services.launch_task_update(actor=user, task=c, depends_on=[wrong])
        assert "not a task of this launch" in error.value.message_dict["depends_on"][0]
    assert list(a.depends_on.all()) == []
    services.launch_task_update(actor=user, task=c, depends_on=[a, b])  # a diamond is fine
    assert c.depends_on.count() == 2


def test_campaign_rules_are_refused_with_field_messages(workspace, user):
    with pytest.raises(ValidationError) as error:
        services.campaign_create(
            actor=user,
            workspace=workspace,
            name="C",
            start_date=LAUNCH_DAY,
            end_date=LAUNCH_DAY - timedelta(days=1),
            budget=Decimal("-1"),
        )
    assert error.value.message_dict["end_date"] == ["A campaign cannot end before it starts."]
    assert error.value.message_dict["budget"] == ["The budget cannot be negative."]
    services.campaign_create(actor=user, workspace=workspace, name="Spring push")
    with pytest.raises(ValidationError) as error:
        services.campaign_create(actor=user, workspace=workspace, name="SPRING PUSH")
    assert "name" in error.value.message_dict


def test_assignee_is_notified_and_emailed_after_commit(
    workspace, user, member, django_capture_on_commit_callbacks
):
    pmm = member(Role.PMM, email="pmm@example.com")
    launch = LaunchFactory(workspace=workspace)
    with django_capture_on_commit_callbacks(execute=True):
        task = _new_task(
            user,
            workspace,
            launch,
            "Blog post",
            description="Announce it on the blog.",
            assignee=pmm,
        )
    [event] = Event.objects.filter(kind=EventKind.TASK_ASSIGNED)
    assert (event.subject_type, event.subject_id) == ("launch_task", task.pk)
    assert event.url == f"/w/acme/launches/{launch.pk}/"
    assert "Blog post" in event.message and launch.name in event.message
    assert "Announce it on the blog." in event.message
    [notification] = Notification.objects.filter(event=event)
    assert notification.recipient == pmm
    # Assignments are mailed at once by default: the notification email carries it.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pmm@example.com"]
    assert "Blog post" in mail.outbox[0].subject
    assert f"/w/acme/notifications/{notification.pk}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_task_update(actor=user, task=task, title="Blog post v2")
    assert len(mail.outbox) == 1  # same assignee: no second email
    assert Event.objects.filter(kind=EventKind.TASK_ASSIGNED).count() == 1


def test_assignee_must_be_a_member(workspace, user, other_workspace, member):
    stranger = member(Role.PM, workspace_=other_workspace)
    launch = LaunchFactory(workspace=workspace)
    with pytest.raises(ValidationError) as error:
        _new_task(user, workspace, launch, "t", assignee=stranger)
    assert "assignee" in error.value.message_dict


def test_overdue_tasks_told_once_a_day_per_user(workspace, member):
    pmm = member(Role.PMM, email="pmm@example.com")
    launch = LaunchFactory(workspace=workspace, launch_date=LAUNCH_DAY)
    LaunchTaskFactory(
        workspace=workspace,
        launch=launch,
        assignee=pmm,
        title="Late one",
        due_date=LAUNCH_DAY - timedelta(days=10),
    )
    LaunchTaskFactory(
        workspace=workspace, launch=launch, assignee=pmm, title="Not yet", due_date=LAUNCH_DAY
    )
    LaunchTaskFactory(
        workspace=workspace,
        launch=launch,
        assignee=pmm,
        title="Finished",
        due_date=LAUNCH_DAY - timedelta(days=20),
        status="done",
    )
    today = LAUNCH_DAY - timedelta(days=2)
    assert services.overdue_digest_send_all(today=today) == 1
    assert services.overdue_digest_send_all(today=today) == 0  # a rerun tells nothing
    [event] = Event.objects.filter(kind=EventKind.TASK_OVERDUE)
    assert event.recipient_ids == [pmm.pk] and event.actor is None
    assert "Late one" in event.message and "8 days ago" in event.message
    assert OverdueDigest.objects.get().task_count == 1
    assert services.overdue_digest_send_all(today=today + timedelta(days=1)) == 1
    assert Event.objects.filter(kind=EventKind.TASK_OVERDUE).count() == 2


def test_milestone_custom_needs_title_and_done_is_stamped(workspace, user):
    launch = LaunchFactory(workspace=workspace)
    with pytest.raises(ValidationError):
        services.milestone_create(
            actor=user, workspace=workspace, launch=launch, kind="custom", due_date=LAUNCH_DAY
        )
    milestone = services.milestone_create(
        actor=user, workspace=workspace, launch=launch, kind="sales_trained", due_date=LAUNCH_DAY
    )
    assert milestone.team == "sales"  # default team of the kind
    milestone = services.milestone_update(actor=user, milestone=milestone, done=True)
    assert milestone.done_at is not None
    assert Milestone.objects.get(pk=milestone.pk).done


def test_task_done_is_stamped_and_cleared(workspace, user):
    task = LaunchTaskFactory(workspace=workspace)
    task = services.launch_task_set_status(actor=user, task=task, status="done")
    assert task.completed_at is not None
    task = services.launch_task_set_status(actor=user, task=task, status="doing")
    assert task.completed_at is None
    with pytest.raises(ValidationError):
        services.launch_task_set_status(actor=user, task=task, status="finished")
    assert LaunchTask.objects.get(pk=task.pk).status == "doing"


def test_release_features_must_belong_to_its_product(workspace, user, product):
    with pytest.raises(ValidationError):
        services.release_create(
            actor=user,
            workspace=workspace,
            product=product,
            version="1.0",
            date=LAUNCH_DAY,
            features=[feature_in(workspace)],
        )
    mine = feature_in(workspace, product=product)
    release = services.release_create(
        actor=user,
        workspace=workspace,
        product=product,
        version="1.0",
        date=LAUNCH_DAY,
        features=[mine],
    )
    assert list(release.features.all()) == [mine]
    with pytest.raises(ValidationError):
        services.release_create(
            actor=user, workspace=workspace, product=product, version="1.0", date=LAUNCH_DAY
        )


def test_campaign_update_keeps_features_when_not_given(workspace, user):
    feature = feature_in(workspace)
    campaign = CampaignFactory(workspace=workspace)
    campaign.features.set([feature])
    services.campaign_update(actor=user, campaign=campaign, channel="social")
    assert list(campaign.features.all()) == [feature]


# --- A task is done only after the tasks it depends on -----------------------------------


def test_a_task_cannot_be_done_while_a_prerequisite_is_not(workspace, user, blocked_blog):
    _, messaging, blog = blocked_blog
    for write in (
        lambda: services.launch_task_set_status(actor=user, task=blog, status="done"),
        lambda: services.launch_task_update(actor=user, task=blog, status="done"),
    ):
        with pytest.raises(ValidationError) as error:
            write()
        assert error.value.message_dict == {"status": ["Blocked by “Write messaging” (to do)."]}
        stored = LaunchTask.objects.get(pk=blog.pk)
        assert stored.status == "todo" and stored.completed_at is None
    services.launch_task_set_status(actor=user, task=messaging, status="doing")
    with pytest.raises(ValidationError, match=r"“Write messaging” \(doing\)"):
        services.launch_task_set_status(actor=user, task=blog, status="done")
    services.launch_task_set_status(actor=user, task=messaging, status="done")
    blog = services.launch_task_set_status(actor=user, task=blog, status="done")
    assert blog.completed_at is not None


def test_the_check_reads_the_stored_rows_not_the_callers_copies(workspace, user, blocked_blog):
    _, messaging, blog = blocked_blog
    stale = LaunchTask.objects.get(pk=messaging.pk)
    services.launch_task_set_status(actor=user, task=messaging, status="done")
    blog.status = "done"  # what a form does to its instance before the service runs
    blog = services.launch_task_update(actor=user, task=blog, status="done")
    assert blog.completed_at is not None  # the stored status was "todo": newly done
    services.launch_task_set_status(actor=user, task=stale, status="todo")
    assert LaunchTask.objects.get(pk=blog.pk).status == "done"  # reopening is allowed


def test_new_prerequisites_are_checked_with_the_status(workspace, user, blocked_blog):
    launch, messaging, blog = blocked_blog
    with pytest.raises(ValidationError) as error:
        _new_task(user, workspace, launch, "Press release", status="done", depends_on=[messaging])
    assert error.value.message_dict["status"] == ["Blocked by “Write messaging” (to do)."]
    # Dropping the unfinished prerequisite in the same edit lets it be done.
    services.launch_task_update(actor=user, task=blog, status="done", depends_on=[])
    # A done task cannot be given a prerequisite that is not done.
    with pytest.raises(ValidationError) as error:
        services.launch_task_update(actor=user, task=blog, depends_on=[messaging])
    assert error.value.message_dict["depends_on"] == [
        "A done task cannot depend on open work. Blocked by “Write messaging” (to do)."
    ]
    assert not blog.depends_on.exists()


def test_the_admin_form_check_refuses_done_before_a_prerequisite(blocked_blog):
    *_, blog = blocked_blog
    blog.status = "done"
    with pytest.raises(ValidationError, match="Blocked by “Write messaging”"):
        services.launch_task_check(blog)


# --- Templates lay out dependencies ------------------------------------------------------


def _launch_from(workspace, user, product, template, day=LAUNCH_DAY):
    return services.launch_create(
        actor=user,
        workspace=workspace,
        name=f"From {template.name}",
        product=product,
        launch_date=day,
        template=template,
    )


def _links(launch):
    return {
        (task.title, prerequisite.title)
        for task in launch.tasks.prefetch_related("depends_on")
        for prerequisite in task.depends_on.all()
    }


def test_a_template_item_names_the_tasks_it_comes_after(workspace, user, product):
    template = services.launch_template_create(
        actor=user,
        workspace=workspace,
        name="Ordered",
        tier=2,
        items=[
            {"kind": "task", "title": "Messaging", "team": "marketing", "offset_days": -20},
            {"kind": "task", "title": "Release shipped", "team": "product", "offset_days": -1},
            {
                "kind": "task",
                "title": "Blog post",
                "team": "marketing",
                "offset_days": -10,
                "depends_on": [" messaging "],  # trimmed, any case
            },
            {
                "kind": "task",
                "title": "Announcement",
                "team": "marketing",
                "offset_days": 0,
                "depends_on": ["Blog post", "Release shipped"],
            },
        ],
    )
    assert template.items.get(title="Blog post").depends_on == ["messaging"]
    launch = _launch_from(workspace, user, product, template)
    assert _links(launch) == {
        ("Blog post", "Messaging"),
        ("Announcement", "Blog post"),
        ("Announcement", "Release shipped"),
    }
    blog = launch.tasks.get(title="Blog post")
    with pytest.raises(ValidationError, match="Blocked by “Messaging” \\(to do\\)"):
        services.launch_task_set_status(actor=user, task=blog, status="done")


@pytest.mark.parametrize(
    "items,message",
    [
        (
            [{"kind": "task", "title": "Blog", "depends_on": ["Messaging"]}],
            "Item 1 (“Blog”): no task item is called “Messaging”.",
        ),
        (
            [
                {"kind": "task", "title": "Blog", "offset_days": -1},
                {"kind": "milestone", "title": "GA", "depends_on": ["Blog"]},
            ],
            "Item 2 (“GA”): only a task can come after other tasks.",
        ),
        (
            [{"kind": "task", "title": "Blog", "depends_on": ["blog"]}],
            "Item 1 (“Blog”): a task cannot come after itself.",
        ),
        (
            [
                {"kind": "task", "title": "Messaging", "offset_days": -5},
                {"kind": "task", "title": "Blog", "offset_days": -9, "depends_on": ["Messaging"]},
            ],
            "Item 2 (“Blog”): it is due on day -9, before “Messaging” (day -5) that it comes "
            "after.",
        ),
        (
            [
                {"kind": "task", "title": "Draft"},
                {"kind": "task", "title": "Draft"},
                {"kind": "task", "title": "Blog", "depends_on": ["Draft"]},
            ],
            "Item 3 (“Blog”): two task items are called “Draft”; rename one.",
        ),
        (
            [
                {"kind": "task", "title": "A", "depends_on": ["B"]},
                {"kind": "task", "title": "B", "depends_on": ["A"]},
            ],
            "Item 1 (“A”): these dependencies form a cycle.",
        ),
    ],
)
def test_template_dependencies_are_checked(workspace, user, items, message):
    with pytest.raises(ValidationError) as error:
        services.launch_template_create(actor=user, workspace=workspace, name="Bad", items=items)
    assert error.value.message_dict["items"] == [message]
    assert not LaunchTemplate.objects.filter(name="Bad").exists()


def test_default_templates_lay_out_dependencies_where_order_matters(workspace, user, product):
    services.launch_template_seed_defaults(workspace=workspace)
    templates = {t.tier: t for t in LaunchTemplate.objects.filter(workspace=workspace)}
    tier1 = _launch_from(workspace, user, product, templates[1])
    links = _links(tier1)
    messaging = "Positioning and messaging approved"
    for content in ("Launch blog post", "Press release", "Sales deck and battlecard"):
        assert (content, messaging) in links
    assert ("Sales training session", "Sales deck and battlecard") in links
    assert ("In-app announcement", "Release shipped") in links
    assert ("Blog post", "Messaging brief") in _links(
        _launch_from(workspace, user, product, templates[2])
    )
    assert ("In-app note", "Release shipped") in _links(
        _launch_from(workspace, user, product, templates[3])
    )
    # No laid-out task is due before a task it depends on.
    for task in LaunchTask.objects.filter(workspace=workspace).prefetch_related("depends_on"):
        assert all(other.due_date <= task.due_date for other in task.depends_on.all()), task


def test_dependencies_of_an_edited_template_never_close_a_cycle(workspace, user, product):
    """Rows written around the checks (raw SQL, an old restore) link what they safely can."""
    template = services.launch_template_create(
        actor=user,
        workspace=workspace,
        name="Loop",
        items=[
            {"kind": "task", "title": "A"},
            {"kind": "task", "title": "B", "depends_on": ["A"]},
        ],
    )
    template.items.filter(title="A").update(depends_on=["B", "Gone"])
    launch = _launch_from(workspace, user, product, template)
    assert len(_links(launch)) == 1
