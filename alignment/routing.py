"""URL patterns every app's page module builds the same way."""

from types import ModuleType

from django.urls import path
from django.urls import reverse

CRUD = ("list", "create", "detail", "update", "delete")
WITHOUT_DELETE = CRUD[:4]

# action: (path under the prefix, view class suffix)
_PAGES = {
    "list": ("", "List"),
    "create": ("new/", "Create"),
    "detail": ("<int:pk>/", "Detail"),
    "update": ("<int:pk>/edit/", "Update"),
    "delete": ("<int:pk>/delete/", "Delete"),
}


def object_pages(views: ModuleType, prefix: str, name: str, stem: str, *, actions=CRUD) -> list:
    """The pages of one model: `<prefix>/` (list), `<prefix>/new/`, `<prefix>/<pk>/`,
    `<prefix>/<pk>/edit/` and `<prefix>/<pk>/delete/`, served by `views.<stem>ListView`,
    `<stem>CreateView`, ... and named `<name>_list`, `<name>_create`, ...; `actions` picks some.
    An empty prefix puts the pages at the root of the including pattern."""
    base = f"{prefix}/" if prefix else ""
    return [
        path(
            base + _PAGES[action][0],
            getattr(views, f"{stem}{_PAGES[action][1]}View").as_view(),
            name=f"{name}_{action}",
        )
        for action in actions
    ]


def workspace_url(name: str, workspace, **kwargs) -> str:
    """The URL named `name` (namespaced, e.g. "research:roadmap") inside `workspace`."""
    return reverse(name, kwargs={"workspace_slug": workspace.slug, **kwargs})


def detail_url(name: str, row) -> str:
    """The page of a workspace-scoped row (its `get_absolute_url`): `name` with its pk."""
    return workspace_url(name, row.workspace, pk=row.pk)
