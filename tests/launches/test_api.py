from datetime import date
from datetime import timedelta

import pytest
from icalendar import Calendar

from alignment.models import Membership
from alignment.models import Role
from launches import services
from launches.models import Launch
from launches.models import LaunchTask
from tests.contract import FIELDS as CONTRACT
from tests.factories import ProductFactory
from tests.launches.factories import CampaignFactory
from tests.launches.factories import LaunchFactory
from tests.launches.factories import LaunchTaskFactory
from tests.launches.factories import LaunchTemplateFactory
from tests.launches.factories import MilestoneFactory
from tests.launches.factories import ReleaseFactory
from tests.launches.factories import feature_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/workspaces/acme"


@pytest.fixture
def product(workspace):
    return ProductFactory(workspace=workspace)


def test_create_launch_from_template(api, workspace, product):
    services.launch_template_seed_defaults(workspace=workspace)
    template = workspace_template(workspace, tier=2)
    feature = feature_in(workspace, product=product)
    launch_date = date.today() + timedelta(days=40)
    response = api.post(
        f"{BASE}/launches/",
        {
            "name": "Spring",
            "product": product.pk,
            "features": [feature.pk],
            "tier": 2,
            "launch_date": launch_date.isoformat(),
            "template": template.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(CONTRACT["launches/"]) <= set(body)
    assert body["status"] == "planning" and not body["at_risk"]
    # Nothing is done yet: 0% of all 13 items, though nothing is due yet either.
    assert (body["readiness"], body["done"], body["total"]) == (0, 0, 13)
    assert (body["schedule"], body["overdue"], body["blocked"]) == ("on schedule", 0, 0)
    assert "template" not in body
    launch = Launch.objects.get(pk=body["id"])
    assert launch.tasks.count() == template.items.filter(kind="task").count()
    tasks = api.get(f"{BASE}/launches/{launch.pk}/tasks/").json()
    assert tasks["count"] == launch.tasks.count()
    assert set(CONTRACT["launches/{}/tasks/"]) <= set(tasks["results"][0])
    milestones = api.get(f"{BASE}/launches/{launch.pk}/milestones/").json()["results"]
    assert set(CONTRACT["launches/{}/milestones/"]) <= set(milestones[0])
    ga = next(m for m in milestones if m["kind"] == "general_availability")
    assert ga["due_date"] == launch_date.isoformat()


def workspace_template(workspace, tier):
    from launches.models import LaunchTemplate

    return LaunchTemplate.objects.get(workspace=workspace, tier=tier)


def test_foreign_ids_in_a_body_are_400(api, workspace, other_workspace, product):
    foreign_template = LaunchTemplateFactory(workspace=other_workspace)
    foreign_product = ProductFactory(workspace=other_workspace)
    payload = {"name": "X", "product": product.pk, "launch_date": "2026-05-01"}
    response = api.post(f"{BASE}/launches/", {**payload, "template": foreign_template.pk})
    assert response.status_code == 400 and "template" in response.json()
    response = api.post(f"{BASE}/launches/", {**payload, "product": foreign_product.pk})
    assert response.status_code == 400 and "product" in response.json()
    assert not Launch.objects.exists()


def test_bad_input_is_400_naming_the_field(api, product):
    cases = [
        ({"name": "X", "product": product.pk, "launch_date": "someday"}, "launch_date"),
        ({"name": "X", "product": product.pk, "launch_date": "2026-05-01", "tier": 4}, "tier"),
        ({"product": product.pk, "launch_date": "2026-05-01"}, "name"),
    ]
    for payload, field in cases:
        response = api.post(f"{BASE}/launches/", payload, format="json")
        assert response.status_code == 400 and field in response.json(), response.content


def test_launch_update_moves_undone_tasks_and_refuses_template(api, workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=date(2026, 5, 1))
    task = LaunchTaskFactory(workspace=workspace, launch=launch, due_date=date(2026, 4, 20))
    done = LaunchTaskFactory(
        workspace=workspace, launch=launch, due_date=date(2026, 4, 10), status="done"
    )
    url = f"{BASE}/launches/{launch.pk}/"
    response = api.patch(url, {"launch_date": "2026-05-08"}, format="json")
    assert response.status_code == 200, response.content
    task.refresh_from_db(), done.refresh_from_db()
    assert task.due_date == date(2026, 4, 27) and done.due_date == date(2026, 4, 10)
    response = api.patch(url, {"template": LaunchTemplateFactory(workspace=workspace).pk})
    assert response.status_code == 400 and "template" in response.json()


def test_launch_status_action(api, workspace):
    launch = LaunchFactory(workspace=workspace)
    url = f"{BASE}/launches/{launch.pk}/status/"
    assert api.post(url, {"status": "launched"}).status_code == 400
    response = api.post(url, {"status": "ready"})
    assert response.status_code == 200 and response.json()["status"] == "ready"


def test_launch_list_shows_risk_and_costs_fixed_queries(
    api, workspace, django_assert_max_num_queries
):
    for _ in range(6):
        feature = feature_in(workspace)
        launch = LaunchFactory(workspace=workspace, product=feature.product)
        launch.features.set([feature])
        LaunchTaskFactory(workspace=workspace, launch=launch, due_date=date.today() - timedelta(1))
        MilestoneFactory(workspace=workspace, launch=launch)
    with django_assert_max_num_queries(10):
        response = api.get(f"{BASE}/launches/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 6
    assert all(item["at_risk"] for item in results)
    assert "was due on" in results[0]["risk_reasons"][0]
    assert "in no release" in results[0]["warnings"][0]
    assert {t["team"] for t in results[0]["readiness_by_team"]} == {
        "product",
        "marketing",
        "sales",
        "support",
    }


def test_task_api_dependencies_and_status(api, workspace, other_workspace, member):
    launch = LaunchFactory(workspace=workspace)
    first = LaunchTaskFactory(workspace=workspace, launch=launch)
    url = f"{BASE}/launches/{launch.pk}/tasks/"
    pmm = member(Role.PMM)
    response = api.post(
        url,
        {
            "title": "Deck",
            "team": "sales",
            "due_date": "2026-05-01",
            "depends_on": [first.pk],
            "assignee": pmm.pk,
            "channel": "email",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    second = response.json()
    assert second["depends_on"] == [first.pk] and second["assignee_username"] == pmm.username
    # A cycle, a task of another launch and a foreign task are each a 400 on depends_on.
    response = api.patch(f"{url}{first.pk}/", {"depends_on": [second["id"]]}, format="json")
    assert response.status_code == 400 and "cycle" in response.json()["depends_on"][0]
    other_launch_task = LaunchTaskFactory(workspace=workspace)
    response = api.patch(f"{url}{first.pk}/", {"depends_on": [other_launch_task.pk]})
    assert response.status_code == 400 and "depends_on" in response.json()
    foreign = LaunchTaskFactory(workspace=other_workspace)
    response = api.patch(f"{url}{first.pk}/", {"depends_on": [foreign.pk]}, format="json")
    assert response.status_code == 400 and "depends_on" in response.json()
    stranger = member(Role.PM, workspace_=other_workspace)
    response = api.patch(f"{url}{first.pk}/", {"assignee": stranger.pk}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()
    response = api.post(f"{url}{first.pk}/status/", {"status": "blocked"})
    assert response.status_code == 200 and response.json()["status"] == "blocked"
    response = api.post(f"{url}{first.pk}/status/", {"status": "nope"})
    assert response.status_code == 400 and "status" in response.json()
    # The task is not reachable through another launch's URL.
    elsewhere = LaunchFactory(workspace=workspace)
    assert api.get(f"{BASE}/launches/{elsewhere.pk}/tasks/{first.pk}/").status_code == 404
    assert api.get(f"{BASE}/launches/999999/tasks/").status_code == 404
    assert api.post(f"{BASE}/launches/999999/tasks/", {"title": "x"}).status_code == 404


def test_task_list_costs_fixed_queries(api, workspace, django_assert_max_num_queries, member):
    launch = LaunchFactory(workspace=workspace)
    pmm = member(Role.PMM)
    previous = None
    for _ in range(8):
        task = LaunchTaskFactory(workspace=workspace, launch=launch, assignee=pmm)
        if previous:
            task.depends_on.set([previous])
        previous = task
    with django_assert_max_num_queries(8):
        response = api.get(f"{BASE}/launches/{launch.pk}/tasks/")
    assert response.json()["count"] == 8


def test_milestone_api(api, workspace):
    launch = LaunchFactory(workspace=workspace)
    url = f"{BASE}/launches/{launch.pk}/milestones/"
    response = api.post(url, {"kind": "custom", "due_date": "2026-05-01"})
    assert response.status_code == 400 and "title" in response.json()
    response = api.post(url, {"kind": "support_enabled", "due_date": "2026-05-01"})
    assert response.status_code == 201 and response.json()["team"] == "support"
    response = api.patch(f"{url}{response.json()['id']}/", {"done": True}, format="json")
    assert response.status_code == 200 and response.json()["done"] is True


def test_template_api_with_items(api, workspace):
    response = api.post(
        f"{BASE}/launch-templates/",
        {
            "name": "Webinar launch",
            "tier": 2,
            "items": [
                {
                    "kind": "milestone",
                    "title": "Content ready",
                    "team": "marketing",
                    "offset_days": -7,
                    "milestone_kind": "content_ready",
                },
                {"kind": "task", "title": "Invite list", "team": "marketing", "offset_days": -14},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    # Items come back in timeline order (by offset).
    assert [item["title"] for item in body["items"]] == ["Invite list", "Content ready"]
    assert set(body["items"][1]) >= {"kind", "title", "team", "offset_days"}
    url = f"{BASE}/launch-templates/{body['id']}/"
    response = api.patch(
        url, {"items": [{"kind": "task", "title": "Only", "offset_days": 1}]}, format="json"
    )
    assert response.status_code == 200 and len(response.json()["items"]) == 1
    response = api.patch(url, {"items": [{"kind": "meeting", "title": "x"}]}, format="json")
    assert response.status_code == 400


def test_campaign_api(api, workspace, other_workspace):
    feature = feature_in(workspace)
    url = f"{BASE}/campaigns/"
    response = api.post(
        url,
        {
            "name": "Spring",
            "channel": "email",
            "features": [feature.pk],
            "start_date": "2026-04-01",
            "end_date": "2026-04-20",
            "budget": "1500",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["budget"] == "1500.00"
    bad = [
        ({"name": "A", "start_date": "2026-04-02", "end_date": "2026-04-01"}, "end_date"),
        ({"name": "B", "budget": "-5"}, "budget"),
        ({"name": "spring"}, "name"),
        ({"name": "C", "features": [feature_in(other_workspace).pk]}, "features"),
    ]
    for payload, field in bad:
        response = api.post(url, payload, format="json")
        assert response.status_code == 400 and field in response.json(), (payload, response.json())


def test_release_api(api, workspace, product):
    feature = feature_in(workspace, product=product)
    response = api.post(
        f"{BASE}/releases/",
        {"product": product.pk, "version": "2.0", "date": "2026-04-01", "features": [feature.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert set(response.json()) >= {"id", "product", "version", "date", "features"}
    response = api.post(
        f"{BASE}/releases/",
        {
            "product": product.pk,
            "version": "2.1",
            "date": "2026-04-01",
            "features": [feature_in(workspace).pk],
        },
        format="json",
    )
    assert response.status_code == 400 and "features" in response.json()


def test_campaign_and_release_lists_cost_fixed_queries(
    api, workspace, django_assert_max_num_queries
):
    for _ in range(6):
        feature = feature_in(workspace)
        CampaignFactory(workspace=workspace).features.set([feature])
        ReleaseFactory(workspace=workspace, product=feature.product).features.set([feature])
    for path in ("campaigns", "releases", "launch-templates"):
        with django_assert_max_num_queries(6):
            assert api.get(f"{BASE}/{path}/").status_code == 200


# --- Calendar, conflicts and the iCalendar feed ------------------------------------------


@pytest.fixture
def conflict(workspace):
    feature = feature_in(workspace)
    campaign = CampaignFactory(
        workspace=workspace,
        name="Spring push",
        start_date=date(2026, 4, 10),
        end_date=date(2026, 4, 20),
    )
    campaign.features.set([feature])
    release = ReleaseFactory(
        workspace=workspace, product=feature.product, version="3.0", date=date(2026, 4, 9)
    )
    release.features.set([feature])
    launch = LaunchFactory(
        workspace=workspace, product=feature.product, name="Big one", launch_date=date(2026, 4, 15)
    )
    MilestoneFactory(workspace=workspace, launch=launch, due_date=date(2026, 4, 8))
    return release, campaign, feature


def test_calendar_api(api, conflict, django_assert_max_num_queries):
    release, campaign, _ = conflict
    with django_assert_max_num_queries(14):
        response = api.get(f"{BASE}/calendar/?from=2026-04-01&to=2026-04-30")
    assert response.status_code == 200
    body = response.json()
    assert body["from"] == "2026-04-01" and body["to"] == "2026-04-30"
    events = {(e["type"], e["id"]): e for e in body["events"]}
    assert set(body["events"][0]) >= {"type", "id", "title", "start", "end"}
    assert events[("campaign", campaign.pk)]["end"] == "2026-04-20"
    assert events[("release", release.pk)]["conflict"] is True
    assert {e["type"] for e in body["events"]} == {"launch", "milestone", "campaign", "release"}
    response = api.get(f"{BASE}/calendar/?from=2026-04-01&to=2026-04-30&team=sales")
    assert {e["type"] for e in response.json()["events"]} == {"launch"}


@pytest.mark.parametrize(
    "query,field",
    [
        ("from=yesterday", "from"),
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("from=2020-01-01&to=2026-01-01", "to"),
        ("team=legal", "team"),
        ("product=abc", "product"),
    ],
)
def test_calendar_bad_query_is_400(api, workspace, query, field):
    response = api.get(f"{BASE}/calendar/?{query}")
    assert response.status_code == 400 and field in response.json()


def test_calendar_foreign_product_filter_is_400(api, other_workspace):
    foreign = ProductFactory(workspace=other_workspace)
    response = api.get(f"{BASE}/calendar/?product={foreign.pk}")
    assert response.status_code == 400 and "product" in response.json()


def test_conflicts_api(api, conflict):
    release, campaign, feature = conflict
    response = api.get(f"{BASE}/calendar/conflicts/")
    assert response.status_code == 200
    [item] = response.json()
    assert (item["release"], item["campaign"], item["feature"]) == (
        release.pk,
        campaign.pk,
        feature.pk,
    )
    assert item["days_apart"] == 1 and item["position"] == "before"
    assert "Release at least 3 days before the campaign starts" in item["advice"]
    assert api.get(f"{BASE}/calendar/conflicts/?from=2026-04-10").json() == []


def _parse(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_ics_feed_parses_back_with_every_event(api, conflict):
    release, campaign, _ = conflict
    calendar = _parse(api.get(f"{BASE}/calendar.ics?from=2026-04-01&to=2026-04-30"))
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 4
    spring = events[f"campaign-{campaign.pk}@acme.tandem"]
    assert str(spring["SUMMARY"]) == "Campaign: Spring push"
    assert spring.decoded("DTSTART") == date(2026, 4, 10)
    assert spring.decoded("DTEND") == date(2026, 4, 21)  # exclusive end of an all-day event
    assert "CONFLICT" in str(events[f"release-{release.pk}@acme.tandem"]["DESCRIPTION"])


def test_ics_feed_token_in_the_url(api_client, workspace, other_workspace, user, conflict):
    feed = services.calendar_feed_get_or_create(actor=user, workspace=workspace)
    url = f"{BASE}/calendar.ics?from=2026-04-01&to=2026-04-30&token={feed.token}"
    calendar = _parse(api_client.get(url, HTTP_ACCEPT="text/calendar"))
    assert len(calendar.walk("VEVENT")) == 4
    assert api_client.get(f"{BASE}/calendar.ics").status_code == 401
    assert api_client.get(f"{BASE}/calendar.ics?token=wrong").status_code == 401
    # The token opens its own workspace only, even for a user who is a member of both.
    Membership.objects.create(user=user, workspace=other_workspace, role=Role.PM)
    assert (
        api_client.get(f"/api/v1/workspaces/globex/calendar.ics?token={feed.token}").status_code
        == 401
    )
    # A regenerated token replaces the old one; a removed member's token opens nothing.
    new = services.calendar_feed_regenerate(actor=user, workspace=workspace)
    assert api_client.get(url).status_code == 401
    Membership.objects.filter(user=user, workspace=workspace).delete()
    assert api_client.get(f"{BASE}/calendar.ics?token={new.token}").status_code == 401


def test_a_removed_members_feed_stays_dead_when_they_are_added_back(
    api_client, workspace, user, conflict
):
    old = services.calendar_feed_get_or_create(actor=user, workspace=workspace)
    url = f"{BASE}/calendar.ics?from=2026-04-01&to=2026-04-30&token="
    assert api_client.get(url + old.token).status_code == 200
    Membership.objects.filter(user=user, workspace=workspace).delete()
    Membership.objects.create(user=user, workspace=workspace, role=Role.PM)
    assert api_client.get(url + old.token).status_code == 401
    # The member's settings page then offers a new URL, which works.
    new = services.calendar_feed_get_or_create(actor=user, workspace=workspace)
    assert new.token != old.token
    assert api_client.get(url + new.token).status_code == 200
    assert services.calendar_feed_get_or_create(actor=user, workspace=workspace) == new


@pytest.mark.parametrize("path", ["calendar/", "calendar/conflicts/", "calendar.ics"])
def test_calendar_tenancy(api, api_client, other_workspace, viewer, path):
    assert api.get(f"/api/v1/workspaces/globex/{path}").status_code == 404
    assert api.post(f"{BASE}/{path}", {}).status_code == 405
    api_client.force_authenticate(None)
    assert api_client.get(f"{BASE}/{path}").status_code == 401
    api_client.force_authenticate(viewer)
    assert api_client.get(f"{BASE}/{path}").status_code == 200


def test_viewer_cannot_write_tasks(api_client, workspace, viewer):
    api_client.force_authenticate(viewer)
    task = LaunchTaskFactory(workspace=workspace)
    url = f"{BASE}/launches/{task.launch_id}/tasks/{task.pk}/status/"
    assert api_client.post(url, {"status": "done"}).status_code == 403
    assert LaunchTask.objects.get(pk=task.pk).status == "todo"


def test_conflicts_api_filters(api, workspace, other_workspace, conflict):
    release, campaign, feature = conflict
    launch = LaunchFactory(workspace=workspace, product=feature.product)
    url = f"{BASE}/calendar/conflicts/"
    assert len(api.get(f"{url}?feature={feature.pk}").json()) == 1
    assert api.get(f"{url}?feature={feature_in(workspace).pk}").json() == []
    assert api.get(f"{url}?launch={launch.pk}").json() == []  # no features linked yet
    launch.features.set([feature])
    assert len(api.get(f"{url}?launch={launch.pk}").json()) == 1
    assert len(api.get(f"{url}?product={feature.product_id}&to=2026-04-09").json()) == 1
    for query, field in [
        (f"feature={feature_in(other_workspace).pk}", "feature"),
        ("launch=abc", "launch"),
        ("from=2026-05-01&to=2026-04-01", "to"),
    ]:
        response = api.get(f"{url}?{query}")
        assert response.status_code == 400 and field in response.json()


def test_readiness_schedule_and_risk_in_the_api_come_from_launch_health(api, workspace):
    from launches.selectors import launch_health
    from launches.selectors import launch_list

    launch = LaunchFactory(workspace=workspace, launch_date=date.today() + timedelta(days=20))
    for day in (-3, -2):
        LaunchTaskFactory(
            workspace=workspace, launch=launch, due_date=date.today() + timedelta(days=day)
        )
    LaunchTaskFactory(
        workspace=workspace,
        launch=launch,
        due_date=date.today() - timedelta(days=5),
        status="done",
    )
    LaunchTaskFactory(workspace=workspace, launch=launch, status="blocked")
    body = api.get(f"{BASE}/launches/{launch.pk}/").json()
    health = launch_health(launch_list(workspace=workspace).get(pk=launch.pk))
    assert (
        (body["readiness"], body["done"], body["total"])
        == (25, 1, 4)
        == (
            health.readiness,
            health.done,
            health.total,
        )
    )
    assert body["schedule"] == "2 overdue" == health.schedule and body["overdue"] == 2
    assert body["blocked"] == 1 and body["at_risk"] is True
    assert body["risk_reasons"] == health.risk_reasons and len(body["risk_reasons"]) == 3
    marketing = next(t for t in body["readiness_by_team"] if t["team"] == "marketing")
    assert (marketing["readiness"], marketing["overdue"], marketing["schedule"]) == (
        25,
        2,
        "2 overdue",
    )


def test_task_api_refuses_done_while_a_prerequisite_is_not(api, workspace):
    launch = LaunchFactory(workspace=workspace)
    messaging = LaunchTaskFactory(workspace=workspace, launch=launch, title="Write messaging")
    blog = LaunchTaskFactory(workspace=workspace, launch=launch, title="Blog post")
    blog.depends_on.set([messaging])
    url = f"{BASE}/launches/{launch.pk}/tasks/"
    blocked = {"status": ["Blocked by “Write messaging” (to do)."]}
    response = api.post(f"{url}{blog.pk}/status/", {"status": "done"}, format="json")
    assert response.status_code == 400 and response.json() == blocked
    response = api.patch(f"{url}{blog.pk}/", {"status": "done"}, format="json")
    assert response.status_code == 400 and response.json() == blocked
    response = api.put(
        f"{url}{blog.pk}/",
        {"title": "Blog post", "team": "marketing", "due_date": "2026-06-01", "status": "done"},
        format="json",
    )
    assert response.status_code == 400 and response.json() == blocked
    assert LaunchTask.objects.get(pk=blog.pk).status == "todo"
    row = next(t for t in api.get(url).json()["results"] if t["id"] == blog.pk)
    assert row["blocked_by"] == [{"id": messaging.pk, "title": "Write messaging", "status": "todo"}]
    assert row["blocked_reason"] == "Blocked by “Write messaging” (to do)."
    assert api.post(f"{url}{messaging.pk}/status/", {"status": "done"}).status_code == 200
    response = api.post(f"{url}{blog.pk}/status/", {"status": "done"})
    assert response.status_code == 200, response.content
    assert response.json()["blocked_by"] == [] and response.json()["blocked_reason"] == ""


def test_template_api_items_with_dependencies(api, workspace, product):
    items = [
        {"kind": "task", "title": "Messaging", "team": "marketing", "offset_days": -20},
        {
            "kind": "task",
            "title": "Blog",
            "team": "marketing",
            "offset_days": -10,
            "depends_on": ["Messaging"],
        },
    ]
    response = api.post(
        f"{BASE}/launch-templates/", {"name": "Ordered", "tier": 2, "items": items}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["items"][1]["depends_on"] == ["Messaging"]
    response = api.post(
        f"{BASE}/launches/",
        {
            "name": "From ordered",
            "product": product.pk,
            "tier": 2,
            "launch_date": "2026-09-01",
            "template": response.json()["id"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    launch = Launch.objects.get(pk=response.json()["id"])
    blog = launch.tasks.get(title="Blog")
    assert [task.title for task in blog.depends_on.all()] == ["Messaging"]
    items[1]["depends_on"] = ["Nothing"]
    response = api.post(
        f"{BASE}/launch-templates/", {"name": "Bad", "tier": 2, "items": items}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["items"] == ["Item 2 (“Blog”): no task item is called “Nothing”."]
