"""The first sheet of an XLSX workbook, read as a stream of rows without trusting it.

An XLSX file is a zip archive of XML documents, and both layers can be made to explode: a
few kilobytes that unpack to gigabytes (a zip bomb), XML entities that expand a billion
times, a sheet that claims a million rows by sixteen thousand columns, one row of millions
of cells, cell references that are not references. So:

1. the archive is checked with zipfile before any XML of it is parsed: number of members,
   the uncompressed size of each and of all, and the compression ratio (zipfile itself
   stops a member at its declared size);
2. openpyxl reads the workbook's small parts - which sheets, the shared strings, which
   styles are dates - parsing them with defusedxml (its own choice when defusedxml is
   installed: no entity expansion, no external entities);
3. the sheet itself is read here, by expat with the same defences (a DTD of any kind is
   refused) and callbacks that keep a cell's text and nothing else: a row may hold
   IMPORT_MAX_COLUMNS cells, a cell IMPORT_MAX_CELL_CHARS characters, the dimensions the
   sheet claims are ignored and rows it skips cost nothing. Cell values are those of
   openpyxl's own cell parser. (openpyxl's read-only sheets parse with defusedxml's pure
   Python parser, twice as slow, and read a sheet without dimensions in full once more
   just to size it.)

Whatever goes wrong inside the workbook becomes an ImportFileError with one sentence; a
cell over IMPORT_MAX_CELL_CHARS characters makes its row unreadable (rejected), not the file.
"""

from __future__ import annotations

import warnings
import zipfile
import zlib
from collections.abc import Iterator
from xml.parsers.expat import ExpatError
from xml.parsers.expat import ParserCreate

from django.conf import settings

from metrics.importing.files import CountingReader
from metrics.importing.files import ImportFileError

MiB = 1024 * 1024
RATIO_FROM_SIZE = MiB  # smaller members may compress as well as they like


def check_archive(fileobj) -> None:
    """Refuse an archive that is not a workbook or would unpack to too much."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(f"This is not a readable XLSX workbook ({error}).") from None
    finally:
        fileobj.seek(0)
    if len(members) > settings.IMPORT_XLSX_MAX_MEMBERS:
        raise ImportFileError(
            f"The XLSX archive holds {len(members):,} files, more than the "
            f"{settings.IMPORT_XLSX_MAX_MEMBERS:,} accepted: this is not a spreadsheet export."
        )
    if not any(info.filename == "[Content_Types].xml" for info in members):
        raise ImportFileError("This is a zip archive, not an XLSX workbook.")
    largest, ratio = settings.IMPORT_XLSX_MAX_MEMBER_SIZE, settings.IMPORT_XLSX_MAX_RATIO
    total = packed = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise ImportFileError("The workbook is encrypted: save it without a password.")
        if info.file_size > largest:
            raise ImportFileError(
                f"The workbook's part {info.filename[:100]} unpacks to {_size(info.file_size)}, "
                f"more than the {_size(largest)} accepted."
            )
        if info.file_size > RATIO_FROM_SIZE and info.file_size > ratio * max(info.compress_size, 1):
            raise ImportFileError(_bomb_message(info.file_size, info.compress_size))
        total += info.file_size
        packed += info.compress_size
    if total > settings.IMPORT_XLSX_MAX_TOTAL_SIZE:
        raise ImportFileError(
            f"The workbook unpacks to {_size(total)}, more than the "
            f"{_size(settings.IMPORT_XLSX_MAX_TOTAL_SIZE)} accepted."
        )
    if total > RATIO_FROM_SIZE and total > ratio * max(packed, 1):
        raise ImportFileError(_bomb_message(total, packed))


def _size(size: int) -> str:
    return f"{size / MiB:,.0f} MB" if size >= 10 * MiB else f"{size / 1024:,.0f} KB"


def _bomb_message(size: int, packed: int) -> str:
    return (
        f"The workbook is compressed {size // max(packed, 1):,} to 1, more than the "
        f"{settings.IMPORT_XLSX_MAX_RATIO:,} to 1 of any spreadsheet: it looks like a zip "
        "bomb and is refused."
    )


def _reason(error: BaseException) -> str:
    """What went wrong inside a workbook, in a few words."""
    from defusedxml import DefusedXmlException

    cause = error
    while cause.__cause__ is not None:  # openpyxl wraps the parser's error in a ValueError
        cause = cause.__cause__
    if isinstance(cause, DefusedXmlException):
        return "its XML declares entities or a DTD, which are refused"
    if isinstance(cause, ExpatError) or type(cause).__name__ == "ParseError":
        return f"its XML is not well-formed: {cause}"
    if isinstance(cause, zipfile.BadZipFile | zlib.error | EOFError):
        return f"the archive is damaged: {cause}"
    if isinstance(cause, KeyError):
        return f"a part of it is missing: {cause}"
    text = str(cause) or type(cause).__name__
    return text if len(text) <= 200 else text[:200] + "…"


class SheetRows:
    """The first worksheet's rows: iterate for (row number, {column: value}, problem),
    where problem is "" or why the row cannot be read. `width` (set once the header is
    known) is how many columns are kept; cells to its right are dropped."""

    def __init__(self, fileobj):
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet
        from openpyxl.xml import DEFUSEDXML

        if not DEFUSEDXML:
            raise ImportFileError(
                "XLSX files cannot be read safely on this server (defusedxml is missing): "
                "upload the table as CSV."
            )
        check_archive(fileobj)
        # What openpyxl reads of a workbook, short of its sheets: the parts, the shared
        # strings, which styles are dates, the epoch. (Its read-only worksheets would parse
        # a sheet without dimensions once in full just to size it.)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unknown extensions, default styles...
                reader = ExcelReader(fileobj, read_only=True, data_only=True)
                self.archive = reader.archive
                reader.read_manifest()
                reader.read_strings()
                reader.read_workbook()
                apply_stylesheet(reader.archive, reader.wb)
                paths = [
                    rel.target
                    for _, rel in reader.parser.find_sheets()
                    if rel.Type.endswith("/worksheet")
                ]
        except Exception as error:
            if hasattr(self, "archive"):
                self.archive.close()
            raise ImportFileError(
                f"This is not a readable XLSX workbook: {_reason(error)}."
            ) from None
        if not paths or paths[0] not in reader.valid_files:
            self.archive.close()
            if paths:
                raise ImportFileError(
                    f"The workbook's first worksheet ({paths[0][:100]}) is missing from it."
                )
            raise ImportFileError("The workbook has no worksheet.")
        path = paths[0]
        workbook = reader.wb
        self.strings = reader.shared_strings
        self.epoch = workbook.epoch
        self.date_formats = workbook._date_formats
        self.timedelta_formats = workbook._timedelta_formats
        self.size = self.archive.getinfo(path).file_size
        self.source = CountingReader(self.archive.open(path))
        self.width = settings.IMPORT_MAX_COLUMNS
        self.row = 0  # the row being read (progress, messages)

    @property
    def position(self) -> int:
        return self.source.consumed

    def close(self) -> None:
        self.source.raw.close()
        self.archive.close()

    def __iter__(self) -> Iterator[tuple[int, dict, str]]:
        try:
            yield from self._rows()
        except ImportFileError:
            raise
        except Exception as error:  # anything the XML parser, zipfile or openpyxl raise
            raise ImportFileError(
                f"Row {self.row or 1} of the sheet cannot be read: {_reason(error)}."
            ) from None
        finally:
            self.close()

    def _rows(self) -> Iterator[tuple[int, dict, str]]:
        parser = _SheetParser(self)
        expat = parser.expat
        while not parser.done:
            chunk = self.source.read(1 << 16)
            expat.Parse(chunk, not chunk)
            yield from parser.rows
            parser.rows.clear()
            if not chunk:
                break


def _refuse_dtd(*args) -> None:
    raise ImportFileError(
        "This is not a readable XLSX workbook: its XML declares entities or a DTD, "
        "which are refused."
    )


class _SheetParser:
    """Expat callbacks reading a worksheet's rows, as openpyxl's cell parser does, without
    building any element: a cell's attributes and text are all it keeps. XML defused as
    defusedxml does it (no DTD at all here: a sheet never needs one)."""

    def __init__(self, sheet: SheetRows):
        from openpyxl.utils.datetime import from_excel
        from openpyxl.utils.datetime import from_ISO8601
        from openpyxl.worksheet._reader import _cast_number

        self.cast_number, self.from_excel, self.from_iso = _cast_number, from_excel, from_ISO8601
        self.sheet = sheet
        self.rows: list[tuple[int, dict, str]] = []
        self.done = False
        self.max_cells = settings.IMPORT_MAX_COLUMNS
        self.max_chars = settings.IMPORT_MAX_CELL_CHARS
        self.in_data = self.in_row = self.in_cell = self.in_string = self.in_phonetic = False
        self.collect = False
        self.cells: dict[int, object] = {}
        self.count = self.column = self.chars = 0
        self.problem = ""
        self.reference = self.kind = self.style = None
        self.text: list[str] = []
        self.local: dict[str, str] = {}
        expat = self.expat = ParserCreate()
        expat.buffer_text = True
        expat.StartDoctypeDeclHandler = _refuse_dtd
        expat.EntityDeclHandler = _refuse_dtd
        expat.UnparsedEntityDeclHandler = _refuse_dtd
        expat.ExternalEntityRefHandler = _refuse_dtd
        expat.StartElementHandler = self.start
        expat.EndElementHandler = self.end
        expat.CharacterDataHandler = self.data

    def _local(self, name: str) -> str:
        local = self.local.get(name)
        if local is None:
            local = name.rpartition(":")[2]  # x:row -> row: any prefix of the namespace
            if len(self.local) < 100:
                self.local[name] = local
        return local

    def start(self, name: str, attributes: dict) -> None:
        local = self.local.get(name) or self._local(name)
        if local == "c":
            if not self.in_row:
                return
            self.count += 1
            if self.count > self.max_cells:
                raise ImportFileError(
                    f"Row {self.sheet.row} has more than {self.max_cells:,} cells: this is not "
                    "a table of rows to import."
                )
            self.in_cell = True
            self.reference = attributes.get("r")
            self.kind = attributes.get("t", "n")
            self.style = attributes.get("s")
            self.text, self.chars = [], 0
        elif local == "v" or (local == "t" and self.in_string and not self.in_phonetic):
            self.collect = self.in_cell
        elif local == "is":
            self.in_string = self.in_cell
        elif local == "rPh":
            self.in_phonetic = True
        elif local == "row" and self.in_data:
            self.sheet.row = self._row_number(attributes.get("r"))
            self.in_row, self.cells, self.count, self.column, self.problem = True, {}, 0, 0, ""
        elif local == "sheetData":
            self.in_data = True

    def end(self, name: str) -> None:
        local = self.local.get(name) or self._local(name)
        if local in ("v", "t"):
            self.collect = False
        elif local == "c" and self.in_cell:
            self.in_cell = self.in_string = False
            self._cell()
        elif local == "is":
            self.in_string = False
        elif local == "rPh":
            self.in_phonetic = False
        elif local == "row" and self.in_row:
            self.in_row = False
            self.rows.append((self.sheet.row, self.cells, self.problem))
        elif local == "sheetData":
            # Rows live in sheetData only: what follows is not read.
            self.done = True
            self.expat.StartElementHandler = self.expat.EndElementHandler = None
            self.expat.CharacterDataHandler = None

    def data(self, text: str) -> None:
        if self.collect:
            self.chars += len(text)
            if self.chars <= self.max_chars:
                self.text.append(text)

    def _cell(self) -> None:
        reference = self.reference
        column = _column(reference, self.sheet.row) if reference else self.column + 1
        self.column = column
        width = self.sheet.width
        if column > width:
            if width == self.max_cells:  # the header row
                raise ImportFileError(
                    f"The sheet has a cell in column {column:,}, past the {self.max_cells:,} "
                    "columns accepted: this is not a table of rows to import."
                )
            return  # right of the header: not read
        if self.chars > self.max_chars:
            self.problem = f"a cell is longer than {self.max_chars:,} characters."
            return
        text = "".join(self.text)
        if not text and self.kind != "inlineStr":
            return
        try:
            self.cells[column] = self._value(text)
        except Exception as error:
            reason = (  # the only index a cell holds: into the shared strings
                "it refers to a shared string that does not exist"
                if isinstance(error, IndexError)
                else _reason(error)
            )
            where = f" ({reference[:20]!r})" if reference else ""
            raise ImportFileError(
                f"Row {self.sheet.row} has a cell that cannot be read{where}: {reason}."
            ) from None

    def _value(self, text: str):
        """The cell's value as openpyxl's WorkSheetParser.parse_cell gives it."""
        kind, sheet = self.kind, self.sheet
        if kind == "n":
            value = self.cast_number(text)
            style = int(self.style or 0)
            if style in sheet.date_formats:
                try:
                    return self.from_excel(
                        value, sheet.epoch, timedelta=style in sheet.timedelta_formats
                    )
                except (OverflowError, ValueError):
                    return "#VALUE!"  # a date serial out of range: an error cell
            return value
        if kind == "s":
            value = sheet.strings[int(text)]
            if len(value) > self.max_chars:
                self.problem = f"a cell is longer than {self.max_chars:,} characters."
                return ""
            return value
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return self.from_iso(text)
        return text  # str, inlineStr, e (an error such as #DIV/0!)

    def _row_number(self, reference: str | None) -> int:
        if reference is None:
            return self.sheet.row + 1
        if not reference.isdigit() or not 0 < int(reference) <= 10**9:
            raise ImportFileError(f"The sheet has a row numbered {reference[:20]!r}.")
        return int(reference)


_COLUMNS: dict[str, int] = {}


def _column(reference: str, row: int) -> int:
    """The column of a cell reference ("AB12" -> 28)."""
    if not _COLUMNS:
        from openpyxl.utils.cell import get_column_letter

        _COLUMNS.update((get_column_letter(index), index) for index in range(1, 16385))
    letters = reference.rstrip("0123456789")
    column = _COLUMNS.get(letters) or _COLUMNS.get(letters.upper())
    if column is None or len(letters) == len(reference):
        raise ImportFileError(
            f"Row {row} has a cell that cannot be read ({reference[:20]!r}): "
            "it is not a cell reference."
        )
    return column
