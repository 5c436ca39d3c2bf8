"""The launches pages in a real browser (Debian's Chromium, see conftest.py here).

It lives in tests/e2e/ because the browser fixture is session-wide: a second copy of it
in tests/launches/ would start a second Playwright and fail when both folders run.
"""

import re

import pytest
from playwright.sync_api import expect

from alignment.demo import DEMO_PASSWORD
from launches.demo import DEMO_LAUNCH
from launches.models import Launch
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_launch_plan_timeline_and_task_status(page, demo, screenshot):
    sign_in(page, "demo-pmm", DEMO_PASSWORD)
    page.goto("/w/acme/launches/")
    expect(page.get_by_role("heading", name="At risk")).to_be_visible()
    expect(page.locator(".risk-card").first).to_contain_text("was due on")
    expect(page.locator(".conflict").first).to_contain_text("Release at least 3 days")
    screenshot("launches-home")

    page.get_by_role("link", name=DEMO_LAUNCH).first.click()
    expect(page).to_have_url(re.compile(r"/w/acme/launches/\d+/$"))
    bars = page.locator(".gantt-bar")
    expect(bars.first).to_be_visible()
    launch = Launch.objects.get(workspace=demo, name=DEMO_LAUNCH)
    assert bars.count() == launch.tasks.count()
    screenshot("launch-detail")

    # Readiness counts every item, next to the schedule status, with the reasons for the risk.
    expect(page.locator("hgroup .readiness")).to_contain_text("5%")
    expect(page.locator("hgroup .schedule")).to_contain_text("1 overdue")
    expect(page.locator(".risk-card")).to_contain_text("Positioning and messaging approved")

    # The press release waits for the messaging: "done" is not offered, and the row says why.
    row = page.locator("tr", has=page.get_by_label("Status of Press release"))
    expect(row).to_contain_text("Blocked by “Positioning and messaging approved” (doing).")
    expect(
        page.get_by_label("Status of Press release").locator("option[value=done]")
    ).to_be_disabled()

    # Changing a status in the table saves it at once (the select submits its form). The
    # release notes come after the feature definition, which is done.
    task = launch.tasks.get(title="Release notes")
    with page.expect_navigation():
        page.get_by_label("Status of Release notes").select_option("done")
    task.refresh_from_db()
    assert task.status == "done"


def test_calendar_shows_the_conflict(page, demo, screenshot):
    # Release 4.2 ships on the demo launch's day.
    release_date = Launch.objects.get(workspace=demo, name=DEMO_LAUNCH).launch_date
    sign_in(page, "demo-pm", DEMO_PASSWORD)
    page.goto(f"/w/acme/launches/calendar/?date={release_date.isoformat()}")
    conflicting = page.locator(".event-conflict", has_text="Release: Acme Insights 4.2")
    expect(conflicting).to_be_visible()
    screenshot("gtm-calendar")
    page.locator("select[name=view]").select_option("week")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.calendar-week")).to_be_visible()
