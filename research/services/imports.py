"""Bulk import of insights from CSV: good rows land, bad rows come back with line and reason."""

from __future__ import annotations

import io
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from alignment.models import Feature
from alignment.models import Workspace
from metrics.importing.files import CsvFile
from metrics.importing.files import ImportFileError
from metrics.importing.files import RejectedRows
from metrics.importing.files import open_csv
from research.models import Insight
from research.models import InsightImport
from research.models import Persona
from research.services._common import find_by_name
from research.services.knowledge import insight_create

IMPORT_COLUMNS = ["title", "body", "source", "tags", "persona", "feature"]
REQUIRED_COLUMNS = {"title"}
MAX_IMPORT_ROWS = 5_000  # imported in the request: larger files are split by the user


@dataclass
class InsightImportResult:
    record: InsightImport  # the counts and the rejected rows, kept for errors.csv
    created: list[Insight] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return self.record.rows_read

    @property
    def rows_imported(self) -> int:
        return len(self.created)

    @property
    def rows_rejected(self) -> int:
        return self.record.rows_rejected

    @property
    def errors(self) -> list[dict[str, Any]]:  # [{line, column, reason}]
        return self.record.errors

    @property
    def message(self) -> str:  # notes on the file: its encoding, rejected rows not kept
        return self.record.message


def _read_table(upload) -> CsvFile:
    """The file's header and its records, read as a stream (never the whole file at once)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError({"file": ["The file is too large."]})
    try:
        table = open_csv(upload, accepted="CSV")
    except ImportFileError as error:
        raise ValidationError({"file": [str(error)]}) from None
    names = [cell.strip().lower() for cell in table.header]
    missing = REQUIRED_COLUMNS - set(names)
    if missing:
        message = (
            f"Missing column(s): {', '.join(sorted(missing))}. "
            f"Expected: {', '.join(IMPORT_COLUMNS)}."
        )
        raise ValidationError({"file": [message]})
    twice = sorted({name for name in names if name in IMPORT_COLUMNS and names.count(name) > 1})
    if twice:
        message = f"The header names the column {twice[0]} twice: keep one of them."
        raise ValidationError({"file": [message]})
    return table


def _resolve_feature(workspace: Workspace, name: str):
    """`Feature` or `Product / Feature`: a name used by two products must say which."""
    features = Feature.objects.in_workspace(workspace).select_related("product")
    if "/" in name:
        product, _, feature = (part.strip() for part in name.partition("/"))
        features = features.annotate(product_lower=Lower("product__name")).filter(
            product_lower=product.lower()
        )
        name = feature
    return find_by_name(features, name)


def _row_data(workspace: Workspace, row: dict[str, str]) -> tuple[dict[str, Any], list[tuple]]:
    values = {key: (value or "").strip() for key, value in row.items() if key}
    data = {name: values.get(name, "") for name in ("title", "body", "source")}
    data["tags"] = values.get("tags", "")
    errors = []
    if values.get("persona"):
        persona = find_by_name(Persona.objects.in_workspace(workspace), values["persona"])
        if persona is None:
            errors.append(("persona", f"Unknown persona “{values['persona']}”."))
        else:
            data["personas"] = [persona]
    if values.get("feature"):
        feature = _resolve_feature(workspace, values["feature"])
        if feature is None:
            errors.append(("feature", f"Unknown feature “{values['feature']}”."))
        elif feature == "ambiguous":
            message = (
                f"Several products have a feature “{values['feature']}”: write “Product / Feature”."
            )
            errors.append(("feature", message))
        else:
            data["features"] = [feature]
    return data, errors


@transaction.atomic
def insight_import_csv(*, actor, workspace: Workspace, file) -> InsightImportResult:
    """Create one insight per CSV row (title, body, source, tags, persona, feature).

    A bad row is reported with its line number, column and reason; the good rows still land
    (each row is its own savepoint). A file that is not a usable table fails as a whole,
    and so does one of more than MAX_IMPORT_ROWS rows: nothing of it is kept. The file is
    read as a stream, a record at a time; one that cannot be read (a field over the csv
    module's limit, a line over IMPORT_MAX_LINE_CHARS) is a rejected row, not a failure.
    The outcome is kept as an InsightImport, with the rejected rows' cells as written (the
    first ones, cut to a sane size: files.RejectedRows), so the rejected rows can be
    downloaded, fixed and imported again.
    """
    table = _read_table(file)
    names = [cell.strip().lower() for cell in table.header]
    created: list[Insight] = []
    rejected: list[dict[str, Any]] = []
    kept = RejectedRows()
    rows_read = 0

    def count_row() -> None:
        nonlocal rows_read
        rows_read += 1
        if rows_read > MAX_IMPORT_ROWS:
            message = f"At most {MAX_IMPORT_ROWS} rows per file: split it and import each part."
            raise ValidationError({"file": [message]})

    def reject(line: int, cells: list[str], errors: list[tuple[str, str]]) -> None:
        stored = kept.keep(cells)
        if stored is not None:
            rejected.append(
                {
                    "line": line,
                    "cells": stored,
                    "errors": [{"column": column, "reason": reason} for column, reason in errors],
                }
            )

    def unreadable(line: int, reason: str) -> None:
        count_row()
        reject(line, [], [("", reason[:1].upper() + reason[1:])])

    table.lines.on_error = unreadable
    for line, cells in table.lines.records():
        if not cells:
            continue  # a blank line
        count_row()
        insight, errors = _import_row(actor, workspace, names, cells)
        if insight is not None:
            created.append(insight)
        else:
            reject(line, cells, errors)
    record = InsightImport.objects.create(
        workspace=workspace,
        created_by=actor,
        rows_read=rows_read,
        rows_imported=len(created),
        rows_rejected=kept.count,
        header=kept.cut(table.header),
        rejected=rejected,
        message=" ".join(filter(None, [*table.notes, kept.note])),
    )
    return InsightImportResult(record=record, created=created)


def _import_row(actor, workspace, names, cells) -> tuple[Insight | None, list[tuple[str, str]]]:
    """(the row's new insight, []) or (None, [(column, reason), ...])."""
    if len(cells) > len(names):
        return None, [("", "Too many cells in this row.")]
    if any("\x00" in cell for cell in cells):
        return None, [("", "The row contains a NUL character.")]
    data, errors = _row_data(workspace, dict(zip(names, cells, strict=False)))
    if errors:
        return None, errors
    try:
        return insight_create(actor=actor, workspace=workspace, **data), []
    except ValidationError as error:
        return None, [
            ("" if column == "__all__" else column, message)
            for column, messages in error.message_dict.items()
            for message in messages
        ]
