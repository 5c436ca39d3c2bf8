"""Browser tests: the real pages, served by a live server, driven in Debian's Chromium.

One live server, one browser and one seeded demo workspace ("acme": members, launches and
180 days of metrics through the import pipeline) serve every browser test of a session.
Every module here is marked `xdist_group("e2e")`: one process of pytest-xdist holds them all.
Tests see committed rows (the server answers from its own thread), so nothing here runs in a
rolled-back transaction: a test that changes something makes its own objects (`workspace`,
`other_workspace`, `member` below give uniquely named ones), and the database is emptied
when the last browser test has run.
"""

import itertools
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.factories import MembershipFactory
from tests.factories import UserFactory
from tests.factories import WorkspaceFactory
from tests.workers import require_service

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "screenshots"  # ignored by git
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        require_service(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself (fixtures, assertions) are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="package")
def _e2e_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """Committed rows for the package's tests and its server; emptied at its end."""
    from django.db import connection

    # Only a test database may be emptied (pytest-django sets one up for `live_server`).
    assert connection.creation._get_test_db_name() == connection.settings_dict["NAME"]
    media = tmp_path_factory.mktemp("e2e-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        try:
            yield
        finally:
            call_command("flush", verbosity=0, interactive=False)


@pytest.fixture(autouse=True)
def _committed_db_access(live_server, django_db_blocker):
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def _live_server_helper():
    """Replaces pytest-django's, which makes every test that uses `live_server` run in
    `transactional_db` (the database emptied after each test): here the server and the
    seeded demo are shared and tests commit their own objects. A test that names
    `live_server` still makes pytest-django create the test database."""
    yield


@pytest.fixture(scope="package")
def live_server(_e2e_database):
    """The live server of every browser test, up for the whole package."""
    from pytest_django.live_server_helper import LiveServer

    live = LiveServer("localhost")
    live._live_server_modified_settings.enable()
    try:
        yield live
    finally:
        live._live_server_modified_settings.disable()
        live.stop()


@pytest.fixture(scope="package")
def demo(_e2e_database):
    """The demo workspace with its launches and metrics, seeded once for the package."""
    from alignment.demo import seed_demo
    from launches.demo import seed as seed_launches
    from metrics.demo import seed as seed_metrics

    workspace = seed_demo()
    seed_launches(workspace)
    seed_metrics(workspace)
    return workspace


@pytest.fixture
def workspace():
    number = next(_numbers)
    return WorkspaceFactory(name=f"Acme {number}", slug=f"acme-{number}")


@pytest.fixture
def other_workspace():
    number = next(_numbers)
    return WorkspaceFactory(name=f"Globex {number}", slug=f"globex-{number}")


@pytest.fixture
def member(workspace):
    """member(role) -> a new user with that role in `workspace` (a unique username)."""

    def make(role, workspace_=None, **user_kwargs):
        user_kwargs.setdefault("username", f"e2e-user-{next(_numbers)}")
        user = UserFactory(**user_kwargs)
        MembershipFactory(user=user, workspace=workspace_ or workspace, role=role)
        return user

    return make


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """screenshot("name") saves a PNG under tests/e2e/screenshots/ for people to look at."""

    def take(name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
