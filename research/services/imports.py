"""Bulk import of insights from CSV: good rows land, bad rows come back with line and reason."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from alignment.models import Feature, Workspace
from research.models import Insight, InsightImport, Persona
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


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": ["The file is not text."]})  # pragma: no cover


def _read_table(upload) -> tuple[list[str], list[str], Any]:
    """(the header row as written, its column names, a csv reader of the rows)."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError({"file": ["The file is too large."]})
    raw = upload.read()
    if len(raw) > settings.MAX_UPLOAD_SIZE:
        raise ValidationError({"file": ["The file is too large."]})
    if b"\x00" in raw[:4096]:
        raise ValidationError({"file": ["This is not a CSV file."]})
    text = _decode(raw)
    if not text.strip():
        raise ValidationError({"file": ["The file is empty."]})
    first_line = text.splitlines()[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    # A plain reader, not a DictReader: a rejected row is kept with its cells as written.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    names = [cell.strip().lower() for cell in header]
    missing = REQUIRED_COLUMNS - set(names)
    if missing:
        message = (
            f"Missing column(s): {', '.join(sorted(missing))}. "
            f"Expected: {', '.join(IMPORT_COLUMNS)}."
        )
        raise ValidationError({"file": [message]})
    return header, names, reader


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


def insight_import_csv(*, actor, workspace: Workspace, file) -> InsightImportResult:
    """Create one insight per CSV row (title, body, source, tags, persona, feature).

    A bad row is reported with its line number, column and reason; the good rows still land
    (each row is its own savepoint). A file that is not a usable table fails as a whole.
    The outcome is kept as an InsightImport, with every rejected row's cells as written, so
    the rejected rows can be downloaded, fixed and imported again.
    """
    header, names, reader = _read_table(file)
    rows = []
    for cells in reader:
        if not cells:
            continue  # a blank line
        rows.append((reader.line_num, cells))
        if len(rows) > MAX_IMPORT_ROWS:
            raise ValidationError(
                {
                    "file": [
                        f"At most {MAX_IMPORT_ROWS} rows per file: split it and import each part."
                    ]
                }
            )
    created, rejected = [], []
    for line, cells in rows:
        insight, errors = _import_row(actor, workspace, names, cells)
        if insight is not None:
            created.append(insight)
        else:
            rejected.append(
                {
                    "line": line,
                    "cells": cells,
                    "errors": [{"column": column, "reason": reason} for column, reason in errors],
                }
            )
    record = InsightImport.objects.create(
        workspace=workspace,
        created_by=actor,
        rows_read=len(rows),
        rows_imported=len(created),
        rows_rejected=len(rejected),
        header=header,
        rejected=rejected,
    )
    return InsightImportResult(record=record, created=created)


def _import_row(actor, workspace, names, cells) -> tuple[Insight | None, list[tuple[str, str]]]:
    """(the row's new insight, []) or (None, [(column, reason), ...])."""
    if len(cells) > len(names):
        return None, [("", "Too many cells in this row.")]
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
