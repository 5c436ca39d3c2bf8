"""The research search page (research/search.html): insights, opportunities, studies and
personas matching a query, grouped by kind. The workspace-wide search of every app is
alignment.search."""

from __future__ import annotations

from dataclasses import dataclass

from alignment.models import Workspace
from research.models import Insight, Opportunity, Persona, Study
from research.search import apply_search


@dataclass(frozen=True)
class SearchResult:
    kind: str
    object: object
    title: str
    snippet: str
    rank: float | None


SEARCHABLE = [
    ("insight", lambda ws: Insight.objects.in_workspace(ws), "title"),
    (
        "opportunity",
        lambda ws: Opportunity.objects.in_workspace(ws).select_related("persona"),
        "title",
    ),
    ("study", lambda ws: Study.objects.in_workspace(ws), "title"),
    ("persona", lambda ws: Persona.objects.in_workspace(ws), "name"),
]


def research_search(*, workspace: Workspace, query: str, limit: int = 20) -> dict[str, list]:
    """Insights, opportunities, studies and personas matching `query`, best first per kind."""
    results: dict[str, list] = {}
    for kind, base, title_field in SEARCHABLE:
        rows = apply_search(base(workspace), query)[:limit] if query.strip() else []
        results[kind] = [
            SearchResult(
                kind=kind,
                object=row,
                title=getattr(row, title_field),
                snippet=row.search_snippet or "",
                rank=row.search_rank,
            )
            for row in rows
        ]
    return results
