"""Fixtures every app's tests share: users per role, workspaces, API clients."""

import gc
import os

import pytest
from rest_framework.test import APIClient

from alignment.models import Role
from tests.factories import MembershipFactory
from tests.factories import UserFactory
from tests.factories import WorkspaceFactory


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Users made by factories and seeds hash their passwords with a fast hasher: the
    production default (PBKDF2, 1,000,000 iterations) costs a third of a second each."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module")
def demo_token(django_db_setup, django_db_blocker):
    """The core demo (workspace "acme", members, products, features) written once for the
    module inside a transaction rolled back at its end; yields demo-admin's API token. A
    module's tests then use `db`: each runs in a savepoint of that transaction."""
    from django.contrib.auth import get_user_model
    from django.core.signals import request_finished
    from django.core.signals import request_started
    from django.db import close_old_connections
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from alignment.demo import seed_demo

    # In-process WSGI requests would otherwise close the connection, and the transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            seed_demo()
            admin = get_user_model().objects.get(username="demo-admin")
            yield Token.objects.get_or_create(user=admin)[0].key
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def xdist_worker_number() -> int:
    """0 for the first (or only) test process, n for pytest-xdist's worker "gw<n>"."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name[2:]) if name.startswith("gw") else 0


@pytest.fixture(scope="session", autouse=True)
def _own_redis_cache_per_test_process():
    """Under pytest-xdist every test process gets a Redis database of its own for the
    cache (CACHE_URL's number plus the worker's), since tests clear the cache whole; the
    worker processes a test starts inherit it through CACHE_URL."""
    from urllib.parse import urlsplit
    from urllib.parse import urlunsplit

    from django.conf import settings
    from django.test import override_settings

    location = settings.CACHES["default"].get("LOCATION") or ""
    number = xdist_worker_number()
    if not number or not location.startswith("redis"):
        yield
        return
    parts = urlsplit(location)
    database = int(parts.path.strip("/") or 0) + number
    own = urlunsplit(parts._replace(path=f"/{database}"))
    caches = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": own}}
    saved = os.environ.get("CACHE_URL")
    os.environ["CACHE_URL"] = own
    try:
        with override_settings(CACHES=caches):
            yield
    finally:
        if saved is None:
            os.environ.pop("CACHE_URL", None)
        else:
            os.environ["CACHE_URL"] = saved


@pytest.fixture(scope="module")
def full_demo_token(demo_token, django_db_blocker, tmp_path_factory):
    """`demo_token` plus the demo's launches and 180 days of metrics, rolled back with
    it at the end of the module; yields the same token."""
    from django.test import override_settings

    from alignment.models import Workspace
    from launches.demo import seed as seed_launches
    from metrics.demo import seed as seed_metrics

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        workspace = Workspace.objects.get(slug="acme")
        seed_launches(workspace)
        seed_metrics(workspace)
    return demo_token


@pytest.fixture(autouse=True)
def _isolated_cache(_own_redis_cache_per_test_process):
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


def pytest_configure(config):
    """A test process holds what it collected (about 17,000 generated API cases among
    them) for the whole run: with Python's default thresholds the collector walks all of
    it hundreds of times. Collect the young generation less often while collecting..."""
    gc.set_threshold(50_000, 20, 100)


def pytest_collection_finish(session):
    """...and, once collected, move it out of the collector's way (gc.freeze)."""
    gc.collect()
    gc.freeze()


# What a test starts decides its tier: `make check` runs every test not marked `live`.
LIVE_FIXTURES = {
    "live_server",
    "browser",
    "page",
    "celery_worker",
    "db_worker",
    "private_postgres",
    "private_redis",
    "worker_factory",
}
LIVE_MARKERS = {"e2e", "integration", "bench", "subprocess"}
LIVE_FOLDERS = {"e2e", "perf", "reliability"}


# Modules of many cases over one seeded demo, spread over this many pytest-xdist groups;
# each group seeds once (`demo_token`), in one process.
SPREAD_MODULES = {"test_api_fuzz.py": "fuzz", "test_api_bad_input.py": "api-bad-input"}
SPREAD_GROUPS = 2


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    from _pytest.nodeid import coerce_node_id

    for module, group in SPREAD_MODULES.items():
        spread = [item for item in items if item.path.name == module]
        for index, item in enumerate(spread):
            # schemathesis names each operation's item "test[GET /path/]" but, under
            # pytest 9, gives them all the function's node id; pytest-xdist needs one each.
            if item.nodeid != f"{item.parent.nodeid}::{item.name}":
                item._id = coerce_node_id(f"{item.parent.nodeid}::{item.name}")
            item.add_marker(pytest.mark.xdist_group(f"{group}-{index % SPREAD_GROUPS}"))
    for item in items:
        folder = item.path.parent.name
        if (
            LIVE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
            or LIVE_MARKERS.intersection(marker.name for marker in item.iter_markers())
            or folder in LIVE_FOLDERS
        ):
            item.add_marker(pytest.mark.live)
    if config.getoption("dist", None) == "loadgroup":
        for item in items:
            # pytest-xdist 3.8 schedules a group by an "@group" suffix of the node id, which
            # it writes to `_nodeid`; pytest 9 reads the id from `_id`: write it there.
            groups = sorted({str(mark.args[0]) for mark in item.iter_markers("xdist_group")})
            if groups and "@" not in item.nodeid:
                item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(groups)}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


pytest_plugins = ["tests.workers"]
