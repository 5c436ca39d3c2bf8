"""The research search page (research/search.html): the workspace's one search
(alignment.search: full text, typos, tags, snippets), kept to research's kinds."""

from __future__ import annotations

from alignment.models import Workspace
from alignment.search import SearchGroup
from alignment.search import search

# What research registers in the search (research.search.register_search_kinds).
RESEARCH_TYPES = ("insight", "highlight", "tag", "opportunity", "persona", "study")


def research_search(*, workspace: Workspace, query: str) -> list[SearchGroup]:
    """Research's insights, highlights, tags, opportunities, personas and studies matching
    `query`, grouped by kind, the best group first."""
    return search(workspace=workspace, query=query, types=RESEARCH_TYPES)
