"""Fixtures every app's tests share: users per role, workspaces, API clients."""

import os

import pytest
from rest_framework.test import APIClient

from alignment.models import Role
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Throttle counters, lockouts and rendered fragments live in the caches: start every
    test from zero (a rolled-back row's id can come back in the next test)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Acme", slug="acme")


@pytest.fixture
def other_workspace(db):
    """A second tenant whose rows must never be visible from `workspace`."""
    return WorkspaceFactory(name="Globex", slug="globex")


@pytest.fixture
def member(db, workspace):
    """member(role) -> a user with that role in `workspace`."""

    def make(role: str = Role.PM, workspace_=None, **user_kwargs):
        user = UserFactory(**user_kwargs)
        MembershipFactory(user=user, workspace=workspace_ or workspace, role=role)
        return user

    return make


@pytest.fixture
def user(member):
    """A PM of `workspace`."""
    return member(Role.PM)


@pytest.fixture
def admin_user(member):
    return member(Role.ADMIN)


@pytest.fixture
def viewer(member):
    return member(Role.VIEWER)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api(api_client, user):
    """An API client signed in as the PM of `workspace`."""
    api_client.force_authenticate(user)
    return api_client


@pytest.fixture
def web(client, user):
    """A browser-like test client signed in as the PM of `workspace`."""
    client.force_login(user)
    return client


@pytest.fixture(scope="session", autouse=True)
def _eager_celery_for_unit_tests():
    """Unit tests run tasks in-process whatever the environment's broker; tests that need
    a real worker use the `celery_worker` fixture (tests/workers.py)."""
    from alignment.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _celery_join_flag_cleared():
    """Celery's eager mode marks "inside a task" in one process-wide flag; eager tasks run
    at once in several threads (concurrency tests, live servers) can leave it set, and
    every later `.get()` would then refuse to run."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


pytest_plugins = ["tests.workers"]
