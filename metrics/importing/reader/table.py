"""Files: an opened CSV or XLSX file as a `Table` of (line, raw values in contract order).

Encoding, delimiter and bounded CSV records are files.py's (shared with the insight
import); XLSX workbooks are read by xlsx.py. Nothing is held per row."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime

from django.conf import settings

from metrics.importing.files import CsvLines
from metrics.importing.files import ImportFileError
from metrics.importing.files import check_width
from metrics.importing.files import open_csv
from metrics.importing.reader.contract import CONTRACTS
from metrics.importing.reader.contract import Mapping
from metrics.importing.reader.contract import resolve_mapping
from metrics.importing.xlsx import SheetRows


@dataclass
class Table:
    """An opened file: header, mapping, and a generator of (line, raw values)."""

    header: list
    mapping: Mapping
    kind: str
    total: int  # bytes (CSV) or the sheet's uncompressed bytes (XLSX), for progress
    position: callable = field(repr=False, default=lambda: 0)
    csv_lines: CsvLines | None = field(repr=False, default=None)  # for CSV files
    numbered_rows: Iterator | None = field(repr=False, default=None)  # (line, row, problem)
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)  # sentences for the import's result
    # (line, reason) of a row that cannot be read at all; by default the file fails there.
    on_unreadable: Callable[[int, str], None] | None = field(repr=False, default=None)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, values in contract order) for every non-blank data row."""
        contract = CONTRACTS[self.kind]
        fields = contract.fields
        blank = dict.fromkeys(self.uncarried, contract.blank)  # what new keys get
        getters = [
            (self.mapping.index[name], self.mapping.defaults.get(name, blank.get(name, "")))
            for name in fields
        ]
        width_needed = len(fields)
        identity = all(self.mapping.index[name] == i for i, name in enumerate(fields))
        last_line = settings.IMPORT_MAX_ROWS + 1  # lines (or sheet rows) under the header
        unreadable = self.on_unreadable or _refuse

        def normalise(row):
            if not row or not any(cell.strip() for cell in row):
                return None
            width = len(row)
            return [
                row[position].strip() if position is not None and position < width else default
                for position, default in getters
            ]

        if self.numbered_rows is not None:
            for line, row, problem in self.numbered_rows:
                if line > last_line:
                    raise _too_many_rows(last_line - 1)
                if problem:
                    unreadable(line, problem)
                    continue
                values = normalise(row)
                if values is not None:
                    yield line, values
            return
        lines = self.csv_lines
        lines.on_error = unreadable
        for line, row in lines.records():
            if line > last_line:
                raise _too_many_rows(last_line - 1)
            if identity and len(row) == width_needed and row[0]:
                yield line, row  # the contract's own layout: used as it is
                continue
            values = normalise(row)
            if values is not None:
                yield line, values

    @property
    def uncarried(self) -> list[str]:
        """Measures this file leaves out: kept on the keys it repeats (pipeline.py)."""
        return self.mapping.uncarried(CONTRACTS[self.kind])

    @property
    def progress(self) -> int:
        if not self.total:
            return 0
        return min(99, int(100 * self.position() / self.total))


def _refuse(line: int, reason: str) -> None:
    raise ImportFileError(f"Line {line}: {reason}")


def _too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(f"The file has more than {limit:,} rows: split it into smaller files.")


def open_table(fileobj, kind: str, *, name: str = "", columns=None, defaults=None) -> Table:
    """Open a CSV or XLSX file for streaming; ImportFileError if it is not a table of `kind`."""
    head = fileobj.read(4)
    fileobj.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(fileobj, kind, columns, defaults)
    source = open_csv(fileobj, accepted="CSV or XLSX")
    notes = source.notes
    if name.lower().endswith(".xlsx"):
        notes = [*notes, "The file is named .xlsx but holds CSV text: it was read as CSV."]
    return Table(
        header=source.header,
        mapping=resolve_mapping(kind, source.header, columns, defaults),
        kind=kind,
        total=source.size,
        position=source.position,
        csv_lines=source.lines,
        encoding=source.encoding.name,
        delimiter=source.delimiter,
        notes=notes,
    )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_xlsx(fileobj, kind, columns, defaults) -> Table:
    sheet = SheetRows(fileobj)
    rows = iter(sheet)
    header = None
    for _, cells, _ in rows:  # the first row with anything in it
        if any(_cell_text(value).strip() for value in cells.values()):
            header = [_cell_text(cells.get(column)) for column in range(1, max(cells) + 1)]
            break
    if header is None:
        sheet.close()
        raise ImportFileError("The file is empty.")
    try:
        check_width(len(header))
        mapping = resolve_mapping(kind, header, columns, defaults)
    except ImportFileError:
        rows.close()
        raise
    sheet.width = len(header)
    positions = range(1, len(header) + 1)

    def lines():
        for line, cells, problem in rows:
            yield line, [_cell_text(cells.get(column)) for column in positions], problem

    return Table(
        header=header,
        mapping=mapping,
        kind=kind,
        total=sheet.size,
        position=lambda: sheet.position,
        numbered_rows=lines(),
        encoding="xlsx",
    )
