"""The security matrix, generated from every router registered under a workspace.

For each resource: another workspace's object answers 404 on every verb, a non-member
gets 404 for the whole workspace, a viewer's writes answer 403, anonymous calls 401, and
an id of another workspace's row inside a request body is refused.
A new viewset is covered as soon as its router is listed in WORKSPACE_API_URLCONFS and a
factory for its model exists in tests/factories.py or tests/<app>/factories.py.
"""

from __future__ import annotations

import re
from importlib import import_module
from importlib.util import find_spec

import factory
import pytest
from django.urls import reverse

from alignment.models import Role
from alignment.tenancy import is_workspace_scoped
from alignment.urls import WORKSPACE_API_URLCONFS

FACTORY_MODULES = ["tests.factories"] + [
    f"tests.{app}.factories"
    for app in ("alignment", "research", "launches", "metrics", "collaboration")
]


def _all_factories():
    for name in FACTORY_MODULES:
        if find_spec(name):
            import_module(name)
    found, stack = {}, list(factory.django.DjangoModelFactory.__subclasses__())
    while stack:
        factory_class = stack.pop()
        stack.extend(factory_class.__subclasses__())
        model = factory_class._meta.model
        if model is not None:
            found.setdefault(model, factory_class)
    return found


def _registrations():
    for urlconf in WORKSPACE_API_URLCONFS:
        module = import_module(urlconf)
        for prefix, viewset, basename in module.router.registry:
            yield pytest.param(module.app_name, prefix, viewset, basename, id=basename)


REGISTRATIONS = list(_registrations())


def _url(app_name, basename, action, workspace_slug, obj=None, prefix=""):
    kwargs = {"workspace_slug": workspace_slug}
    # Nested routes name their parent "<parent>_pk"; the object carries it as "<parent>_id".
    for parent in re.findall(r"\(\?P<(\w+)_pk>", prefix):
        kwargs[f"{parent}_pk"] = getattr(obj, f"{parent}_id")
    if action == "detail":
        viewset_lookup = obj._tenancy_lookup
        kwargs[viewset_lookup[0]] = viewset_lookup[1]
    return reverse(f"{app_name}:{basename}-{action}", kwargs=kwargs)


def _make_foreign_object(viewset, other_workspace):
    model = viewset.queryset.model
    factory_class = _all_factories().get(model)
    if factory_class is None:
        pytest.fail(f"No factory for {model.__name__}: add one so tenancy is tested.")
    obj = factory_class(workspace=other_workspace)
    lookup_field = getattr(viewset, "lookup_field", "pk")
    value = obj
    for part in lookup_field.split("__"):
        value = getattr(value, part)
    obj._tenancy_lookup = (getattr(viewset, "lookup_url_kwarg", None) or lookup_field, value)
    return obj


def test_every_workspace_router_has_resources():
    """Guards the generator itself: if nothing is registered, nothing below is tested."""
    assert len(REGISTRATIONS) >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("app_name,prefix,viewset,basename", REGISTRATIONS)
def test_foreign_object_answers_404_on_every_verb(
    api, workspace, other_workspace, app_name, prefix, viewset, basename
):
    obj = _make_foreign_object(viewset, other_workspace)
    # Addressed through the caller's own workspace: the object does not exist there.
    url = _url(app_name, basename, "detail", workspace.slug, obj, prefix)
    responses = {
        "get": api.get(url),
        "patch": api.patch(url, {}, format="json"),
        "put": api.put(url, {}, format="json"),
        "delete": api.delete(url),
    }
    for verb, response in responses.items():
        if response.status_code == 405:
            continue  # the resource does not offer this verb at all
        assert response.status_code == 404, (verb, response.status_code, response.content)
    assert viewset.queryset.model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("app_name,prefix,viewset,basename", REGISTRATIONS)
def test_non_member_gets_404_for_the_whole_workspace(
    api, other_workspace, app_name, prefix, viewset, basename
):
    obj = _make_foreign_object(viewset, other_workspace)
    list_url = _url(app_name, basename, "list", other_workspace.slug, obj, prefix)
    detail_url = _url(app_name, basename, "detail", other_workspace.slug, obj, prefix)
    assert api.get(list_url).status_code == 404
    assert api.post(list_url, {}, format="json").status_code == 404
    assert api.get(detail_url).status_code == 404
    assert api.delete(detail_url).status_code in (404, 405)
    assert viewset.queryset.model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("app_name,prefix,viewset,basename", REGISTRATIONS)
def test_viewer_cannot_write(api_client, workspace, member, app_name, prefix, viewset, basename):
    viewer = member(Role.VIEWER)
    api_client.force_authenticate(viewer)
    obj = _make_foreign_object(viewset, workspace)  # an object the viewer can see
    list_url = _url(app_name, basename, "list", workspace.slug, obj, prefix)
    detail_url = _url(app_name, basename, "detail", workspace.slug, obj, prefix)
    # Admin-only resources (webhooks) name the roles that read them: for others, 403.
    read_roles = getattr(viewset, "read_roles", None)
    read = 200 if read_roles is None or Role.VIEWER in read_roles else 403
    assert api_client.get(list_url).status_code == read
    assert api_client.get(detail_url).status_code == read
    assert api_client.post(list_url, {}, format="json").status_code in (403, 405)
    assert api_client.patch(detail_url, {}, format="json").status_code in (403, 405)
    assert api_client.delete(detail_url).status_code in (403, 405)
    assert viewset.queryset.model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("app_name,prefix,viewset,basename", REGISTRATIONS)
def test_anonymous_gets_401(api_client, workspace, app_name, prefix, viewset, basename):
    obj = _make_foreign_object(viewset, workspace)
    url = _url(app_name, basename, "list", workspace.slug, obj, prefix)
    assert api_client.get(url).status_code == 401


def _scoped_related_fields(serializer):
    """(name, model) of every writable field of `serializer` that takes a scoped row's id."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        target = getattr(field, "child_relation", field)
        queryset = getattr(target, "queryset", None)
        if queryset is not None and is_workspace_scoped(queryset.model):
            yield name, queryset.model, hasattr(field, "child_relation")


@pytest.mark.django_db
@pytest.mark.parametrize("app_name,prefix,viewset,basename", REGISTRATIONS)
def test_foreign_ids_in_request_bodies_are_refused(
    rf, workspace, other_workspace, app_name, prefix, viewset, basename
):
    """An id of another workspace inside a body fails validation like a missing id."""
    factories = _all_factories()
    view = viewset(
        request=rf.post("/"), kwargs={"workspace_slug": workspace.slug}, format_kwarg=None
    )
    view.action = "create"
    serializer_class = view.get_serializer_class()
    probe = serializer_class(
        context={"workspace": workspace, "request": view.request, "view": view}
    )
    for name, model, many in _scoped_related_fields(probe):
        foreign = factories[model](workspace=other_workspace)
        value = [foreign.pk] if many else foreign.pk
        serializer = serializer_class(
            data={name: value},
            context={"workspace": workspace, "request": view.request, "view": view},
        )
        assert not serializer.is_valid()
        assert name in serializer.errors, (basename, name)


def _detail_actions():
    for app_name, prefix, viewset, basename in (p.values for p in REGISTRATIONS):
        for action in viewset.get_extra_actions():
            if action.detail:
                yield pytest.param(
                    app_name, prefix, viewset, basename, action, id=f"{basename}-{action.url_name}"
                )


@pytest.mark.django_db
@pytest.mark.parametrize("app_name,prefix,viewset,basename,action", list(_detail_actions()))
def test_actions_on_a_foreign_object_answer_404(
    api, workspace, other_workspace, app_name, prefix, viewset, basename, action
):
    """Transitions (submit, review, status, evidence...) never reach another tenant's row."""
    obj = _make_foreign_object(viewset, other_workspace)
    kwargs = {"workspace_slug": workspace.slug}
    for parent in re.findall(r"\(\?P<(\w+)_pk>", prefix):
        kwargs[f"{parent}_pk"] = getattr(obj, f"{parent}_id")
    kwargs[obj._tenancy_lookup[0]] = obj._tenancy_lookup[1]
    for extra in re.findall(r"\(\?P<(\w+)>", action.url_path):
        kwargs[extra] = 1  # e.g. an evidence id under the opportunity: the parent fails first
    url = reverse(f"{app_name}:{basename}-{action.url_name}", kwargs=kwargs)
    for method in action.mapping:
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
