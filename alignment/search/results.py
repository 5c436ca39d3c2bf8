"""The search itself: every registered kind's best matches in the workspace, ranked
together, with their snippets; grouped by kind for the search page."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from django.utils.safestring import SafeString

from alignment.search.postgres import FullTextSearch
from alignment.search.postgres import uses_full_text_search
from alignment.search.query import MAX_RESULTS
from alignment.search.query import MIN_QUERY_LENGTH
from alignment.search.query import RESULTS_PER_KIND
from alignment.search.query import parse_query
from alignment.search.registry import kinds
from alignment.search.snippets import make_snippet
from alignment.search.sqlite import SubstringSearch


@dataclass
class SearchResult:
    type: str
    label: str
    id: int
    title: str
    snippet: SafeString
    url: str
    rank: float
    object: object = field(repr=False, default=None)

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "snippet": str(self.snippet),
            "url": self.url,
        }


@dataclass
class SearchGroup:
    label: str
    type: str
    results: list


def search_everything(
    *, workspace, query: str, types=None, limit: int = MAX_RESULTS
) -> list[SearchResult]:
    """Every registered kind's best matches in the workspace, ranked together, best first."""
    parsed = parse_query(query)
    if len(parsed.text) < MIN_QUERY_LENGTH and not parsed.tags:
        return []
    strategy = (FullTextSearch if uses_full_text_search() else SubstringSearch)(workspace, parsed)
    results = []
    for kind in kinds():
        if kind.model is None or (types and kind.type not in types):
            continue
        queryset = strategy.queryset(kind)
        if queryset is None:
            continue
        for row in queryset[:RESULTS_PER_KIND]:
            snippet = kind.snippet(row) if kind.snippet else None
            results.append(
                SearchResult(
                    type=kind.type,
                    label=kind.label,
                    id=row.pk,
                    title=kind.title_of(row),
                    snippet=snippet
                    if snippet is not None
                    else make_snippet(kind.text_of(row), parsed.words),
                    url=kind.url_of(row),
                    rank=float(row.search_rank or 0.0),
                    object=row,
                )
            )
    # Stable: equal ranks keep the registry's order of kinds.
    results.sort(key=lambda result: -result.rank)
    return results[:limit]


def search(*, workspace, query: str, types=None) -> list[SearchGroup]:
    """The results grouped by kind (for the search pages), the best group first; `types`
    keeps only those kinds."""
    groups: dict[str, SearchGroup] = {}
    for result in search_everything(workspace=workspace, query=query, types=types):
        group = groups.get(result.type)
        if group is None:
            group = groups[result.type] = SearchGroup(result.label, result.type, [])
        group.results.append(result)
    return list(groups.values())
