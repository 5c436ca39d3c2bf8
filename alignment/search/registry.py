"""What each app makes searchable: `register(SearchKind(...))` from its AppConfig.ready, so
the search imports no other app. The registry's order breaks ties between equal ranks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class SearchKind:
    """What one model contributes to the search.

    `fields` are (field, weight A-D) pairs, the title first; `snippet_fields` the ones a
    snippet is cut from (default: every field but the title); `markdown` those written in
    Markdown; `tags` the many-to-many to a model with a `name` (tag search); `is_tag` marks
    the tags themselves (found by name, also by `tag:name`).

    On PostgreSQL the model's table carries the stored search vector and words of exactly
    these `fields` (alignment.search.operations.AddSearchIndex in the app's migrations; a test
    compares the two): a kind whose fields change needs a migration.
    """

    type: str
    label: str
    model_label: str
    fields: tuple[tuple[str, str], ...]
    snippet_fields: tuple[str, ...] | None = None
    markdown: tuple[str, ...] = ()
    tags: str | None = None
    is_tag: bool = False
    select_related: tuple[str, ...] = ("workspace",)
    title: Callable | None = None
    url: Callable | None = None
    snippet: Callable | None = None

    @property
    def model(self):
        try:
            return apps.get_model(self.model_label)
        except LookupError:
            return None

    @property
    def field_names(self) -> list[str]:
        return [name for name, _ in self.fields]

    @property
    def has_tags(self) -> bool:
        return bool(self.tags or self.is_tag)

    def title_of(self, row) -> str:
        return self.title(row) if self.title else str(getattr(row, self.fields[0][0]))

    def url_of(self, row) -> str:
        return self.url(row) if self.url else row.get_absolute_url()

    def text_of(self, row) -> list[tuple[str, bool]]:
        names = self.snippet_fields
        if names is None:
            names = tuple(self.field_names[1:])
        return [(getattr(row, name) or "", name in self.markdown) for name in names]


_KINDS: dict[str, SearchKind] = {}


def register(kind: SearchKind) -> None:
    _KINDS[kind.type] = kind


def kinds() -> list[SearchKind]:
    return list(_KINDS.values())
