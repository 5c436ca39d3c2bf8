"""Text search over research rows: PostgreSQL full-text search (weighted, ranked, with
highlighted snippets) on PostgreSQL, a plain case-insensitive match elsewhere (SQLite)."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchHeadline
from django.contrib.postgres.search import SearchQuery
from django.contrib.postgres.search import SearchRank
from django.db.models import F
from django.db.models import FloatField
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import TextField
from django.db.models import Value
from django.db.models.functions import Concat
from django.db.models.functions import Substr

from alignment.search.postgres import features
from alignment.search.postgres import uses_full_text_search
from alignment.search.registry import SearchKind
from alignment.search.registry import kinds
from alignment.search.stored import StoredVector
from alignment.search.stored import vector_expression

MAX_QUERY_LENGTH = 200
HIGHLIGHT = {"start_sel": "<mark>", "stop_sel": "</mark>", "max_words": 30, "min_words": 12}


def _kind_of(model) -> SearchKind:
    """The model's kind in the workspace search: its fields are the list filter's too."""
    return next(kind for kind in kinds() if kind.model_label == model._meta.label)


def _snippet_source(kind: SearchKind):
    """The text a snippet is cut from: the kind's snippet fields, joined."""
    names = kind.snippet_fields or tuple(kind.field_names[1:])
    if len(names) == 1:
        return F(names[0])
    parts = []
    for name in names:
        parts.extend([F(name), Value(" … ")])
    return Concat(*parts[:-1], output_field=TextField())


def apply_search(queryset: QuerySet, query: str) -> QuerySet:
    """Filter `queryset` by `query`, annotated with `search_rank` and `search_snippet`.

    The fields are those the model's kind gives the workspace search (research.search's
    `register_search_kinds`); on PostgreSQL the match and rank read the table's stored
    vector when it has one (alignment.search.stored), as the workspace search does. The
    snippet is raw text with matches wrapped in <mark> (PostgreSQL) or plain text (SQLite):
    templates show it through the `highlight` filter, which escapes everything else.
    Ordered by rank, best first, on PostgreSQL; by the model's ordering elsewhere.
    """
    # NUL cannot reach PostgreSQL; runs of whitespace mean nothing to either database.
    query = " ".join((query or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    if not query:
        return queryset
    kind = _kind_of(queryset.model)
    if uses_full_text_search():
        stored = queryset.model._meta.db_table in features().stored
        vector = StoredVector() if stored else vector_expression(kind.fields)
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            queryset.alias(search_vector=vector)
            .filter(search_vector=search_query)
            .annotate(
                search_rank=SearchRank(vector, search_query),
                search_snippet=SearchHeadline(
                    _snippet_source(kind), search_query, config="english", **HIGHLIGHT
                ),
            )
            .order_by("-search_rank", "-pk")
        )
    condition = reduce(or_, [Q(**{f"{name}__icontains": query}) for name in kind.field_names])
    return queryset.filter(condition).annotate(
        search_rank=Value(None, output_field=FloatField()),
        search_snippet=Substr(_snippet_source(kind), 1, 200),
    )


# --- What research adds to the workspace's one search (alignment.search) ------------------


def _tag_url(tag) -> str:
    from django.urls import reverse
    from django.utils.http import urlencode

    url = reverse("research:insight_list", kwargs={"workspace_slug": tag.workspace.slug})
    return f"{url}?{urlencode({'tag': tag.name})}"


def _tag_snippet(tag):
    from django.utils.html import format_html

    return format_html("Insights and highlights tagged <mark>#{}</mark>", tag.name)


def register_search_kinds() -> None:
    """Called from ResearchConfig.ready: insights (with their evidence quote and tags),
    highlights, tags, opportunities, personas and studies join the top bar's search."""
    from alignment.search import SearchKind
    from alignment.search import register

    register(
        SearchKind(
            "insight",
            "Insights",
            "research.Insight",
            (("title", "A"), ("body", "B"), ("evidence", "B"), ("source", "C")),
            snippet_fields=("evidence", "body", "source"),
            markdown=("body",),
            tags="tags",
        )
    )
    register(
        SearchKind(
            "highlight",
            "Highlights",
            "research.Highlight",
            (("text", "A"),),
            snippet_fields=("text",),
            tags="tags",
            select_related=("workspace", "insight__workspace"),
            title=lambda highlight: f"Highlight in “{highlight.insight.title}”",
        )
    )
    register(
        SearchKind(
            "tag",
            "Tags",
            "research.Tag",
            (("name", "A"),),
            is_tag=True,
            title=lambda tag: f"#{tag.name}",
            url=_tag_url,
            snippet=_tag_snippet,
        )
    )
    register(
        SearchKind(
            "opportunity",
            "Opportunities",
            "research.Opportunity",
            (
                ("title", "A"),
                ("hypothesis_text", "B"),
                ("problem", "B"),
                ("reason", "B"),
                ("signal", "C"),
                ("description", "C"),
            ),
            markdown=("description",),
        )
    )
    register(
        SearchKind(
            "persona",
            "Personas",
            "research.Persona",
            (
                ("name", "A"),
                ("summary", "B"),
                ("goals", "B"),
                ("pains", "B"),
                ("jobs_to_be_done", "C"),
            ),
        )
    )
    register(
        SearchKind(
            "study",
            "Studies",
            "research.Study",
            (("title", "A"), ("summary", "B")),
            markdown=("summary",),
        )
    )
