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
from research.models import Insight, Persona
from research.services._common import find_by_name
from research.services.knowledge import insight_create

IMPORT_COLUMNS = ["title", "body", "source", "tags", "persona", "feature"]
REQUIRED_COLUMNS = {"title"}
MAX_IMPORT_ROWS = 5_000  # imported in the request: larger files are split by the user


@dataclass
class InsightImportResult:
    rows_read: int = 0
    created: list[Insight] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # {line, column, reason}

    @property
    def rows_imported(self) -> int:
        return len(self.created)

    @property
    def rows_rejected(self) -> int:
        return len(self.errors)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": ["The file is not text."]})  # pragma: no cover


def _read_table(upload) -> tuple[list[str], csv.DictReader]:
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
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = REQUIRED_COLUMNS - set(headers)
    if missing:
        message = (
            f"Missing column(s): {', '.join(sorted(missing))}. "
            f"Expected: {', '.join(IMPORT_COLUMNS)}."
        )
        raise ValidationError({"file": [message]})
    reader.fieldnames = headers
    return headers, reader


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
    """
    _, reader = _read_table(file)
    rows = []
    for row in reader:
        rows.append((reader.line_num, row))
        if len(rows) > MAX_IMPORT_ROWS:
            raise ValidationError(
                {
                    "file": [
                        f"At most {MAX_IMPORT_ROWS} rows per file: split it and import each part."
                    ]
                }
            )
    result = InsightImportResult()
    for line, row in rows:
        result.rows_read += 1
        if None in row:  # more cells than headers
            result.errors.append(
                {"line": line, "column": "", "reason": "Too many cells in this row."}
            )
            continue
        data, errors = _row_data(workspace, row)
        if errors:
            result.errors.extend({"line": line, "column": c, "reason": r} for c, r in errors)
            continue
        try:
            result.created.append(insight_create(actor=actor, workspace=workspace, **data))
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                column = "" if column == "__all__" else column
                result.errors.extend(
                    {"line": line, "column": column, "reason": message} for message in messages
                )
    return result
