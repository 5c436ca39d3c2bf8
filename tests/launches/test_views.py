from datetime import date
from datetime import timedelta

import pytest
from django.core.management import call_command

from alignment.demo import seed_demo
from alignment.models import Role
from launches import services
from launches.demo import DEMO_LAUNCH
from launches.demo import seed as seed_launches
from launches.models import Campaign
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import Milestone
from launches.models import Release
from tests.factories import ProductFactory
from tests.launches.factories import CampaignFactory
from tests.launches.factories import LaunchFactory
from tests.launches.factories import LaunchTaskFactory
from tests.launches.factories import MilestoneFactory
from tests.launches.factories import ReleaseFactory
from tests.launches.factories import feature_in

pytestmark = pytest.mark.django_db
W = "/w/acme/launches"
ITEM_FIELDS = ("kind", "title", "team", "offset_days", "milestone_kind", "channel")


def _items(*rows, initial=0):
    """The template form's items formset (prefix "items") as POST data, a dict a row."""
    data = {
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": initial,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data.update({f"items-{i}-{field}": value for field, value in row.items()})
    return data


def _new_template(name, *rows):
    """POST data of a new tier-2 template with these items."""
    return {"name": name, "tier": 2, "description": "", **_items(*rows)}


def _item(kind, title, team, offset_days, *, milestone_kind="", channel="", **more):
    """One row of the items formset."""
    return {
        "kind": kind,
        "title": title,
        "team": team,
        "offset_days": offset_days,
        "milestone_kind": milestone_kind,
        "channel": channel,
        **more,
    }


def _kept(items, fields):
    """The formset rows that keep stored template items as they are."""
    return [
        {"id": item.pk, "template": item.template_id, **{f: getattr(item, f) for f in fields}}
        for item in items
    ]


@pytest.fixture
def plan(workspace, user):
    services.launch_template_seed_defaults(workspace=workspace)
    feature = feature_in(workspace)
    template = LaunchTemplate.objects.get(workspace=workspace, tier=1)
    launch = services.launch_create(
        actor=user,
        workspace=workspace,
        name="Spring launch",
        product=feature.product,
        features=[feature],
        launch_date=date.today() + timedelta(days=10),
        template=template,
    )
    campaign = CampaignFactory(workspace=workspace, start_date=date.today() + timedelta(days=5))
    campaign.features.set([feature])
    release = ReleaseFactory(
        workspace=workspace, product=feature.product, date=date.today() + timedelta(days=4)
    )
    release.features.set([feature])
    return launch, campaign, release


def test_every_page_renders(web, workspace, plan):
    launch, campaign, release = plan
    task, milestone = launch.tasks.first(), launch.milestones.first()
    template = LaunchTemplate.objects.filter(workspace=workspace).first()
    pages = [
        "/",
        "/all/",
        "/new/",
        f"/{launch.pk}/",
        f"/{launch.pk}/edit/",
        f"/{launch.pk}/tasks/new/",
        f"/{launch.pk}/tasks/{task.pk}/edit/",
        f"/{launch.pk}/milestones/new/",
        f"/{launch.pk}/milestones/{milestone.pk}/edit/",
        "/templates/",
        "/templates/new/",
        f"/templates/{template.pk}/",
        f"/templates/{template.pk}/edit/",
        "/campaigns/",
        "/campaigns/new/",
        f"/campaigns/{campaign.pk}/",
        "/releases/",
        "/releases/new/",
        f"/releases/{release.pk}/",
        "/calendar/",
        "/calendar/?view=week",
        f"/calendar/?date={release.date.isoformat()}&team=product",
        "/settings/",
    ]
    for page in pages:
        response = web.get(W + page)
        assert response.status_code == 200, (page, response.status_code)


def test_home_shows_readiness_risk_and_conflicts(web, workspace, plan):
    launch, campaign, release = plan
    LaunchTask.objects.filter(launch=launch).update(due_date=date.today() - timedelta(days=1))
    content = web.get(W + "/").content.decode()
    assert "Spring launch" in content
    assert "At risk" in content and "was due on" in content
    assert "Release at least 3 days before the campaign starts" in content


def test_launch_page_shows_timeline_readiness_and_conflicts(web, plan):
    launch, _, _ = plan
    content = web.get(f"{W}/{launch.pk}/").content.decode()
    assert content.count('class="gantt-row"') == launch.tasks.count() + launch.milestones.count()
    assert "Readiness" in content and "Marketing" in content
    assert "Release at least 3 days" in content


def test_launch_page_query_count_is_fixed(web, workspace, plan, django_assert_max_num_queries):
    launch, _, _ = plan
    with django_assert_max_num_queries(30):
        assert web.get(f"{W}/{launch.pk}/").status_code == 200


def test_create_launch_from_template_through_the_form(web, workspace):
    services.launch_template_seed_defaults(workspace=workspace)
    product = ProductFactory(workspace=workspace)
    template = LaunchTemplate.objects.get(workspace=workspace, tier=3)
    response = web.post(
        W + "/new/",
        {
            "name": "Small one",
            "product": product.pk,
            "tier": 3,
            "launch_date": "2026-06-01",
            "template": template.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    launch = Launch.objects.get(name="Small one")
    assert launch.tasks.count() == template.items.filter(kind="task").count()


def test_task_form_refuses_a_cycle_on_the_form(web, workspace):
    launch = LaunchFactory(workspace=workspace)
    a = LaunchTaskFactory(workspace=workspace, launch=launch, title="a")
    b = LaunchTaskFactory(workspace=workspace, launch=launch, title="b")
    b.depends_on.set([a])
    response = web.post(
        f"{W}/{launch.pk}/tasks/{a.pk}/edit/",
        {
            "title": "a",
            "team": "product",
            "due_date": "2026-06-01",
            "status": "todo",
            "depends_on": [b.pk],
        },
    )
    assert response.status_code == 200
    assert "cycle" in response.content.decode()
    assert a.depends_on.count() == 0


def test_status_and_toggle_posts(web, workspace):
    launch = LaunchFactory(workspace=workspace)
    task = LaunchTaskFactory(workspace=workspace, launch=launch)
    milestone = MilestoneFactory(workspace=workspace, launch=launch)
    web.post(f"{W}/{launch.pk}/status/", {"status": "ready"})
    web.post(f"{W}/{launch.pk}/tasks/{task.pk}/status/", {"status": "done"})
    web.post(f"{W}/{launch.pk}/milestones/{milestone.pk}/toggle/")
    assert Launch.objects.get(pk=launch.pk).status == "ready"
    assert LaunchTask.objects.get(pk=task.pk).status == "done"
    assert Milestone.objects.get(pk=milestone.pk).done


def test_template_editing_with_items(web, workspace):
    data = _new_template(
        "Mine",
        _item("task", "Blog", "marketing", -5, channel="blog"),
        _item("milestone", "GA", "product", 0, milestone_kind="general_availability"),
    )
    response = web.post(W + "/templates/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    template = LaunchTemplate.objects.get(name="Mine")
    assert sorted(template.items.values_list("title", flat=True)) == ["Blog", "GA"]


def test_campaign_form_shows_field_errors(web, workspace):
    response = web.post(
        W + "/campaigns/new/",
        {"name": "Bad", "start_date": "2026-05-02", "end_date": "2026-05-01", "budget": "-1"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "A campaign cannot end before it starts." in content
    assert "The budget cannot be negative." in content
    assert not Campaign.objects.exists()


def test_campaign_budgets_read_in_the_workspace_currency(web, workspace):
    from decimal import Decimal

    workspace.currency = "EUR"
    workspace.save(update_fields=["currency"])
    campaign = CampaignFactory(workspace=workspace, name="Spring", budget=Decimal("12000.5"))
    CampaignFactory(workspace=workspace, name="Unfunded", budget=None)
    listing = web.get(W + "/campaigns/").content.decode()
    assert "<td>€12,000.50</td>" in listing and "12000.5" not in listing
    assert "<td>–</td>" in listing  # no budget reads as the KPI module's missing value
    detail = web.get(W + f"/campaigns/{campaign.pk}/").content.decode()
    assert "budget €12,000.50" in detail


def test_settings_window_and_feed(web, workspace, user):
    response = web.post(W + "/settings/", {"action": "settings", "conflict_window_days": 7})
    assert response.status_code == 302
    web.post(W + "/settings/", {"action": "feed"})
    content = web.get(W + "/settings/").content.decode()
    assert "calendar.ics?token=" in content


def test_other_workspace_pages_are_404_and_viewers_cannot_write(
    client, workspace, other_workspace, member
):
    foreign = LaunchFactory(workspace=other_workspace)
    viewer = member(Role.VIEWER)
    client.force_login(viewer)
    assert client.get(f"{W}/{foreign.pk}/").status_code == 404
    assert client.get("/w/globex/launches/").status_code == 404
    assert client.get(W + "/").status_code == 200
    assert client.get(W + "/new/").status_code == 403
    launch = LaunchFactory(workspace=workspace)
    assert client.post(f"{W}/{launch.pk}/status/", {"status": "ready"}).status_code == 403
    assert Launch.objects.get(pk=launch.pk).status == "planning"


def test_demo_seed_is_idempotent_and_has_a_conflict():
    from launches.selectors import calendar_conflicts
    from launches.selectors import launch_health
    from launches.selectors import launch_list

    workspace = seed_demo()
    seed_launches(workspace)
    counts = [
        model.objects.count()
        for model in (Launch, LaunchTask, Milestone, Campaign, Release, LaunchTemplate)
    ]
    seed_launches(workspace)
    call_command("seed_launch_templates")
    assert counts == [
        model.objects.count()
        for model in (Launch, LaunchTask, Milestone, Campaign, Release, LaunchTemplate)
    ]
    assert len(calendar_conflicts(workspace=workspace)) == 1
    launch = launch_list(workspace=workspace).get(name=DEMO_LAUNCH)
    health = launch_health(launch)
    assert health.at_risk and 0 < health.done < health.total


def test_add_task_through_the_form_emails_the_assignee(
    web, workspace, member, django_capture_on_commit_callbacks
):
    from django.core import mail

    pmm = member(Role.PMM, email="pmm@example.com")
    launch = LaunchFactory(workspace=workspace)
    milestone = MilestoneFactory(workspace=workspace, launch=launch)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            f"{W}/{launch.pk}/tasks/new/",
            {
                "title": "Webinar deck",
                "team": "marketing",
                "assignee": pmm.pk,
                "due_date": "2026-06-01",
                "status": "todo",
                "channel": "webinar",
                "milestone": milestone.pk,
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    task = launch.tasks.get(title="Webinar deck")
    assert task.milestone == milestone and task.assignee == pmm
    assert len(mail.outbox) == 1


def test_editing_a_task_through_the_form_stamps_done_and_emails_a_new_assignee(
    web, workspace, member, django_capture_on_commit_callbacks
):
    """The form copies its input onto the task before the service runs: the service
    compares with the stored row, so the edit is seen as newly done and newly assigned."""
    from django.core import mail

    pmm = member(Role.PMM, email="pmm@example.com")
    launch = LaunchFactory(workspace=workspace)
    task = LaunchTaskFactory(workspace=workspace, launch=launch, title="Deck")
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            f"{W}/{launch.pk}/tasks/{task.pk}/edit/",
            {
                "title": "Deck",
                "team": "marketing",
                "assignee": pmm.pk,
                "due_date": "2026-06-01",
                "status": "done",
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    task.refresh_from_db()
    assert task.status == "done" and task.completed_at is not None
    assert [message.to for message in mail.outbox] == [["pmm@example.com"]]


def test_milestone_form_creates_on_the_launch(web, workspace):
    launch = LaunchFactory(workspace=workspace)
    response = web.post(
        f"{W}/{launch.pk}/milestones/new/",
        {"kind": "sales_trained", "title": "", "team": "sales", "due_date": "2026-06-01"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert launch.milestones.get().kind == "sales_trained"


def test_admin_pages_render(client, workspace, plan):
    from django.contrib.auth import get_user_model

    from launches.models import CalendarFeed
    from launches.models import GtmSettings

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456!")
    client.force_login(admin)
    launch, campaign, release = plan
    models = [
        Launch,
        LaunchTask,
        Milestone,
        LaunchTemplate,
        Campaign,
        Release,
        GtmSettings,
        CalendarFeed,
    ]
    for model in models:
        base = f"/admin/launches/{model._meta.model_name}/"
        assert client.get(base).status_code == 200, base
        assert client.get(base + "add/").status_code == 200, base
    for obj in (launch, campaign, release, LaunchTemplate.objects.first()):
        url = f"/admin/launches/{obj._meta.model_name}/{obj.pk}/change/"
        assert client.get(url).status_code == 200, url


def test_delete_task_and_milestone_pages(web, workspace):
    launch = LaunchFactory(workspace=workspace)
    task = LaunchTaskFactory(workspace=workspace, launch=launch)
    milestone = MilestoneFactory(workspace=workspace, launch=launch)
    assert web.get(f"{W}/{launch.pk}/tasks/{task.pk}/delete/").status_code == 200
    other = LaunchFactory(workspace=workspace)
    assert web.post(f"{W}/{other.pk}/tasks/{task.pk}/delete/").status_code == 404
    assert web.post(f"{W}/{launch.pk}/tasks/{task.pk}/delete/").status_code == 302
    assert web.post(f"{W}/{launch.pk}/milestones/{milestone.pk}/delete/").status_code == 302
    assert not launch.tasks.exists() and not launch.milestones.exists()


def test_index_and_calendar_pages_cost_fixed_queries(web, plan, django_assert_max_num_queries):
    # Each list of launches prefetches their tasks' prerequisites (for launch_health), and
    # the calendar's launches come with their health.
    with django_assert_max_num_queries(27):
        assert web.get(W + "/").status_code == 200
    with django_assert_max_num_queries(27):
        assert web.get(W + "/calendar/").status_code == 200


def test_template_items_edit_in_the_ui_and_admin(web, client, workspace):
    from django.contrib.auth import get_user_model

    services.launch_template_seed_defaults(workspace=workspace)
    template = LaunchTemplate.objects.get(workspace=workspace, tier=3)
    items = list(template.items.all())
    tweet = _item("task", "Tweet", "marketing", 0, channel="social")
    data = {
        "name": template.name,
        "tier": 3,
        "description": "edited",
        **_items(*_kept(items, ITEM_FIELDS), tweet, initial=len(items)),
    }
    data["items-0-DELETE"] = "on"
    response = web.post(f"{W}/templates/{template.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    titles = list(template.items.values_list("title", flat=True))
    assert "Tweet" in titles and items[0].title not in titles
    assert len(titles) == len(items)

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456!")
    client.force_login(admin)
    items = list(template.items.all())
    admin_item = _item("task", "Admin item", "sales", -2, position=9)
    admin_data = {
        "name": template.name,
        "tier": 3,
        "description": "via admin",
        **_items(*_kept(items, (*ITEM_FIELDS, "position")), admin_item, initial=len(items)),
    }
    response = client.post(f"/admin/launches/launchtemplate/{template.pk}/change/", admin_data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    added = template.items.get(title="Admin item")
    assert added.workspace_id == workspace.pk


def test_calendar_page_bad_filter_is_400_with_the_message(web, workspace, other_workspace):
    foreign = ProductFactory(workspace=other_workspace)
    response = web.get(f"{W}/calendar/?product={foreign.pk}&team=legal")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Select a valid choice" in content


# --- Readiness, schedule and risk: one selector, every page -------------------------------


def test_every_page_shows_the_same_readiness_schedule_and_risk(web, workspace):
    from launches.selectors import launch_health
    from launches.selectors import launch_list

    today = date.today()
    launch = LaunchFactory(
        workspace=workspace, name="Honest launch", launch_date=today + timedelta(2)
    )
    LaunchTaskFactory(workspace=workspace, launch=launch, due_date=today - timedelta(days=1))
    for status in ("done", "todo", "todo"):
        LaunchTaskFactory(
            workspace=workspace, launch=launch, due_date=today + timedelta(days=1), status=status
        )
    health = launch_health(launch_list(workspace=workspace).get(pk=launch.pk))
    assert (health.readiness, health.schedule) == (25, "1 overdue")
    assert health.risk_reasons[-1] == "It launches in 2 days with 25% of its items done."
    pages = {
        "launch page": f"{W}/{launch.pk}/",
        "launch list": f"{W}/all/",
        "launches home": f"{W}/",
        "dashboard": "/w/acme/",
    }
    for name, url in pages.items():
        content = web.get(url).content.decode()
        assert "25%" in content and "1 overdue" in content, name
        assert "At risk" in content, name
    home = web.get(f"{W}/").content.decode()
    assert "It launches in 2 days with 25% of its items done." in home
    calendar = web.get(f"{W}/calendar/?date={launch.launch_date.isoformat()}").content.decode()
    assert "25% ready · 1 overdue · at risk" in calendar
    page = web.get(f"{W}/{launch.pk}/").content.decode()
    assert "1 of 4 tasks and milestones done" in page
    csv_rows = web.get("/w/acme/", {"export": "launches"}).content.decode().splitlines()
    assert csv_rows[0] == "Launch,Date,Status,Readiness %,Schedule,At risk"
    assert csv_rows[1].endswith(",Planning,25,1 overdue,yes")
    assert "readiness counts what is due" not in page


# --- A task is done only after the tasks it depends on ----------------------------------


def test_launch_page_shows_why_a_task_is_blocked(web, blocked_blog):
    launch, _, blog = blocked_blog
    content = web.get(f"{W}/{launch.pk}/").content.decode()
    assert "Blocked by “Write messaging” (to do)." in content
    assert 'value="done" disabled title="Blocked by' in content  # the quick status select


def test_task_form_names_the_blocking_task(web, blocked_blog):
    launch, messaging, blog = blocked_blog
    response = web.post(
        f"{W}/{launch.pk}/tasks/{blog.pk}/edit/",
        {
            "title": "Blog post",
            "team": "marketing",
            "due_date": blog.due_date.isoformat(),
            "status": "done",
            "depends_on": [messaging.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["status"] == ["Blocked by “Write messaging” (to do)."]
    assert LaunchTask.objects.get(pk=blog.pk).status == "todo"


def test_quick_status_change_is_refused_with_the_reason(web, blocked_blog):
    launch, messaging, blog = blocked_blog
    response = web.post(f"{W}/{launch.pk}/tasks/{blog.pk}/status/", {"status": "done"}, follow=True)
    assert response.status_code == 200
    assert (
        "“Blog post” was not changed: Blocked by “Write messaging” (to do)."
        in response.content.decode()
    )
    assert LaunchTask.objects.get(pk=blog.pk).status == "todo"
    web.post(f"{W}/{launch.pk}/tasks/{messaging.pk}/status/", {"status": "done"})
    web.post(f"{W}/{launch.pk}/tasks/{blog.pk}/status/", {"status": "done"})
    blog.refresh_from_db()
    assert blog.status == "done" and blog.completed_at is not None


def test_template_form_items_name_what_they_come_after(web, workspace):
    data = _new_template(
        "Ordered",
        _item("task", "Messaging", "marketing", -20, depends_on=""),
        _item("task", "Blog", "marketing", -25, channel="blog", depends_on="Messaging"),
    )
    response = web.post(W + "/templates/new/", data)
    assert response.status_code == 200
    assert "it is due on day -25, before “Messaging” (day -20)" in response.content.decode()
    data["items-1-offset_days"] = -10
    response = web.post(W + "/templates/new/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    template = LaunchTemplate.objects.get(name="Ordered")
    assert template.items.get(title="Blog").depends_on == ["Messaging"]
    detail = web.get(f"{W}/templates/{template.pk}/").content.decode()
    assert "<td>Messaging</td>" in detail
    edit = web.get(f"{W}/templates/{template.pk}/edit/").content.decode()
    assert 'value="Messaging"' in edit
