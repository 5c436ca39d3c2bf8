# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""The data path of one import: stream -> validate -> staging table -> merge into facts.

1. The file is read as a stream and each row validated (reader.py); rejected rows go to an
   errors CSV on disk. Campaign, product and feature names become small integer codes on
   the way. Good rows go to a temporary staging table.
2. Unknown campaigns, products and features are created (dimensions first: the facts
   reference them without a database constraint), duplicate keys inside the file are
   rejected (the first line wins), and the staged rows are merged into the facts on the
   natural key, writing only rows whose values changed - PostgreSQL 15: MERGE ... WHEN
   MATCHED AND (...) IS DISTINCT FROM (...); into a date range that holds no facts yet, a
   plain INSERT; SQLite: INSERT ... ON CONFLICT DO UPDATE ... WHERE <changed>.

On PostgreSQL the two steps overlap, one transaction holding the workspace's import lock:
a thread reads and validates the next chunk of the file (Python, one core) while the
server COPYs and merges the previous one (the other core). A chunk ends where a day ends,
so while the file's days come grouped (as exports are) each chunk's duplicate keys were
already caught in the reader, and merging it cannot meet a row of a later chunk. Once the
days stop coming grouped, the rest is staged and checked for duplicates in SQL first.
A failure anywhere rolls the whole import back. On SQLite (the embedded default) the
steps run one after the other.

No model object is built per row and nothing per row stays in memory.
"""

from __future__ import annotations

import contextlib
import csv
import io
import queue
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import connection

from alignment.models import Feature, Product
from launches.models import Campaign
from metrics.importing.files import RejectedRows
from metrics.importing.reader import (
    CAMPAIGN_NUMBERS,
    CONTRACTS,
    NAME_CACHE,
    USAGE_NUMBERS,
    RowError,
    Table,
    Validator,
    neutralise,
)
from metrics.locks import workspace_lock
from metrics.models import ImportKind

CHUNK_ROWS = 50_000  # the first chunk's reading and the last one's merge do not overlap
DAY_KEYS_LIMIT = 200_000
ERROR_SAMPLE = 20
DATED_FACTS = {  # fact tables keyed by (workspace, date, ...): merged by date range
    ImportKind.CAMPAIGN: "metrics_campaignmetric",
    ImportKind.USAGE: "metrics_usagemetric",
}


@dataclass
class ImportOutcome:
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    rows_changed: int = 0
    created: dict = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    error_sample: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # sentences for the job's message
    errors_file: object = None  # an open binary file of the rejected rows, or None
    timings: dict = field(default_factory=dict)  # seconds per phase


def _esc(text: str) -> str:
    """A value for COPY's text format."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class ErrorWriter:
    """Rejected rows, streamed to a temporary CSV: line, column, reason, then the row.

    Every rejected row is counted; the first ones are written, each cell cut to a sane
    length (files.RejectedRows), so a file of bad rows cannot fill the disk."""

    def __init__(self, kind: str):
        self.fields = CONTRACTS[kind].fields
        self.count = 0
        self.sample: list[dict] = []
        self.kept = RejectedRows()
        self.file = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 - handed on
        self.text = io.TextIOWrapper(
            self.file, encoding="utf-8-sig", newline="", write_through=True
        )
        self.writer = csv.writer(self.text)
        self.writer.writerow(["line", "column", "reason", *self.fields])

    def add(self, line: int, column: str, reason: str, values) -> None:
        self.count += 1
        if len(self.sample) < ERROR_SAMPLE:
            self.sample.append({"line": line, "column": column, "reason": reason})
        cells = self.kept.keep(values)
        if cells is not None:
            self.writer.writerow([line, column, reason, *(neutralise(v) for v in cells)])

    @property
    def note(self) -> str:
        return self.kept.note

    def finish(self):
        self.text.flush()
        self.text.detach()
        if not self.count:
            self.file.close()
            return None
        self.file.seek(0)
        return self.file


# --- Per-kind encoding of clean rows into staging rows ---------------------------------------


class Encoder:
    """Turns a clean tuple into a staging row; names become integer codes."""

    staging_columns: str = ""
    key_columns: tuple[str, ...] = ()

    key_label = ""

    def __init__(self):
        self.date_from: str | None = None
        self.date_to: str | None = None
        # While rows arrive grouped by day (as exports are), a duplicate key can only
        # repeat within the current day's rows: caught here, in bounded memory. Once a
        # day comes back, the merge checks the whole staging table in SQL instead.
        self.grouped = bool(self.key_label)
        self.seen_days: set[str] = set()
        self.day_keys: dict | None = {} if self.grouped else None

    last_day = None
    days: dict[str, str] = {}  # the validator's cache: raw date -> its validated ISO date

    def fast_text(self, line: int, values: list[str]) -> str | None:
        """The staging row of a row every part of which the validator has accepted before
        (its names and date on an earlier row, its numbers by the validator's own pattern);
        None sends the row the long way, through the validator."""
        return None

    def remember(self, values: list[str], clean: tuple) -> None:
        """After the long way: what fast_text needs to know about this row's names."""

    def new_dimensions(self) -> tuple:
        """The names first seen since the last call, for the importer to resolve."""
        return ()

    def check_key(self, key, line: int) -> None:
        first = self.day_keys.setdefault(key, line)
        if len(self.day_keys) > DAY_KEYS_LIMIT:  # one huge day: let SQL check the file
            self.grouped, self.day_keys = False, None
        if first != line:
            raise RowError(
                self.key_label, f"duplicate key: the same {self.key_label} as line {first}"
            )

    def track_date(self, value: str) -> None:
        self.last_day = value
        if self.grouped:
            if value in self.seen_days:
                self.grouped, self.day_keys = False, None
            else:
                self.seen_days.add(value)
                self.day_keys = {}
        day = value[:10]
        if self.date_from is None or day < self.date_from:
            self.date_from = day
        if self.date_to is None or day > self.date_to:
            self.date_to = day
        if self.chunk_from is None or day < self.chunk_from:
            self.chunk_from = day
        if self.chunk_to is None or day > self.chunk_to:
            self.chunk_to = day

    chunk_from = chunk_to = None

    def chunk_dates(self) -> tuple[str | None, str | None]:
        """The dates of the rows since the last call (and of the row read last, which may
        begin the next chunk: a range too wide by a day is only slower, never wrong)."""
        dates = (self.chunk_from, self.chunk_to)
        self.chunk_from = self.chunk_to = self.last_day[:10] if self.last_day else None
        return dates


class CampaignEncoder(Encoder):
    staging_columns = (
        "line integer, code integer, date date, channel text, spend numeric(14,2), "
        "impressions bigint, clicks bigint, visits bigint, leads bigint, purchases bigint, "
        "revenue numeric(14,2)"
    )
    key_columns = ("code", "date", "channel")
    key_label = "campaign, date, channel"

    def __init__(self):
        super().__init__()
        self.codes: dict[str, int] = {}
        self.exact: dict[str, int] = {}  # bounded by the number of distinct names
        self.pairs: dict[tuple[str, str], tuple[int, str]] = {}
        self.names: list[tuple[int, str, str]] = []
        self.handed_over = 0
        self.known: dict[tuple[str, str], tuple] = {}  # raw names -> code, COPY text, key

    def fast_text(self, line, values):
        known = self.known.get((values[1], values[2]))
        day = self.days.get(values[0])
        if known is None or day is None:
            return None
        numbers = "\t".join(values[3:10])
        if not CAMPAIGN_NUMBERS.fullmatch(numbers):
            return None
        if day != self.last_day:
            self.track_date(day)
        if self.day_keys is not None:
            self.check_key(known[2], line)
        return f"{line}\t{known[0]}\t{day}\t{known[1]}\t{numbers}\n"

    def remember(self, values, clean):
        if len(self.known) < NAME_CACHE:
            code = self.exact[clean[1]]
            self.known[(values[1], values[2])] = (code, _esc(clean[2]), (code, clean[2]))

    def new_dimensions(self) -> tuple:
        names, self.handed_over = self.names[self.handed_over :], len(self.names)
        return names

    def code(self, name: str, channel: str) -> int:
        code = self.exact.get(name)
        if code is not None:
            return code
        key = name.lower()
        code = self.exact[name] = self.codes.get(key)
        if code is None:
            code = self.codes[key] = self.exact[name] = len(self.codes) + 1
            self.names.append((code, name, channel))
        return code

    def tuple(self, line, row):
        self._key(line, row)
        return (line, self._last_code, row[0], row[2], *row[3].split("\t"))

    _last_code = 0

    def _key(self, line, row):
        day = row[0]
        if day != self.last_day:
            self.track_date(day)
        code = self._last_code = self.code(row[1], row[2])
        if self.day_keys is not None:
            self.check_key((code, row[2]), line)

    def text(self, line, row):
        day = row[0]
        if day != self.last_day:
            self.track_date(day)
        pair = self.pairs.get((row[1], row[2]))
        if pair is None:
            pair = (self.code(row[1], row[2]), _esc(row[2]))
            if len(self.pairs) < 50_000:
                self.pairs[(row[1], row[2])] = pair
        if self.day_keys is not None:
            self.check_key((pair[0], row[2]), line)
        return f"{line}\t{pair[0]}\t{day}\t{pair[1]}\t{row[3]}\n"


class UsageEncoder(Encoder):
    staging_columns = (
        "line integer, code integer, date date, active_users bigint, events bigint, "
        "new_users bigint, retained_users bigint"
    )
    key_columns = ("code", "date")
    key_label = "product, feature, date"

    def __init__(self):
        super().__init__()
        self.products: dict[str, int] = {}
        self.product_names: list[tuple[int, str]] = []
        self.pairs: dict[tuple[int, str], int] = {}
        self.pair_names: list[tuple[int, int, str]] = []  # (code, product code, feature name)
        self.exact: dict[tuple[str, str], int] = {}
        self.handed_over = (0, 0)
        self.known: dict[tuple[str, str], int] = {}  # raw names -> code

    def fast_text(self, line, values):
        code = self.known.get((values[1], values[2]))
        day = self.days.get(values[0])
        if code is None or day is None:
            return None
        numbers = "\t".join(values[3:7])
        if not USAGE_NUMBERS.fullmatch(numbers) or int(values[6]) > int(values[3]):
            return None
        if day != self.last_day:
            self.track_date(day)
        if self.day_keys is not None:
            self.check_key(code, line)
        return f"{line}\t{code}\t{day}\t{numbers}\n"

    def remember(self, values, clean):
        if len(self.known) < NAME_CACHE:
            self.known[(values[1], values[2])] = self.exact[(clean[1], clean[2])]

    def new_dimensions(self) -> tuple:
        products, pairs = self.handed_over
        self.handed_over = (len(self.product_names), len(self.pair_names))
        return self.product_names[products:], self.pair_names[pairs:]

    def code(self, product: str, feature: str) -> int:
        exact = self.exact.get((product, feature))
        if exact is None:
            exact = self.exact[(product, feature)] = self._code(product, feature)
        return exact

    def _code(self, product: str, feature: str) -> int:
        product_key = product.lower()
        product_code = self.products.get(product_key)
        if product_code is None:
            product_code = self.products[product_key] = len(self.products) + 1
            self.product_names.append((product_code, product))
        pair = (product_code, feature.lower())
        code = self.pairs.get(pair)
        if code is None:
            code = self.pairs[pair] = len(self.pairs) + 1
            self.pair_names.append((code, product_code, feature))
        return code

    def _key(self, line, row) -> int:
        day = row[0]
        if day != self.last_day:
            self.track_date(day)
        code = self.code(row[1], row[2])
        if self.day_keys is not None:
            self.check_key(code, line)
        return code

    def tuple(self, line, row):
        return (line, self._key(line, row), row[0], *row[3].split("\t"))

    def text(self, line, row):
        return f"{line}\t{self._key(line, row)}\t{row[0]}\t{row[3]}\n"


class SurveyEncoder(Encoder):
    staging_columns = (
        "line integer, submitted_at timestamptz, survey text, respondent text, scale text, "
        "score smallint, comment text"
    )
    key_columns = ("submitted_at", "survey", "respondent")

    def tuple(self, line, row):
        self.track_date(row[0])
        return (line, *row)

    def text(self, line, row):
        self.track_date(row[0])
        return (
            f"{line}\t{row[0]}\t{_esc(row[1])}\t{_esc(row[2])}\t{row[3]}\t{row[4]}\t"
            f"{_esc(row[5])}\n"
        )


ENCODERS = {
    ImportKind.CAMPAIGN: CampaignEncoder,
    ImportKind.USAGE: UsageEncoder,
    ImportKind.SURVEY: SurveyEncoder,
}


# --- Chunks: the reader's thread hands validated rows over to the database's --------------


class _Cancelled(Exception):
    """The importer gave up (an error on its side): stop reading."""


@dataclass
class Chunk:
    data: bytes  # staging rows in COPY's text format
    last_line: int  # the file's line of the chunk's last row
    dates: tuple  # (first, last) date of its rows, or wider
    grouped: bool  # every row's duplicate key was checked in the reader
    dimensions: tuple  # names first seen since the previous chunk (Encoder.new_dimensions)


class ChunkReader(threading.Thread):
    """Reads, validates and encodes the file into chunks, ahead of the merge: Python works
    on one core while PostgreSQL copies and merges the previous chunk on the other.

    A chunk holds CHUNK_ROWS rows or more, up to the end of the day it reached (twice that
    at most, for one huge day). Progress is written from this thread, on its own database
    connection, so that it is visible while the import's transaction is still open.
    """

    def __init__(self, importer: Importer, table: Table):
        super().__init__(name=f"import-{importer.job_id}", daemon=True)
        self.importer = importer
        self.table = table
        self.chunks: queue.Queue = queue.Queue(maxsize=1)  # one chunk ahead: flat memory
        self.cancelled = threading.Event()

    def __iter__(self) -> Iterator[Chunk]:
        self.start()
        while True:
            item = self.chunks.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def cancel(self) -> None:
        self.cancelled.set()
        with contextlib.suppress(queue.Empty):
            while True:
                self.chunks.get_nowait()
        self.join(timeout=30)

    def run(self) -> None:
        try:
            self._read()
            self.importer.on_progress(99, self.importer.rows_read)  # merging what is left
            self._hand_over(None)
        except _Cancelled:
            pass
        except BaseException as error:  # re-raised in the importer's thread
            self._hand_over(error)
        finally:
            connection.close()  # this thread's own connection (progress)

    def _read(self) -> None:
        importer, encoder, table = self.importer, self.importer.encoder, self.table
        size = CHUNK_ROWS
        # Rows are joined into bytes a few thousand at a time: a long join would hold the
        # GIL for milliseconds while the importer's thread waits to answer the database.
        parts: list[bytes] = []
        lines: list[str] = []
        rows, cut_day, last_line = 0, None, 0
        for line, encoded in importer._clean_rows(table, encoder.text, numbered=True):
            if cut_day is not None and (encoder.last_day != cut_day or rows >= 2 * size):
                # `encoded` starts the next chunk; its day (or the cap) closes this one.
                parts.append("".join(lines).encode())
                self._emit(b"".join(parts), last_line)
                parts, lines, rows, cut_day = [], [], 0, None
            lines.append(encoded)
            rows += 1
            last_line = line
            if len(lines) == 2000:
                parts.append("".join(lines).encode())
                lines = []
            if cut_day is None and rows >= size:
                cut_day = encoder.last_day
        if rows:
            parts.append("".join(lines).encode())
            self._emit(b"".join(parts), last_line)

    def _emit(self, data: bytes, last_line: int) -> None:
        encoder = self.importer.encoder
        chunk = Chunk(
            data=data,
            last_line=last_line,
            dates=encoder.chunk_dates(),
            grouped=encoder.grouped,
            dimensions=encoder.new_dimensions(),
        )
        if not self._hand_over(chunk):
            raise _Cancelled
        self.importer.on_progress(self.table.progress, self.importer.rows_read)

    def _hand_over(self, item) -> bool:
        while not self.cancelled.is_set():
            try:
                self.chunks.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False


_handoff_lock = threading.Lock()
_handoff_users = 0
_handoff_default = sys.getswitchinterval()


@contextlib.contextmanager
def _prompt_gil_handoff():
    """While an import runs, a thread waiting for the GIL gets it within 0.1 ms instead of
    5 ms: the reader thread holds it between the database's answers, and every answer the
    importer's thread waited for cost the idle database up to the whole interval (measured:
    ~1.2 s per 1M-row import). The process-wide setting is restored by the last import."""
    global _handoff_users
    with _handoff_lock:
        _handoff_users += 1
        sys.setswitchinterval(0.0001)
    try:
        yield
    finally:
        with _handoff_lock:
            _handoff_users -= 1
            if not _handoff_users:
                sys.setswitchinterval(_handoff_default)


# --- The import --------------------------------------------------------------------------------


class Importer:
    """Runs one import of `table` (reader.Table) into `workspace_id`."""

    def __init__(
        self,
        *,
        workspace_id: int,
        kind: str,
        job_id: int,
        on_progress: Callable[[int, int], None] | None = None,
    ):
        self.workspace_id = workspace_id
        self.kind = kind
        self.job_id = job_id
        self.on_progress = on_progress or (lambda percent, rows: None)
        self.postgres = connection.vendor == "postgresql"
        self.stage = f"metrics_stage_{job_id}"
        self.encoder = ENCODERS[kind]()
        self.validator = Validator(kind, naive_utc=not self.postgres)
        self.errors = ErrorWriter(kind)
        self.rows_read = 0
        self.canonical: dict[tuple, int] = {}  # dimension ids -> the code standing for them
        self.aliases: dict[int, int] = {}  # a code whose names fold onto another's target
        self.remapped = False
        self.known_products: list[tuple[int, str]] = []  # (code, name), resolved so far
        self.kept: tuple[str, ...] = ()  # measures the file leaves out: not updated

    def _clean_rows(self, table: Table, encode, *, numbered: bool = False) -> Iterator:
        validate = self.validator.validate
        errors = self.errors
        encoder = self.encoder
        # SQLite's tuples have no fast path: the embedded default imports small files.
        fast_text = encoder.fast_text if encode == encoder.text else lambda line, values: None
        encoder.days = self.validator.clean_date.cache
        table.on_unreadable = self._unreadable
        for line, values in table.rows():
            self.rows_read += 1
            try:
                encoded = fast_text(line, values)
                if encoded is None:
                    clean = validate(values)
                    encoded = encode(line, clean)
                    encoder.remember(values, clean)
            except RowError as error:
                errors.add(line, error.column, error.reason, values)
                continue
            yield (line, encoded) if numbered else encoded

    def _unreadable(self, line: int, reason: str) -> None:
        """A row the reader could not read at all (a line or a cell over its limit)."""
        self.rows_read += 1
        self.errors.add(line, "", reason, [])

    def run(self, table: Table) -> ImportOutcome:
        self._drop_staging()
        outcome = ImportOutcome()
        self.kept = tuple(table.uncarried)
        started = time.perf_counter()
        try:
            if self.postgres:
                self._run_overlapped(table, outcome)
            else:
                self._run_sequential(table, outcome)
        finally:
            self._drop_staging()
        outcome.rows_read = self.rows_read
        # Every row read is either rejected (by the reader or as a duplicate) or imported.
        outcome.rows_imported = self.rows_read - self.errors.count
        outcome.rows_rejected = self.errors.count
        outcome.error_sample = self.errors.sample
        outcome.notes = [*table.notes, *filter(None, [self.errors.note, self._kept_note()])]
        outcome.errors_file = self.errors.finish()
        outcome.date_from, outcome.date_to = self.encoder.date_from, self.encoder.date_to
        outcome.timings["total"] = round(time.perf_counter() - started, 2)
        return outcome

    def _kept_note(self) -> str:
        if not self.kept:
            return ""
        blank = CONTRACTS[self.kind].blank
        given = f"got {blank}" if blank else "got an empty one"
        names = ", ".join(self.kept)
        return (
            f"This file has no {names} column{'s' if len(self.kept) > 1 else ''}: "
            f"existing values were kept; new rows {given}."
        )

    def _run_overlapped(self, table: Table, outcome: ImportOutcome) -> None:
        reader = ChunkReader(self, table)
        try:
            with (
                _prompt_gil_handoff(),
                workspace_lock("import", self.workspace_id),
                connection.cursor() as cursor,
            ):
                self._prepare(cursor)
                copy = cursor.cursor.copy_expert  # psycopg2's, under Django's wrapper
                tail = None  # where the rows merged after the whole file begin
                next_block, merged_through = 0, 0  # where the next chunk's rows will be
                for chunk in reader:
                    since = (next_block, merged_through)
                    data = io.BytesIO(chunk.data)  # read in one go: each read waits for the GIL
                    copy(f"COPY {self.stage} FROM STDIN", data, size=len(chunk.data) + 1)
                    self._resolve(cursor, outcome, chunk.dimensions)
                    if tail is None and (not chunk.grouped or self.remapped):
                        tail = since
                    if tail is None:
                        next_block = self._merge_staged(
                            cursor, outcome, since=since, dates=chunk.dates
                        )
                        merged_through = chunk.last_line
                reader.join()
                tail_started = time.perf_counter()
                if tail is not None:
                    cursor.execute(f"ANALYZE {self.stage}")
                    self._check_duplicates(cursor)
                    self._merge_staged(cursor, outcome, since=tail)
                outcome.timings["after_reading"] = round(time.perf_counter() - tail_started, 2)
        finally:
            reader.cancel()

    def _run_sequential(self, table: Table, outcome: ImportOutcome) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {self.stage} ({self.encoder.staging_columns})")
        rows = self._clean_rows(table, self.encoder.tuple)
        width = len(re.findall(r"(?:^|, )\w+ ", self.encoder.staging_columns))
        insert = f"INSERT INTO {self.stage} VALUES ({', '.join(['%s'] * width)})"
        batch, last = [], time.monotonic()
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(row)
                if len(batch) >= 5000:
                    cursor.executemany(insert, batch)
                    batch.clear()
                    if time.monotonic() - last > 0.5:
                        self.on_progress(table.progress, self.rows_read)
                        last = time.monotonic()
            if batch:
                cursor.executemany(insert, batch)
        self.on_progress(99, self.rows_read)
        with workspace_lock("import", self.workspace_id), connection.cursor() as cursor:
            self._prepare(cursor)
            self._resolve(cursor, outcome, self.encoder.new_dimensions())
            self._check_duplicates(cursor)
            self._merge_staged(cursor, outcome)

    def _prepare(self, cursor) -> None:
        """Inside the import's transaction: staging tables and (PostgreSQL) settings."""
        if self.postgres:
            # Hash joins and aggregates over the staging rows stay in memory.
            cursor.execute(f"SET LOCAL work_mem = '{settings.METRICS_IMPORT_WORK_MEM}'")
            cursor.execute("SET LOCAL default_statistics_target = 10")
            cursor.execute(f"CREATE TEMPORARY TABLE {self.stage} ({self.encoder.staging_columns})")
        cursor.execute(f"CREATE TEMPORARY TABLE {self.stage}_map ({self._map_columns})")

    @property
    def _map_columns(self) -> str:
        return "code integer, a bigint" + (", b bigint" if self.kind == ImportKind.USAGE else "")

    def _drop_staging(self) -> None:
        with connection.cursor() as cursor:
            for suffix in ("", "_dim", "_map", "_dup"):
                cursor.execute(f"DROP TABLE IF EXISTS {self.stage}{suffix}")

    # Dimensions ----------------------------------------------------------------------------

    def _resolve(self, cursor, outcome: ImportOutcome, dimensions) -> None:
        """Codes of names first seen -> dimension ids, creating the unknown ones."""
        if self.kind == ImportKind.CAMPAIGN:
            created = self._resolve_campaigns(cursor, dimensions)
        elif self.kind == ImportKind.USAGE:
            created = self._resolve_usage(cursor, *dimensions)
        else:
            return
        for name, values in created.items():
            outcome.created[name] = sorted([*outcome.created.get(name, []), *values])

    def _fill_dim_table(self, cursor, columns: str, rows: list[tuple]) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {self.stage}_dim")
        cursor.execute(f"CREATE TEMPORARY TABLE {self.stage}_dim ({columns})")
        self._insert(cursor, f"{self.stage}_dim", columns, rows)

    def _insert(self, cursor, table: str, columns: str, rows: list[tuple]) -> None:
        """Rows into a small staging table. PostgreSQL: in one statement, one array per
        column (hundreds of single-row INSERTs would each wait for the database)."""
        if not rows:
            return
        types = [column.split()[1] for column in columns.split(", ")]
        if self.postgres:
            arrays = ", ".join(f"%s::{kind}[]" for kind in types)
            cursor.execute(
                f"INSERT INTO {table} SELECT * FROM unnest({arrays})",
                [list(values) for values in zip(*rows, strict=True)],
            )
            return
        placeholders = ", ".join(["%s"] * len(types))
        cursor.executemany(f"INSERT INTO {table} VALUES ({placeholders})", rows)

    def _match(self, cursor, sql: str) -> dict[int, int]:
        cursor.execute(sql, [self.workspace_id])
        return dict(cursor.fetchall())

    def _resolve_campaigns(self, cursor, names: list[tuple[int, str, str]]) -> dict:
        if not names:
            return {}
        self._fill_dim_table(cursor, "code integer, name text, channel text", names)
        match = (
            f"SELECT d.code, c.id FROM {self.stage}_dim d JOIN launches_campaign c "
            "ON c.workspace_id = %s AND lower(c.name) = lower(d.name)"
        )
        found = self._match(cursor, match)
        missing = [(name, channel) for code, name, channel in names if code not in found]
        created = []
        if missing:
            before = set(found.values())
            Campaign.objects.bulk_create(
                [
                    Campaign(workspace_id=self.workspace_id, name=name, channel=channel)
                    for name, channel in missing
                ],
                ignore_conflicts=True,
            )
            found = self._match(cursor, match)
            new_ids = set(found.values()) - before
            created = list(Campaign.objects.filter(pk__in=new_ids).values_list("name", flat=True))
        self._extend_map(cursor, {code: (campaign_id,) for code, campaign_id in found.items()})
        return {"campaigns": created} if created else {}

    def _resolve_usage(self, cursor, product_names, pair_names) -> dict:
        if not pair_names:
            return {}
        self.known_products.extend(product_names)
        self._fill_dim_table(cursor, "code integer, name text", self.known_products)
        match = (
            f"SELECT d.code, p.id FROM {self.stage}_dim d JOIN alignment_product p "
            "ON p.workspace_id = %s AND lower(p.name) = lower(d.name)"
        )
        products = self._match(cursor, match)
        created: dict[str, list[str]] = {}
        missing = [name for code, name in product_names if code not in products]
        if missing:
            before = set(products.values())
            Product.objects.bulk_create(
                [Product(workspace_id=self.workspace_id, name=name) for name in missing],
                ignore_conflicts=True,
            )
            products = self._match(cursor, match)
            created["products"] = list(
                Product.objects.filter(pk__in=set(products.values()) - before).values_list(
                    "name", flat=True
                )
            )
        named = [
            (code, products[product_code], name) for code, product_code, name in pair_names if name
        ]
        self._fill_dim_table(cursor, "code integer, product_id bigint, name text", named)
        match = (
            f"SELECT d.code, f.id FROM {self.stage}_dim d JOIN alignment_feature f "
            "ON f.product_id = d.product_id AND f.workspace_id = %s "
            "AND lower(f.name) = lower(d.name)"
        )
        features = self._match(cursor, match)
        missing = [(product_id, name) for code, product_id, name in named if code not in features]
        if missing:
            before = set(features.values())
            Feature.objects.bulk_create(
                [
                    Feature(workspace_id=self.workspace_id, product_id=product_id, name=name)
                    for product_id, name in missing
                ],
                ignore_conflicts=True,
            )
            features = self._match(cursor, match)
            created["features"] = [
                str(feature)
                for feature in Feature.objects.filter(
                    pk__in=set(features.values()) - before
                ).select_related("product")
            ]
        targets = {
            code: (products[product_code], features.get(code) if name else None)
            for code, product_code, name in pair_names
        }
        self._extend_map(cursor, targets)
        return created

    def _extend_map(self, cursor, targets: dict[int, tuple]) -> None:
        """code -> dimension ids. A second code for one target (names the database folds
        alike) becomes an alias of the first, so duplicate detection sees one key."""
        rows = []
        for code, target in sorted(targets.items()):
            first = self.canonical.setdefault(target, code)
            if first != code:
                self.aliases[code] = first
                self.remapped = True
            else:
                rows.append((code, *target))
        if rows:
            self._insert(cursor, f"{self.stage}_map", self._map_columns, rows)
            if self.postgres:
                # Without statistics the planner guesses the map at thousands of rows and
                # hashes the staging rows instead of the few-hundred-row map.
                cursor.execute(f"ANALYZE {self.stage}_map")

    # Duplicates and merge --------------------------------------------------------------------

    def _check_duplicates(self, cursor) -> None:
        """Where the reader could not check every key: rows repeating a key seen on an earlier
        line of the file are rejected. Only rows not merged yet can be such repeats."""
        for code, first in self.aliases.items():
            cursor.execute(f"UPDATE {self.stage} SET code = %s WHERE code = %s", [first, code])
        if not (self.remapped or not self.encoder.grouped):
            return
        keys = self.encoder.key_columns
        group = ", ".join(keys)
        join = " AND ".join(f"s.{key} = d.{key}" for key in keys)
        cursor.execute(
            f"CREATE TEMPORARY TABLE {self.stage}_dup AS "
            f"SELECT s.line AS line, d.first_line AS first_line FROM {self.stage} s JOIN ("
            f"SELECT {group}, MIN(line) AS first_line FROM {self.stage} GROUP BY {group} "
            f"HAVING COUNT(*) > 1) d ON {join} WHERE s.line > d.first_line"
        )
        cursor.execute(f"SELECT COUNT(*) FROM {self.stage}_dup")
        if not cursor.fetchone()[0]:
            return
        key_names = {"code": "", "date": "date"}
        label = ", ".join(key_names.get(key, key) for key in keys if key_names.get(key, key))
        name_column = {"campaign": "campaign", "usage": "product/feature"}.get(self.kind)
        label = f"{name_column}, {label}" if name_column else label
        cursor.execute(f"SELECT d.line, d.first_line FROM {self.stage}_dup d ORDER BY d.line")
        while batch := cursor.fetchmany(5000):
            for line, first_line in batch:
                self.errors.add(
                    line, label, f"duplicate key: the same {label} as line {first_line}", []
                )
        cursor.execute(
            f"DELETE FROM {self.stage} WHERE line IN (SELECT line FROM {self.stage}_dup)"
        )

    def _merge_staged(self, cursor, outcome, *, since=None, dates=None) -> int | None:
        """Merge staged rows into the facts: all of them, or (PostgreSQL) those after
        `since` = (block, line): read from that block on (a TID range scan), past that line,
        dated within `dates` when the reader knows. Returns the staging table's last block
        (where the rows staged next begin)."""
        where, last_block = "true", None
        if since is not None:
            block, line = since
            where = f"s.ctid >= '({int(block)},0)'::tid AND s.line > {int(line)}"
        date_range, fresh = None, False
        table = DATED_FACTS.get(self.kind)
        if table and since is None:
            date_range = (self.encoder.date_from, self.encoder.date_to)
            cursor.execute(
                f"SELECT NOT EXISTS (SELECT 1 FROM {table} WHERE workspace_id = %s "
                "AND date BETWEEN %s AND %s)",
                [self.workspace_id, *date_range],
            )
            fresh = bool(cursor.fetchone()[0])
        elif table and dates:
            # One round trip: whether the workspace has facts on those dates, and the
            # staging table's last block.
            cursor.execute(
                f"SELECT NOT EXISTS (SELECT 1 FROM {table} WHERE workspace_id = %s "
                "AND date BETWEEN %s AND %s), greatest(pg_relation_size(%s) / "
                "current_setting('block_size')::integer - 1, 0)",
                [self.workspace_id, *dates, self.stage],
            )
            fresh, last_block = cursor.fetchone()
            date_range = dates
        elif table:
            # The dates of the staged rows, whether the workspace has facts on them, and
            # the staging table's last block.
            cursor.execute(
                f"SELECT r.low, r.high, NOT EXISTS (SELECT 1 FROM {table} f "
                "WHERE f.workspace_id = %s AND f.date BETWEEN r.low AND r.high), r.last_block "
                "FROM (SELECT min(s.date) AS low, max(s.date) AS high, greatest(pg_relation_size"
                "(%s) / current_setting('block_size')::integer - 1, 0) AS last_block "
                f"FROM {self.stage} s WHERE {where}) r",
                [self.workspace_id, self.stage],
            )
            low, high, fresh, last_block = cursor.fetchone()
            date_range = (low, high)
        if date_range and date_range[0] is None:
            return last_block  # nothing staged
        for sql, params in self._merge_statements(where, date_range, fresh):
            cursor.execute(sql, params)
            outcome.rows_changed += max(cursor.rowcount, 0)
        return last_block

    def _merge_statements(self, where: str, date_range, fresh: bool) -> list[tuple[str, list]]:
        ws, job = self.workspace_id, self.job_id
        stage, mapped = self.stage, f"{self.stage}_map"
        upsert = partial(self._upsert, params=[ws, job], date_range=date_range, fresh=fresh)
        if self.kind == ImportKind.CAMPAIGN:
            values = ("spend", "impressions", "clicks", "visits", "leads", "purchases", "revenue")
            source = (
                "SELECT m.a AS campaign_id, s.date, s.channel, "
                f"{', '.join('s.' + v for v in values)} "
                f"FROM {stage} s JOIN {mapped} m ON m.code = s.code WHERE {where}"
                f"{self._order('s.date, m.a', fresh)}"
            )
            return [
                upsert(
                    table="metrics_campaignmetric",
                    source=source,
                    keys=("date", "campaign_id", "channel"),
                    values=values,
                )
            ]
        if self.kind == ImportKind.USAGE:
            values = ("active_users", "events", "new_users", "retained_users")
            select = (
                f"SELECT m.a AS product_id, m.b AS feature_id, s.date, "
                f"{', '.join('s.' + v for v in values)} FROM {stage} s JOIN {mapped} m "
                f"ON m.code = s.code WHERE {where}"
            )
            return [
                upsert(
                    table="metrics_usagemetric",
                    source=f"{select} AND m.b IS NOT NULL{self._order('s.date, m.a, m.b', fresh)}",
                    keys=("date", "product_id", "feature_id"),
                    values=values,
                ),
                upsert(
                    table="metrics_usagemetric",
                    source=f"{select} AND m.b IS NULL{self._order('s.date, m.a', fresh)}",
                    keys=("date", "product_id"),
                    values=values,
                    null_feature=True,
                ),
            ]
        values = ("scale", "score", "comment")
        source = (
            "SELECT s.submitted_at, s.survey, s.respondent, s.scale, s.score, s.comment "
            f"FROM {stage} s WHERE {where}"
        )
        return [
            upsert(
                table="metrics_surveyresponse",
                source=source,
                keys=("submitted_at", "survey", "respondent"),
                values=values,
            )
        ]

    @staticmethod
    def _order(columns: str, fresh: bool) -> str:
        """Into an empty date range, insert in index order: each new key then lands on the
        rightmost leaf of the natural-key index. Over existing rows, sorting only costs."""
        return f" ORDER BY {columns}" if fresh else ""

    def _upsert(
        self, *, table, source, keys, values, params, date_range, fresh, null_feature=False
    ):
        """One statement writing new and changed rows only; params are [workspace, job].
        A measure the file leaves out (self.kept) is inserted with new keys but never
        updated: the stored value stays."""
        updated = [v for v in values if v not in self.kept]
        inserted = ["workspace_id", *keys, *values, "import_job_id"]
        if null_feature:
            inserted.insert(inserted.index("import_job_id"), "feature_id")
        constants = {"workspace_id": "%s", "import_job_id": "%s"}
        if null_feature:
            constants["feature_id"] = "NULL"
        if self.postgres:
            source_values = [constants.get(column, f"s.{column}") for column in inserted]
            ws, job = params
            if fresh:
                # The date range holds no facts of the workspace (checked under its import
                # lock) and the keys were checked unique: nothing to match against.
                sql = (
                    f"INSERT INTO {table} ({', '.join(inserted)}) "
                    f"SELECT {', '.join(source_values)} FROM ({source}) AS s"
                )
                return sql, [ws, job]
            on = " AND ".join(["t.workspace_id = %s", *(f"t.{k} = s.{k}" for k in keys)])
            if null_feature:
                on += " AND t.feature_id IS NULL"
            range_params = []
            if date_range:
                # Only the staged dates can match: the target is read by an index range
                # scan instead of hashing the workspace's every fact.
                on += " AND t.date BETWEEN %s AND %s"
                range_params = list(date_range)
            sql = (
                f"MERGE INTO {table} AS t USING ({source}) AS s ON {on} "
                f"WHEN MATCHED AND ({', '.join('t.' + v for v in updated)}) IS DISTINCT FROM "
                f"({', '.join('s.' + v for v in updated)}) THEN UPDATE SET "
                + ", ".join(f"{v} = s.{v}" for v in updated)
                + ", import_job_id = %s "
                f"WHEN NOT MATCHED THEN INSERT ({', '.join(inserted)}) "
                f"VALUES ({', '.join(source_values)})"
            )
            return sql, [ws, *range_params, job, ws, job]
        selected = [constants.get(column, column) for column in inserted]
        conflict = ", ".join(["workspace_id", *keys])
        where = " WHERE feature_id IS NULL" if null_feature else ""
        changed = " AND ".join(f"{table}.{v} IS excluded.{v}" for v in updated)
        sql = (
            f"INSERT INTO {table} ({', '.join(inserted)}) "
            f"SELECT {', '.join(selected)} FROM ({source}) WHERE true "
            f"ON CONFLICT ({conflict}){where} DO UPDATE SET "
            + ", ".join(f"{v} = excluded.{v}" for v in updated)
            + ", import_job_id = excluded.import_job_id"
            f" WHERE NOT ({changed})"
        )
        return sql, params
