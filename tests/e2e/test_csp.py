"""The Content-Security-Policy holds on every main page: the browser reports no violation
(no inline script or style, no remote image), and the pages still work under it."""

import pytest
from playwright.sync_api import expect

from alignment.demo import DEMO_PASSWORD
from launches.demo import DEMO_LAUNCH
from launches.models import Launch
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""
MAIN_PAGES = [
    "/w/acme/",
    "/w/acme/?period=7",
    "/w/acme/search/?q=insights",
    "/w/acme/products/",
    "/w/acme/features/",
    "/w/acme/members/",
    "/w/acme/research/",
    "/w/acme/research/insights/",
    "/w/acme/research/personas/",
    "/w/acme/research/opportunities/",
    "/w/acme/messaging/",
    "/w/acme/messaging/claims/",
    "/w/acme/messaging/documents/",
    "/w/acme/messaging/feedback/",
    "/w/acme/launches/",
    "/w/acme/launches/all/",
    "/w/acme/launches/new/",
    "/w/acme/launches/calendar/",
    "/w/acme/launches/calendar/?view=week",
    "/w/acme/launches/templates/",
    "/w/acme/launches/campaigns/",
    "/w/acme/metrics/",
    "/w/acme/metrics/?period=7",
    "/w/acme/metrics/?period=30&channel=email",
    "/w/acme/metrics/channels/",
    "/w/acme/metrics/diagnostics/",
    "/w/acme/metrics/imports/",
    "/w/acme/metrics/imports/new/",
    "/workspaces/",
    "/accounts/profile/",
    "/api/docs/",
]


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_the_policy_is_served(page):
    response = page.goto("/accounts/login/")
    policy = response.headers["content-security-policy"]
    for directive in ("script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                      "frame-ancestors 'none'"):  # fmt: skip
        assert directive in policy


def test_no_main_page_violates_the_policy(page, demo):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/accounts/login/")
    assert _violations(page) == []
    sign_in(page, "demo-pm", DEMO_PASSWORD)
    launch = Launch.objects.get(workspace=demo, name=DEMO_LAUNCH)
    for url in [*MAIN_PAGES, launch.get_absolute_url()]:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        assert _violations(page) == [], url


def test_the_timeline_is_laid_out_without_style_attributes(page, demo):
    launch = Launch.objects.get(workspace=demo, name=DEMO_LAUNCH)
    sign_in(page, "demo-pm", DEMO_PASSWORD)
    page.goto(launch.get_absolute_url())
    bar = page.locator(".gantt-bar").first
    expect(bar).to_be_visible()
    # tandem.js placed it from its data attributes: a width in pixels, not zero.
    assert bar.evaluate("b => b.getBoundingClientRect().width") > 0
    assert bar.evaluate("b => b.style.left") == bar.get_attribute("data-left") + "%"
