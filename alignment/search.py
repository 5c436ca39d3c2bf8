"""The global search of the top bar: one case-insensitive match per kind, across research,
messaging, launches, campaigns and products/features, inside one workspace.

Each kind is a (label, model, fields) entry; a model not installed yet (research insights
and opportunities arrive with the research app) is skipped. One query per kind, capped at
RESULTS_PER_KIND rows, so a search costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import Q

RESULTS_PER_KIND = 10
MIN_QUERY_LENGTH = 2
KINDS = (
    ("Insights", "research.Insight", ("title", "body"), "title"),
    ("Opportunities", "research.Opportunity", ("title", "problem"), "title"),
    ("Personas", "research.Persona", ("name", "summary"), "name"),
    ("Claims", "alignment.Claim", ("headline", "body", "proof_point"), "headline"),
    ("Documents", "alignment.HandoffDocument", ("title", "body"), "title"),
    ("Launches", "launches.Launch", ("name", "goals"), "name"),
    ("Campaigns", "launches.Campaign", ("name", "channel"), "name"),
    ("Products", "alignment.Product", ("name", "description"), "name"),
    ("Features", "alignment.Feature", ("name", "description"), "name"),
)


@dataclass
class SearchGroup:
    label: str
    results: list


def _model(path: str):
    try:
        return apps.get_model(path)
    except LookupError:
        return None


def search(*, workspace, query: str) -> list[SearchGroup]:
    """Groups of matching rows (each with .search_title and a URL), kinds with hits only."""
    query = (query or "").strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    groups = []
    for label, path, fields, title_field in KINDS:
        model = _model(path)
        if model is None:
            continue
        names = {field.name for field in model._meta.get_fields()}
        present = [field for field in fields if field in names]
        if not present:
            continue
        match = reduce(or_, (Q(**{f"{field}__icontains": query}) for field in present))
        rows = list(model.objects.in_workspace(workspace).filter(match)[:RESULTS_PER_KIND])
        for row in rows:
            row.search_title = getattr(row, title_field, str(row))
        if rows:
            groups.append(SearchGroup(label, rows))
    return groups
