"""The team loop in a real browser: a PM submits a claim, the PMM's bell shows it, the PMM
requests changes with a comment mentioning the PM, and the PM hears of it in the bell and
in their inbox (a real SMTP server on localhost). A webhook receiver on localhost gets a
signed delivery for each step and checks every signature."""

import hashlib
import hmac
import json

import pytest
from playwright.sync_api import expect

from alignment.collaboration import services as collaboration
from alignment.collaboration.models import WebhookDelivery
from alignment.messaging.models import Claim
from alignment.messaging.models import ReviewStatus
from alignment.models import Role
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import feature_in
from tests.collaboration.servers import Receiver
from tests.collaboration.servers import smtp_server
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

STEPS = ["claim.submitted", "claim.reviewed", "comment.created"]


def bell(page):
    return page.locator("a.notification-bell")


def test_a_claim_goes_round_the_team_loop(browser, live_server, workspace, member, settings):
    settings.EMAIL_LINK_BASE_URL = live_server.url
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on this machine
    pm = member(Role.PM, first_name="Ana", last_name="Lima")
    pmm = member(Role.PMM, first_name="Bo", last_name="Berg")
    admin = member(Role.ADMIN)
    claim = ClaimFactory(
        workspace=workspace,
        feature=feature_in(workspace, name="Funnels"),
        author=pm,
        headline="Funnels in one click",
    )
    with Receiver() as receiver, smtp_server(settings) as inbox:
        subscription = collaboration.webhook_create(
            actor=admin, workspace=workspace, url=receiver.url, events=STEPS
        )
        as_pm = browser.new_context(base_url=live_server.url).new_page()
        as_pmm = browser.new_context(base_url=live_server.url).new_page()

        # The PM submits the claim for review.
        sign_in(as_pm, pm.username, PASSWORD)
        as_pm.goto(claim.get_absolute_url())
        as_pm.get_by_role("button", name="Submit for review").click()
        expect(as_pm.locator(".review-panel")).to_contain_text("In review")

        # The PMM's bell shows it; the notification leads to the claim.
        sign_in(as_pmm, pmm.username, PASSWORD)
        as_pmm.goto(f"/w/{workspace.slug}/")
        expect(bell(as_pmm)).to_have_attribute("aria-label", "Notifications, 1 unread")
        bell(as_pmm).click()
        as_pmm.get_by_role("link", name="Ana Lima submitted the claim").click()
        expect(as_pmm.get_by_role("heading", name="Funnels in one click")).to_be_visible()
        expect(bell(as_pmm)).to_have_attribute("aria-label", "Notifications")

        # The PMM requests changes, mentioning the PM; the words join the claim's thread.
        as_pmm.locator(".review-panel textarea").fill(f"@{pm.username} please add the proof point.")
        as_pmm.get_by_role("button", name="Request changes").click()
        expect(as_pmm.locator(".review-panel")).to_contain_text("Changes requested")
        thread = as_pmm.locator("#comments")
        expect(thread).to_contain_text("please add the proof point")
        expect(thread.locator(".mention")).to_have_text(f"@{pm.username}")

        # Typing "@" and the start of a name in the thread's box suggests the member; Enter
        # inserts the username (the script runs under the CSP: no inline code).
        box = as_pmm.locator("#comment-body")
        box.click()
        box.press_sequentially("Thanks @An")
        suggestions = as_pmm.locator(".mention-suggestions li")
        expect(suggestions.first).to_contain_text(f"@{pm.username} Ana Lima")
        box.press("Enter")
        expect(box).to_have_value(f"Thanks @{pm.username} ")

        # The PM's bell and inbox show the review.
        as_pm.goto(f"/w/{workspace.slug}/")
        expect(bell(as_pm)).to_have_attribute("aria-label", "Notifications, 1 unread")
        bell(as_pm).click()
        expect(as_pm.locator("tr.unread")).to_contain_text("Bo Berg requested changes on")
        mailed = [message for _, to, message in inbox.messages if to == [pm.email]]
        assert len(mailed) == 1
        # A long subject is folded onto a second header line: compare the unfolded text.
        subject = " ".join(str(mailed[0]["Subject"]).split())
        assert subject.startswith("[Tandem] Bo Berg requested changes on the claim")
        assert f"{live_server.url}/w/{workspace.slug}/notifications/" in mailed[0].get_content()
        submitted = [message for _, to, message in inbox.messages if to == [pmm.email]]
        assert [" ".join(str(m["Subject"]).split()) for m in submitted] == [
            "[Tandem] Ana Lima submitted the claim “Funnels in one click” for review."
        ]

        as_pm.context.close()
        as_pmm.context.close()

    assert Claim.objects.get(pk=claim.pk).status == ReviewStatus.CHANGES_REQUESTED
    # One signed delivery per step, each verified with the subscription's secret.
    received = []
    for request in receiver.requests:
        signature = request["headers"]["X-Tandem-Signature"]
        expected = hmac.new(subscription.secret.encode(), request["body"], hashlib.sha256)
        assert hmac.compare_digest(signature, "sha256=" + expected.hexdigest())
        payload = json.loads(request["body"])
        assert payload["workspace"] == workspace.slug
        assert payload["id"] == request["headers"]["X-Tandem-Delivery"]
        assert payload["event"] == request["headers"]["X-Tandem-Event"]
        received.append(payload["event"])
    assert sorted(received) == sorted(STEPS)
    assert set(
        WebhookDelivery.objects.filter(subscription=subscription).values_list("status", flat=True)
    ) == {"delivered"}
