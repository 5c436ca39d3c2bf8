"""The search where there is no full text search (SQLite): each word must appear in one of
the kind's fields (case insensitive); a match in the title ranks higher."""

from __future__ import annotations

from functools import reduce
from operator import and_
from operator import or_

from django.db.models import Case
from django.db.models import FloatField
from django.db.models import Q
from django.db.models import Value
from django.db.models import When

from alignment.search.conditions import kind_rows
from alignment.search.conditions import tag_bonus
from alignment.search.conditions import tag_hit
from alignment.search.conditions import tagged_only
from alignment.search.conditions import with_related
from alignment.search.query import ParsedQuery
from alignment.search.registry import SearchKind


class SubstringSearch:
    """One query per kind."""

    def __init__(self, workspace, parsed: ParsedQuery):
        self.workspace = workspace
        self.parsed = parsed

    def queryset(self, kind: SearchKind):
        parsed = self.parsed
        queryset = kind_rows(kind, self.workspace, parsed)
        if queryset is None:
            return None
        if not parsed.text:
            return tagged_only(kind, queryset)
        if not parsed.words:
            return None
        names = kind.field_names
        condition = reduce(
            and_,
            (
                reduce(or_, (Q(**{f"{name}__icontains": word}) for name in names))
                for word in parsed.words
            ),
        )
        for word in parsed.negated:
            for name in names:
                queryset = queryset.exclude(**{f"{name}__icontains": word})
        title_hit = reduce(and_, (Q(**{f"{names[0]}__icontains": word}) for word in parsed.words))
        rank = Case(When(title_hit, then=Value(1.5)), default=Value(1.0), output_field=FloatField())
        hit = tag_hit(kind, parsed)
        if hit is not None:
            condition |= hit
            rank = rank + tag_bonus(hit)
        queryset = queryset.filter(condition).annotate(search_rank=rank)
        return with_related(kind, queryset).order_by("-search_rank", "-pk")
