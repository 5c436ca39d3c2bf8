"""In-app notifications: fanned out from events (never to the actor), the notifications/
API (list, unread filter, mark read, preferences), the bell, the page, opening one and
the email preferences page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alignment.collaboration import services
from alignment.collaboration.kinds import SUBSCRIBABLE
from alignment.collaboration.kinds import Delivery
from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import Notification
from alignment.collaboration.models import NotificationPreference
from alignment.models import Role
from tests.alignment.factories import ClaimFactory
from tests.collaboration.factories import EventFactory
from tests.contract import FIELDS as CONTRACT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/workspaces/acme/notifications/"


def notify(
    recipient,
    *,
    workspace,
    actor=None,
    kind=EventKind.CLAIM_SUBMITTED,
    minutes_ago=0,
    read=False,
    url="/",
    message=None,
):
    """A notification of a new event for `recipient` (rows only: no fan-out, no email)."""
    when = timezone.now() - timedelta(minutes=minutes_ago)
    event = EventFactory(
        workspace=workspace,
        kind=kind,
        actor=actor,
        url=url,
        occurred_at=when,
        **({"message": message} if message else {}),
    )
    return Notification.objects.create(
        workspace=workspace,
        event=event,
        recipient=recipient,
        created_at=when,
        read_at=when if read else None,
    )


# --- Fan-out ------------------------------------------------------------------------------


def test_an_event_notifies_its_recipients_after_commit_but_never_the_actor(
    workspace, member, django_capture_on_commit_callbacks
):
    actor, pmm, pmm2 = member(Role.PM), member(Role.PMM), member(Role.PMM)
    stranger = UserFactory()  # not a member: left out
    claim = ClaimFactory(workspace=workspace, author=actor)
    with django_capture_on_commit_callbacks(execute=True):
        event = services.event_record(
            workspace=workspace,
            kind=EventKind.CLAIM_SUBMITTED,
            actor=actor,
            subject=claim,
            recipients=[actor.pk, pmm.pk, pmm2.pk, stranger.pk],
            message=f"{actor.username} submitted a claim for review",
        )
        assert not Notification.objects.exists()  # nothing before the commit
    event.refresh_from_db()
    assert event.fanned_out_at is not None
    recipients = set(Notification.objects.filter(event=event).values_list("recipient", flat=True))
    assert recipients == {pmm.pk, pmm2.pk}
    # A second fan-out (a retry, the sweep) notifies nobody twice.
    assert services.event_fan_out(event_id=event.pk)["notifications"] == []
    assert Notification.objects.filter(event=event).count() == 2


def test_an_event_only_for_its_actor_notifies_nobody(
    workspace, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.event_record(
            workspace=workspace,
            kind=EventKind.CLAIM_REVIEWED,
            actor=user,
            recipients=[user.pk],
            message="You reviewed your own claim",
        )
    assert not Notification.objects.exists()
    assert mail.outbox == []


# --- API ----------------------------------------------------------------------------------


def test_the_list_is_the_callers_newest_first(api, workspace, user, member):
    pmm = member(Role.PMM, username="pat")
    old = notify(user, workspace=workspace, actor=pmm, minutes_ago=10, url="/w/acme/x/")
    new = notify(user, workspace=workspace, minutes_ago=1, kind=EventKind.IMPORT_FINISHED)
    notify(pmm, workspace=workspace)  # somebody else's
    answer = api.get(API)
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [new.pk, old.pk]
    row = body["results"][1]
    assert set(row) == set(CONTRACT["notifications/"])
    assert row["event"] == "claim.submitted"
    assert row["actor"] == "pat"
    assert row["url"] == "/w/acme/x/"
    assert row["message"] == old.event.message
    assert row["read_at"] is None
    assert body["results"][0]["actor"] is None


def test_unread_filter(api, workspace, user):
    unread = notify(user, workspace=workspace)
    read = notify(user, workspace=workspace, read=True)
    assert [r["id"] for r in api.get(API + "?unread=true").json()["results"]] == [unread.pk]
    assert [r["id"] for r in api.get(API + "?unread=false").json()["results"]] == [read.pk]
    # Like every boolean filter of the API: a value that is not one is no filter.
    assert api.get(API + "?unread=maybe").json()["count"] == 2


def test_retrieve_own_and_not_anybody_elses(api, workspace, user, member):
    mine = notify(user, workspace=workspace)
    theirs = notify(member(Role.PMM), workspace=workspace)
    assert api.get(f"{API}{mine.pk}/").json()["id"] == mine.pk
    assert api.get(f"{API}{theirs.pk}/").status_code == 404


def test_other_workspace_answers_404(api, other_workspace, member):
    stranger = member(Role.PM, workspace_=other_workspace)
    notify(stranger, workspace=other_workspace)
    base = "/api/v1/workspaces/globex/notifications/"
    assert api.get(base).status_code == 404
    assert api.post(base + "read/", {"all": True}, format="json").status_code == 404
    assert api.get(base + "preferences/").status_code == 404


def test_the_list_costs_fixed_queries(api, workspace, user, member, django_assert_max_num_queries):
    for _ in range(3):
        notify(user, workspace=workspace, actor=member(Role.PMM))
    with django_assert_max_num_queries(8) as captured:
        assert api.get(API).status_code == 200
    few = len(captured)
    for _ in range(20):
        notify(user, workspace=workspace, actor=member(Role.PMM))
    with django_assert_max_num_queries(few):
        assert api.get(API).json()["count"] == 23


def test_mark_read_by_ids_ignores_other_peoples(api, workspace, user, member):
    first, second = notify(user, workspace=workspace), notify(user, workspace=workspace)
    theirs = notify(member(Role.PMM), workspace=workspace)
    answer = api.post(API + "read/", {"ids": [first.pk, theirs.pk, 999_999]}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {"updated": 1}
    first.refresh_from_db(), second.refresh_from_db(), theirs.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None and theirs.read_at is None
    # Already read: nothing changes.
    assert api.post(API + "read/", {"ids": [first.pk]}, format="json").json() == {"updated": 0}


def test_mark_all_read(api, workspace, user, other_workspace, member):
    for _ in range(3):
        notify(user, workspace=workspace)
    member(Role.PM, workspace_=other_workspace)
    elsewhere = notify(user, workspace=other_workspace)  # the same user in another workspace
    assert api.post(API + "read/", {"all": True}, format="json").json() == {"updated": 3}
    assert api.get(API + "?unread=true").json()["count"] == 0
    elsewhere.refresh_from_db()
    assert elsewhere.read_at is None


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "ids"),
        ({"all": False}, "ids"),
        ({"ids": "1,2"}, "ids"),
        ({"ids": ["a"]}, "ids"),
        ({"ids": [1.5]}, "ids"),
        ({"ids": [0]}, "ids"),
        ({"ids": [2**64]}, "ids"),
        ({"ids": list(range(1, 1002))}, "ids"),
        ({"all": "sometimes"}, "all"),
    ],
)
def test_mark_read_bad_input_is_a_400_naming_the_field(api, body, field):
    answer = api.post(API + "read/", body, format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.json()


def test_a_viewer_reads_and_marks_their_own(api_client, workspace, viewer):
    api_client.force_authenticate(viewer)
    mine = notify(viewer, workspace=workspace)
    assert api_client.get(API).json()["count"] == 1
    answer = api_client.post(API + "read/", {"ids": [mine.pk]}, format="json")
    assert answer.json() == {"updated": 1}
    answer = api_client.put(API + "preferences/", {"feedback.created": "off"}, format="json")
    assert answer.status_code == 200
    # Still no writing to the list itself.
    assert api_client.post(API, {}, format="json").status_code == 405
    assert api_client.delete(f"{API}{mine.pk}/").status_code == 405


def test_preferences_default_and_update(api, user):
    answer = api.get(API + "preferences/")
    assert answer.status_code == 200
    defaults = answer.json()
    assert set(defaults) == {kind.value for kind in SUBSCRIBABLE}
    assert defaults["member.mentioned"] == "immediately"
    assert defaults["import.finished"] == "digest"
    answer = api.put(
        API + "preferences/",
        {"member.mentioned": "digest", "import.finished": "off"},
        format="json",
    )
    assert answer.status_code == 200
    chosen = answer.json()
    assert chosen["member.mentioned"] == "digest"
    assert chosen["import.finished"] == "off"
    assert chosen["claim.submitted"] == "immediately"  # untouched
    assert NotificationPreference.objects.filter(user=user).count() == 2
    assert api.get(API + "preferences/").json() == chosen


@pytest.mark.parametrize(
    "body,field",
    [
        ({"member.mentioned": "weekly"}, "member.mentioned"),
        ({"member.mentioned": ["off"]}, "member.mentioned"),
        ({"no.such": "off"}, "no.such"),
        ({"ping": "off"}, "ping"),
        (["off"], "non_field_errors"),
    ],
)
def test_preferences_bad_input_is_a_400_naming_the_field(api, user, body, field):
    answer = api.put(API + "preferences/", body, format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.json()
    assert not NotificationPreference.objects.filter(user=user).exists()


# --- Pages --------------------------------------------------------------------------------


def page(name, *args):
    return reverse(f"collaboration:{name}", args=["acme", *args])


def test_the_bell_shows_the_unread_count_on_workspace_pages(web, workspace, user, member):
    notify(user, workspace=workspace)
    notify(user, workspace=workspace)
    notify(user, workspace=workspace, read=True)
    notify(member(Role.PMM), workspace=workspace)
    html = web.get("/w/acme/products/").content.decode()
    assert 'class="notification-bell"' in html
    assert "Notifications, 2 unread" in html
    assert f'href="{page("notifications")}"' in html
    # Outside a workspace: no bell.
    assert "notification-bell" not in web.get("/workspaces/").content.decode()


def test_the_bell_without_unread_shows_no_count(web, workspace):
    html = web.get("/w/acme/products/").content.decode()
    assert 'aria-label="Notifications"' in html
    assert "data-unread-count" not in html


def test_the_page_lists_who_did_what_with_links(web, workspace, user, member):
    pmm = member(Role.PMM, username="pat")
    unread = notify(user, workspace=workspace, actor=pmm, message="pat reviewed Claim 7")
    read = notify(user, workspace=workspace, read=True, message="An import finished")
    notify(pmm, workspace=workspace, message="Not for you")
    answer = web.get(page("notifications"))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "pat reviewed Claim 7" in html and "An import finished" in html
    assert "Not for you" not in html
    assert "by pat" in html
    assert page("notification_open", unread.pk) in html
    assert f'class="highlight unread" id="notification-{unread.pk}"' in html
    assert f'<tr id="notification-{read.pk}"' in html
    assert "Mark all read" in html
    only_unread = web.get(page("notifications") + "?unread=true").content.decode()
    assert "pat reviewed Claim 7" in only_unread and "An import finished" not in only_unread


def test_mark_read_from_the_page(web, workspace, user, member):
    first, second = notify(user, workspace=workspace), notify(user, workspace=workspace)
    theirs = notify(member(Role.PMM), workspace=workspace)
    answer = web.post(page("notifications_read"), {"ids": [str(first.pk), str(theirs.pk), "x"]})
    assert answer.status_code == 302
    assert answer["Location"] == page("notifications")
    first.refresh_from_db(), theirs.refresh_from_db()
    assert first.read_at is not None and theirs.read_at is None
    answer = web.post(page("notifications_read"), {"all": "1", "next": "https://evil.example/"})
    assert answer["Location"] == page("notifications")  # never off the site
    second.refresh_from_db()
    assert second.read_at is not None
    assert web.get(page("notifications_read")).status_code == 405


def test_mark_read_needs_csrf(client, workspace, user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    mine = notify(user, workspace=workspace)
    assert browser.post(page("notifications_read"), {"ids": [mine.pk]}).status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None


def test_opening_marks_read_and_goes_to_the_subject(web, workspace, user):
    claim = ClaimFactory(workspace=workspace)
    mine = notify(user, workspace=workspace, url=claim.get_absolute_url())
    answer = web.get(page("notification_open", mine.pk))
    assert answer.status_code == 302
    assert answer["Location"] == claim.get_absolute_url()
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "/\\evil", ""])
def test_opening_never_leaves_the_site(web, workspace, user, url):
    mine = notify(user, workspace=workspace, url=url)
    answer = web.get(page("notification_open", mine.pk))
    assert answer["Location"] == page("notifications")


def test_opening_somebody_elses_is_a_404(web, workspace, user, member, other_workspace):
    theirs = notify(member(Role.PMM), workspace=workspace)
    assert web.get(page("notification_open", theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Not a member of the other workspace: its pages answer 404.
    assert web.get("/w/globex/notifications/").status_code == 404


def test_a_viewer_uses_the_pages_too(client, workspace, viewer):
    client.force_login(viewer)
    mine = notify(viewer, workspace=workspace)
    assert client.get(page("notifications")).status_code == 200
    assert client.post(page("notifications_read"), {"all": "1"}).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(page("notification_settings")).status_code == 200


def test_the_settings_page_saves_choices(web, user):
    html = web.get(page("notification_settings")).content.decode()
    assert html.count('type="radio"') == 3 * len(SUBSCRIBABLE)
    assert 'name="member.mentioned" value="immediately" aria-label' in html
    answer = web.post(
        page("notification_settings"), {"member.mentioned": "off", "feedback.created": "digest"}
    )
    assert answer.status_code == 302
    chosen = services.notification_preferences(user=user)
    assert chosen["member.mentioned"] == Delivery.OFF
    assert chosen["feedback.created"] == Delivery.DIGEST
    html = web.get(page("notification_settings")).content.decode()
    assert (
        'name="member.mentioned" value="off" aria-label="You were mentioned: Off" checked' in html
    )


def test_the_settings_page_refuses_a_bad_choice(web, user):
    answer = web.post(page("notification_settings"), {"member.mentioned": "hourly"})
    assert answer.status_code == 400
    assert "Choose one of" in answer.content.decode()
    assert not NotificationPreference.objects.filter(user=user).exists()
