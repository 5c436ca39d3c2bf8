"""What every database's search shares: the rows of one kind in the workspace that carry
every `tag:` named, whether a row carries a tag, and the bonus that earns it."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Case
from django.db.models import Exists
from django.db.models import FloatField
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Value
from django.db.models import When

from alignment.search.query import ParsedQuery
from alignment.search.registry import SearchKind

TAG_BONUS = 0.5


def _tag_condition(kind: SearchKind, names) -> Q:
    lookup = "name__iexact" if kind.is_tag else f"{kind.tags}__name__iexact"
    return reduce(or_, (Q(**{lookup: name}) for name in names))


def tagged(kind: SearchKind, names) -> Exists:
    """Whether the row carries one of these tags (a subquery: no duplicated rows)."""
    model = kind.model
    return Exists(model.objects.filter(Q(pk=OuterRef("pk")) & _tag_condition(kind, names)))


def tag_hit(kind: SearchKind, parsed: ParsedQuery) -> Exists | None:
    """Whether the row carries a tag named like the query's text or one of its words."""
    if not (kind.has_tags and parsed.tag_names):
        return None
    return tagged(kind, parsed.tag_names)


def tag_bonus(hit: Exists):
    return Case(When(hit, then=Value(TAG_BONUS)), default=Value(0.0), output_field=FloatField())


def kind_rows(kind: SearchKind, workspace, parsed: ParsedQuery):
    """The kind's rows in the workspace that carry every tag the query names (`tag:x`), or
    None when tags are named and the kind has none."""
    queryset = kind.model.objects.in_workspace(workspace)
    if parsed.tags:
        if not kind.has_tags:
            return None
        for name in parsed.tags:  # every tag named must be there
            queryset = queryset.filter(tagged(kind, [name]))
    return queryset


def tagged_only(kind: SearchKind, queryset):
    """A query of `tag:` tokens alone: what carries the tags, newest first."""
    return (
        with_related(kind, queryset)
        .annotate(search_rank=Value(1.0, output_field=FloatField()))
        .order_by("-pk")
    )


def with_related(kind: SearchKind, queryset):
    return queryset.select_related(*kind.select_related) if kind.select_related else queryset
