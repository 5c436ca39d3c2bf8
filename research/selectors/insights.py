"""Insights: the list every page and the API read, their highlights and their CSV imports."""

from __future__ import annotations

from django.db.models import Prefetch
from django.db.models import QuerySet

from alignment.models import Workspace
from research import filters as filtersets
from research.models import Highlight
from research.models import Insight
from research.models import InsightImport
from research.selectors.lists import FEATURES
from research.selectors.lists import PERSONAS


def insight_list(*, workspace: Workspace, filters=None) -> QuerySet[Insight]:
    queryset = (
        Insight.objects.in_workspace(workspace)
        .select_related("workspace", "study__workspace", "created_by")
        .prefetch_related(
            Prefetch("personas", queryset=PERSONAS),
            Prefetch("features", queryset=FEATURES),
            "competitors__workspace",
            "tags",
        )
    )
    return filtersets.InsightFilterSet.apply(filters, queryset, workspace=workspace)


def recent_insights(*, workspace: Workspace, limit: int = 8) -> QuerySet[Insight]:
    return insight_list(workspace=workspace)[:limit]


def highlight_list(*, insight: Insight) -> QuerySet[Highlight]:
    """An insight's highlights in reading order, with what their rows show."""
    return (
        Highlight.objects.in_workspace(insight.workspace)
        .filter(insight=insight)
        .select_related("persona", "feature__product", "created_by")
        .prefetch_related("tags")
        .order_by("start", "id")
    )


def insight_import_list(*, workspace: Workspace) -> QuerySet[InsightImport]:
    """The workspace's CSV imports of insights, newest first; their rows stay unloaded."""
    return (
        InsightImport.objects.in_workspace(workspace)
        .select_related("workspace", "created_by")
        .defer("header", "rejected")
    )


def insight_import_rejected_table(*, record: InsightImport) -> tuple[list, list[list]]:
    """(header, rows) of errors.csv: line, column, reason, then the rejected row's cells
    under the file's own header, one line per rejected row (its problems joined), so the
    file can be fixed and imported again without duplicating a row."""
    header = ["line", "column", "reason", *record.header]
    rows = [
        [
            row["line"],
            "; ".join(dict.fromkeys(e["column"] for e in row["errors"] if e["column"])),
            " ".join(e["reason"] for e in row["errors"]),
            *row["cells"],
        ]
        for row in record.rejected
    ]
    return header, rows
