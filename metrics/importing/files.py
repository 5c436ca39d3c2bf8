"""What every import file goes through before its rows mean anything, for the metrics
imports (reader/) and the insight import (research/services/imports.py) alike, so both
say the same thing about the same file:

- whether it is text at all, and in which encoding: UTF-8 (with or without BOM), UTF-16
  with a BOM, else Windows-1252 or Latin-1 - said in a note, since such a file is not
  what it claims to be; binary files (images, PDFs, old .xls workbooks...) are refused;
- its CSV records, read with bounded memory: no line is held past IMPORT_MAX_LINE_CHARS
  characters, and a record that cannot be read (a line or a field over its limit) is
  reported with its line and reason while the reading goes on after it;
- how much of the rejected rows is kept for errors.csv (`RejectedRows`).

Pure Python: Django's settings only, no database.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from functools import partial

from django.conf import settings

SNIFF_BYTES = 64 * 1024
DRAIN_CHARS = 64 * 1024  # an over-long line is read on and dropped in pieces of this size
SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 (.xls) workbook: save it as .xlsx"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"{\\rtf", "an RTF document"),
]
UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, in one sentence."""


# --- Encodings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextEncoding:
    codec: str  # for TextIOWrapper: "utf-8-sig", "utf-16", "cp1252" or "latin-1"
    name: str  # what the import result shows: utf-8, utf-16, cp1252, latin-1
    head: str  # the file's first SNIFF_BYTES, decoded (delimiter detection)
    note: str = ""  # one sentence for the import's result, when there is something to say


def detect_encoding(fileobj, *, accepted: str = "CSV") -> TextEncoding:
    """The encoding of a text file, read once in full; ImportFileError when it is empty,
    binary or a broken UTF-16 file. `accepted` names the formats in the messages."""
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    for signature, what in SIGNATURES:
        if head.startswith(signature):
            raise ImportFileError(f"This is not a {accepted} file: it looks like {what}.")
    if head.startswith(UTF32_BOMS):
        raise ImportFileError("This file is UTF-32 text, which is not accepted: save it as UTF-8.")
    if head.startswith(UTF16_BOMS):
        codec, name = "utf-16", "utf-16"
    elif b"\x00" in head:
        if _looks_like_utf16(head):
            raise ImportFileError(
                f"This is not a {accepted} file: it looks like UTF-16 text without a "
                "byte-order mark; save it as UTF-8."
            )
        raise ImportFileError(
            f"This is not a {accepted} file (it looks binary; save the table as UTF-8 text)."
        )
    else:
        codec, name = "utf-8-sig", "utf-8"
    text = head.decode(codec, errors="replace")
    if not text.strip("\ufeff \r\n\t"):
        raise ImportFileError("The file is empty.")
    if "\x00" in text or len(CONTROL_CHARS.findall(text)) > len(text) / 100:
        raise ImportFileError(
            f"This is not a {accepted} file (it looks binary; save the table as UTF-8 text)."
        )
    problem = _first_undecodable(fileobj, codec)
    if problem is None:
        return TextEncoding(codec, name, text)
    position, line, byte = problem
    if codec == "utf-16":
        raise ImportFileError(
            "The file starts with a UTF-16 byte-order mark but is not valid UTF-16 "
            f"(at byte {position:,})."
        )
    codec, name, label = "cp1252", "cp1252", "Windows-1252"
    if _first_undecodable(fileobj, codec) is not None:
        codec, name, label = "latin-1", "latin-1", "Latin-1"
    note = (
        f"The file is not valid UTF-8 (byte 0x{byte:02X} on line {line:,}): it was read as "
        f"{label}; check its accented characters, or save it as UTF-8."
    )
    return TextEncoding(codec, name, head.decode(codec), note)


def _looks_like_utf16(head: bytes) -> bool:
    """ASCII text in UTF-16 without a BOM: every other byte is NUL."""
    sample = head[: 4096 - 4096 % 2]
    return len(sample) >= 4 and max(sample[0::2].count(0), sample[1::2].count(0)) > (
        0.9 * len(sample) / 2
    )


def _first_undecodable(fileobj, codec: str) -> tuple[int, int, int] | None:
    """(byte offset, line, byte) of the first byte `codec` cannot decode, or None."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset, lines = 0, 1
    try:
        while chunk := fileobj.read(1 << 20):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                at = max(error.start - pending, 0)
                bad = chunk[at] if at < len(chunk) else 0
                return offset + at, lines + chunk.count(b"\n", 0, at), bad
            offset += len(chunk)
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset, lines, 0
        return None
    finally:
        fileobj.seek(0)


class CountingReader(io.RawIOBase):
    """A binary reader that counts the bytes consumed (progress of a streamed file)."""

    def __init__(self, raw):
        self.raw = raw
        self.consumed = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.consumed += size
        return size


# --- CSV records with bounded memory ----------------------------------------------------------


class LineTooLong(Exception):
    """A line over the limit: it was read on to its end and dropped."""


def _refuse(line: int, reason: str) -> None:
    raise ImportFileError(f"Line {line}: {reason}")


class CsvLines:
    """A CSV file's records with the line each ends on, as the csv module reads them.

    Most lines of an export hold no quote: those are split on the delimiter directly (less
    than half the csv module's cost per row, which matters at millions of rows). A line
    with a quote - a record that may go on over several lines - or anything else unusual
    is handed to the csv module, which reads that record and gives the lines back.

    No line is held longer than `line_limit` characters: a longer one is read on to its end
    in pieces and dropped. A record the csv module cannot read (such a line, a field over
    the csv module's limit, a quoted field never closed) goes to `on_error(line, reason)`,
    with the line it begins on, and the reading goes on after it: if the record stopped
    inside a quoted field (an odd count of quotes so far), the lines up to the closing
    quote are part of it and skipped too.
    """

    def __init__(self, text, delimiter: str, *, line_limit: int | None = None, on_error=None):
        self.text = text
        self.delimiter = delimiter
        self.line_limit = line_limit or settings.IMPORT_MAX_LINE_CHARS
        # A line within the limit always comes whole, its line end (\r\n) included.
        self.readline = partial(text.readline, self.line_limit + 2)
        self.on_error: Callable[[int, str], None] = on_error or _refuse
        self.number = 0  # lines read so far
        self.pending: str | None = None
        self.quotes = 0  # quote characters in the lines of the csv module's current record
        self.reader = csv.reader(self, delimiter=delimiter)

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line, self.pending = self.pending, None
        if line is None:
            line = self.readline()
            if not line:
                raise StopIteration
        self.number += 1
        self.quotes += line.count('"')
        if len(line) > self.line_limit and len(line.rstrip("\r\n")) > self.line_limit:
            self._drop_rest(line, self.line_limit + 2)
            raise LineTooLong
        return line

    def _drop_rest(self, piece: str, size: int) -> None:
        """Read an over-long line on to its end (counting its quotes), holding a piece."""
        read = partial(self.text.readline, DRAIN_CHARS)
        while True:
            if piece.endswith("\n") or (piece.endswith("\r") and len(piece) < size):
                return
            if piece.endswith("\r"):  # cut after \r: a \n may follow, or the next line
                following = self.readline()
                if following != "\n":
                    self.pending = following or None
                return
            piece, size = read(), DRAIN_CHARS
            if not piece:
                return
            self.quotes += piece.count('"')

    def header(self) -> list[str]:
        """The first record; ImportFileError when there is none or it cannot be read."""
        try:
            return next(self.reader)
        except StopIteration:
            raise ImportFileError("The file is empty.") from None
        except LineTooLong:
            raise ImportFileError(
                f"The first line is longer than {self.line_limit:,} characters: "
                "this is not a table."
            ) from None
        except csv.Error as error:
            raise ImportFileError(f"The file is not a readable CSV table ({error}).") from None

    def records(self) -> Iterator[tuple[int, list[str]]]:
        delimiter, limit = self.delimiter, min(csv.field_size_limit(), self.line_limit)
        number = self.number
        for line in iter(self.readline, ""):
            if '"' in line or "\x00" in line or len(line) > limit:
                self.pending, self.number = line, number
                yield from self._csv_records()
                number = self.number
            else:
                number += 1
                text = line.rstrip("\r\n")
                yield number, text.split(delimiter) if text else []
        self.number = number

    def _csv_records(self) -> Iterator[tuple[int, list[str]]]:
        """Records read by the csv module, from the pending line on."""
        while self.pending is not None:
            self.quotes, first = 0, self.number + 1
            try:
                row = next(self.reader)  # reads on from self.text if the record goes on
            except StopIteration:
                return
            except LineTooLong:
                reason = f"the line is longer than {self.line_limit:,} characters."
            except csv.Error as error:
                if "field larger than field limit" in str(error):
                    reason = f"a field is longer than {csv.field_size_limit():,} characters."
                else:
                    reason = f"the record is not readable CSV ({error})."
            else:
                if self.quotes % 2 and self._at_end() and any("\n" in f or "\r" in f for f in row):
                    # The csv module gives a quoted field still open at the end of the file
                    # as a record: all the lines after its quote would be one cell.
                    self.on_error(first, "a quoted field opened on this line is never closed.")
                    return
                yield self.number, row
                continue
            self._skip_quoted_rest()
            self.on_error(first, reason)  # the line the record begins on

    def _at_end(self) -> bool:
        if self.pending is None:
            self.pending = self.readline() or None
        return self.pending is None

    def _skip_quoted_rest(self) -> None:
        while self.quotes % 2:
            try:
                next(self)
            except LineTooLong:
                continue
            except StopIteration:
                return


@dataclass
class CsvFile:
    """An opened CSV file: its header, and its records to read on from `lines`."""

    header: list[str]
    lines: CsvLines
    encoding: TextEncoding
    delimiter: str
    size: int
    position: Callable[[], int] = field(repr=False)

    @property
    def notes(self) -> list[str]:
        return [self.encoding.note] if self.encoding.note else []


def open_csv(fileobj, *, accepted: str = "CSV") -> CsvFile:
    """Open a CSV file for streaming: encoding, delimiter (comma, semicolon or tab) and
    header; ImportFileError when it is not a table (empty, binary, too wide...)."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    encoding = detect_encoding(fileobj, accepted=accepted)
    counter = CountingReader(fileobj)
    text = io.TextIOWrapper(
        io.BufferedReader(counter, 1 << 16), encoding=encoding.codec, newline=""
    )
    first_line = (encoding.head.lstrip("\ufeff").splitlines() or [""])[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    lines = CsvLines(text, delimiter)
    header = lines.header()
    check_width(len(header))
    return CsvFile(
        header=header,
        lines=lines,
        encoding=encoding,
        delimiter=delimiter,
        size=size,
        position=lambda: counter.consumed,
    )


def check_width(columns: int) -> None:
    limit = settings.IMPORT_MAX_COLUMNS
    if columns > limit:
        raise ImportFileError(
            f"The file has {columns:,} columns, more than the {limit:,} accepted: "
            "this is not a table of rows to import."
        )


# --- Rejected rows ------------------------------------------------------------------------------


class RejectedRows:
    """How much of the rejected rows is kept (errors.csv): the first
    IMPORT_MAX_REJECTED_ROWS, each cell cut to IMPORT_MAX_REJECTED_CELL_CHARS characters
    (and a row to IMPORT_MAX_COLUMNS cells), IMPORT_MAX_REJECTED_SIZE characters in all.
    Every rejected row is counted; past a cap, the rows are only counted."""

    def __init__(self):
        self.count = 0
        self.kept = 0
        self.size = 0
        self.full = False
        self.max_rows = settings.IMPORT_MAX_REJECTED_ROWS
        self.max_size = settings.IMPORT_MAX_REJECTED_SIZE
        self.cell_chars = settings.IMPORT_MAX_REJECTED_CELL_CHARS
        self.max_cells = settings.IMPORT_MAX_COLUMNS

    def keep(self, cells) -> list[str] | None:
        """The row's cells to keep, cut to size; None once a cap is reached."""
        self.count += 1
        if self.full:
            return None
        kept = self.cut(cells)
        size = sum(len(text) + 1 for text in kept)
        if self.kept >= self.max_rows or self.size + size > self.max_size:
            self.full = True
            return None
        self.kept += 1
        self.size += size
        return kept

    def cut(self, cells) -> list[str]:
        """The cells as text, each cut to the length kept; a NUL character (which
        PostgreSQL stores in no text or JSON) is kept as U+FFFD."""
        limit = self.cell_chars
        return [
            (text if len(text) <= limit else text[:limit] + "…").replace("\x00", "\ufffd")
            for text in ("" if cell is None else str(cell) for cell in cells[: self.max_cells])
        ]

    @property
    def note(self) -> str:
        dropped = self.count - self.kept
        if not dropped:
            return ""
        return (
            f"{self.count:,} rows were rejected: errors.csv lists the first {self.kept:,}, "
            f"the other {dropped:,} are only counted."
        )
