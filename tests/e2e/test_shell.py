"""The browser shell: sign in, navigate a workspace, work the catalogue, stay in your lane."""

import re

import pytest
from playwright.sync_api import expect

from alignment.models import Feature
from alignment.models import Product
from alignment.models import Role
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tests.factories import MembershipFactory
from tests.factories import ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture
def pm(member, other_workspace):
    """A PM of `workspace` (first by name) and a viewer of `other_workspace`."""
    user = member(Role.PM)
    MembershipFactory(user=user, workspace=other_workspace, role=Role.VIEWER)
    return user


def test_sign_in_lands_on_the_workspace_with_its_sections(page, pm, workspace, screenshot):
    sign_in(page, pm.username, PASSWORD)
    expect(page).to_have_url(re.compile(rf"/w/{workspace.slug}/$"))
    nav = page.locator("#section-nav")
    for section in ["Home", "Products", "Research", "Messaging", "Launches", "Metrics"]:
        expect(nav.get_by_role("link", name=section)).to_be_visible()
    # Every asset is served locally: the stylesheet applied (Pico sets the font stack).
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "system-ui" in font or "sans-serif" in font
    screenshot("workspace-home")


def test_wrong_password_is_told_and_stays_on_login(page, pm):
    sign_in(page, pm.username, "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("enter a correct username and password")
    assert "/accounts/login/" in page.url


def test_workspace_switcher_moves_between_workspaces(page, pm, other_workspace):
    sign_in(page, pm.username, PASSWORD)
    page.locator(".workspace-switcher summary").click()
    page.get_by_role("link", name=other_workspace.name).click()
    expect(page.locator("h1")).to_have_text(other_workspace.name)
    # Viewer in Globex: no write buttons.
    page.locator("#section-nav").get_by_role("link", name="Products").click()
    expect(page.get_by_role("link", name="New product")).to_have_count(0)


def test_create_a_product_and_a_feature(page, pm, workspace, screenshot):
    sign_in(page, pm.username, PASSWORD)
    page.locator("#section-nav").get_by_role("link", name="Products").click()
    page.get_by_role("button", name="New product").click()
    page.get_by_label("Name").fill("Acme Pulse")
    page.get_by_label("Stage").select_option("research")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Product created.")
    expect(page.locator("h1")).to_have_text("Acme Pulse")

    page.get_by_role("button", name="Add feature").click()
    page.get_by_label("Name").fill("NPS surveys")
    page.get_by_label("Status").select_option("released")
    page.get_by_role("button", name="Save").click()
    # A released feature needs a date: the form says so, next to the field.
    expect(page.locator(".error")).to_contain_text("needs its release date")
    page.get_by_label("Release date").fill("2026-10-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("NPS surveys")
    screenshot("feature-detail")

    feature = Feature.objects.get(workspace=workspace, name="NPS surveys")
    assert feature.product.name == "Acme Pulse"


def test_delete_asks_for_confirmation(page, pm, workspace):
    product = ProductFactory(workspace=workspace, name="Old product")
    sign_in(page, pm.username, PASSWORD)
    page.goto(f"/w/{workspace.slug}/products/{product.pk}/")
    page.get_by_role("button", name="Delete").click()
    expect(page.locator("h1")).to_contain_text("Delete Old product?")
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status")).to_contain_text("Deleted Old product.")
    assert not Product.objects.filter(pk=product.pk).exists()


def test_layout_works_on_a_phone(browser, live_server, pm, workspace):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, pm.username, PASSWORD)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the page scrolls sideways on a phone"
    expect(page.locator("#section-nav").get_by_role("link", name="Launches")).to_be_visible()
    page.screenshot(path="test-artifacts/workspace-home-phone.png", full_page=True)
    context.close()
