"""A return address read from a request ("next") never leaves the site or runs a script.

Every view that reads one does so through `alignment.redirects.safe_next_url` (checked over
the apps' source), and every such view is walked over the project's URL patterns with
hostile addresses: none may appear in a link or a redirect."""

import ast
import functools
import inspect
import re
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver

from alignment.redirects import is_local_path

pytestmark = pytest.mark.xdist_group("page-bad-input")  # with the pages bad-input tests

ROOT = Path(__file__).resolve().parents[1]
APPS = ("alignment", "research", "launches", "metrics")
HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "https://evil.example/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example",
    "data:text/html,<script>alert(1)</script>",
    " javascript:alert(1)",
    "http:/evil.example",
]


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


@functools.cache
def _class_sources(module_name: str) -> dict[str, str]:
    """Each class's source in a module, the module read and parsed once."""
    source = inspect.getsource(sys.modules[module_name])
    lines = source.splitlines()
    return {
        node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef)
    }


def _calls_the_helper(cls) -> bool:
    return "safe_next_url(" in _class_sources(cls.__module__)[cls.__name__]


def _reads_next(view_class) -> bool:
    return any(
        _calls_the_helper(cls) for cls in view_class.__mro__ if cls.__module__.split(".")[0] in APPS
    )


VIEWS = [
    pytest.param(route, entry.callback.view_class, id=route)
    for route, entry in _patterns()
    if getattr(entry.callback, "view_class", None) and _reads_next(entry.callback.view_class)
]


def test_only_the_helper_reads_a_return_address():
    reader = re.compile(r"""(GET|POST|query_params|data)(\.get\(|\[)\s*["']next["']""")
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if reader.search(line)
    ]
    assert readers == []


def test_the_walk_finds_the_views_that_take_a_return_address():
    names = {view.__name__ for _, view in (case.values for case in VIEWS)}
    assert {"LaunchCreateView", "LaunchTaskUpdateView", "DiagnosisStateView"} <= names


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_addresses_are_not_local(target):
    assert not is_local_path(target, host="testserver")


@pytest.mark.parametrize("target", ["/w/acme/", "/w/acme/launches/?view=week#top"])
def test_paths_on_the_site_are(target):
    assert is_local_path(target, host="testserver")


def _url(route: str, view_class, workspace) -> str:
    kwargs = {"workspace_slug": workspace.slug}
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    model = getattr(view_class, "model", None)
    if "pk" in names:
        obj = model.objects.filter(workspace=workspace).order_by("pk").first()
        assert obj is not None, f"the demo has no {model.__name__} for {route}"
        kwargs["pk"] = obj.pk
        if "launch_pk" in names:
            kwargs["launch_pk"] = obj.launch_id
    elif "launch_pk" in names:
        from launches.models import Launch

        kwargs["launch_pk"] = Launch.objects.filter(workspace=workspace).first().pk
    path = route
    for name in names:
        path = re.sub(rf"<(?:\w+:)?{name}>", str(kwargs[name]), path)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.parametrize("route,view_class", VIEWS)
def test_no_view_links_or_redirects_to_a_hostile_address(
    route, view_class, full_demo_token, client, db
):
    from django.contrib.auth import get_user_model

    from alignment.models import Workspace

    workspace = Workspace.objects.get(slug="acme")
    client.force_login(get_user_model().objects.get(username="demo-admin"))
    url = _url(route, view_class, workspace)
    for target in HOSTILE:
        with transaction.atomic():
            answer = client.get(url, {"next": target})
            if answer.status_code == 405:
                answer = client.post(url, {"next": target, "state": "acknowledged"})
            transaction.set_rollback(True)
        assert answer.status_code in {200, 302}, (url, target, answer.status_code)
        location = answer.get("Location")
        if location is not None:
            assert is_local_path(location, host="testserver"), (url, target, location)
        body = answer.content.decode()
        assert f'href="{target}"' not in body and "javascript:" not in body.lower(), url
