"""CSV export of any table on a page: the one helper every export goes through.

Cells that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) are prefixed with a single quote, so an exported campaign named
"=HYPERLINK(...)" stays text (CSV/formula injection). Numbers (int, float, Decimal) are
written as they are: a negative ROI is a number, not a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from collections.abc import Sequence
from decimal import Decimal

from django.http import FileResponse
from django.http import Http404
from django.http import HttpResponse
from django.utils.text import slugify

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The cell as written: numbers as they are (a number is never a formula), any other
    value as text, quoted when it starts like a formula."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_response(name: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """An attachment `<name>.csv` with the header and rows, every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "export"}.csv"'
    writer = csv.writer(response)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response


NO_REJECTED_ROWS = "This import rejected no rows."  # the 404 of an errors.csv with no rows


def stored_csv_response(file, name: str, *, missing: str) -> FileResponse:
    """A CSV file kept in storage (an import's errors.csv) as the attachment `<name>.csv`,
    streamed; a 404 saying `missing` when there is none."""
    if not file:
        raise Http404(missing)
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"{name}.csv",
        content_type="text/csv; charset=utf-8",
    )
