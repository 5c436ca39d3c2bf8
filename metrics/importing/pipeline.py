# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""The data path of one import: stream -> validate -> staging table -> merge into facts.

1. The file is read as a stream and each row validated (reader/); rejected rows go to an
   errors CSV on disk (errors_file.py). Campaign, product and feature names become small
   integer codes on the way (encoders.py). Good rows go to a temporary staging table.
2. Unknown campaigns, products and features are created (dimensions.py; dimensions first:
   the facts reference them without a database constraint), duplicate keys inside the
   file are rejected (the first line wins), and the staged rows are merged into the facts
   on the natural key, writing only rows whose values changed (merge.py) - PostgreSQL 15:
   MERGE ... WHEN MATCHED AND (...) IS DISTINCT FROM (...); into a date range that holds
   no facts yet, a plain INSERT; SQLite: INSERT ... ON CONFLICT DO UPDATE ... WHERE
   <changed>.

On PostgreSQL the two steps overlap, one transaction holding the workspace's import lock:
a thread reads and validates the next chunk of the file (chunks.py; Python, one core)
while the server COPYs and merges the previous one (the other core). A chunk ends where a
day ends, so while the file's days come grouped (as exports are) each chunk's duplicate
keys were already caught in the reader, and merging it cannot meet a row of a later chunk.
Once the days stop coming grouped, the rest is staged and checked for duplicates in SQL
first. A failure anywhere rolls the whole import back. On SQLite (the embedded default)
the steps run one after the other.

No model object is built per row and nothing per row stays in memory.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field

from django.db import connection

from alignment.locks import workspace_lock
from metrics.importing.chunks import Chunk
from metrics.importing.chunks import ChunkReader
from metrics.importing.chunks import prompt_gil_handoff
from metrics.importing.dimensions import DimensionResolver
from metrics.importing.encoders import DAY_KEYS_LIMIT
from metrics.importing.encoders import ENCODERS
from metrics.importing.encoders import CampaignEncoder
from metrics.importing.encoders import Encoder
from metrics.importing.encoders import SurveyEncoder
from metrics.importing.encoders import UsageEncoder
from metrics.importing.errors_file import ERROR_SAMPLE
from metrics.importing.errors_file import ErrorWriter
from metrics.importing.merge import DATED_FACTS
from metrics.importing.merge import MergeStrategy
from metrics.importing.merge import PostgresMerge
from metrics.importing.merge import SqliteUpsert
from metrics.importing.merge import merge_strategy
from metrics.importing.reader import CONTRACTS
from metrics.importing.reader import RowError
from metrics.importing.reader import Table
from metrics.importing.reader import Validator

# Importable from here as before the split (tests patch CHUNK_ROWS and workspace_lock here).
__all__ = [
    "CHUNK_ROWS",
    "DATED_FACTS",
    "DAY_KEYS_LIMIT",
    "ENCODERS",
    "ERROR_SAMPLE",
    "CampaignEncoder",
    "Chunk",
    "ChunkReader",
    "Encoder",
    "ErrorWriter",
    "ImportOutcome",
    "Importer",
    "MergeStrategy",
    "PostgresMerge",
    "SqliteUpsert",
    "SurveyEncoder",
    "UsageEncoder",
    "workspace_lock",
]

CHUNK_ROWS = 50_000  # the first chunk's reading and the last one's merge do not overlap


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
        self.stage = f"metrics_stage_{job_id}"
        self.encoder = ENCODERS[kind]()
        self.errors = ErrorWriter(kind)
        self.merge = merge_strategy(
            kind=kind,
            workspace_id=workspace_id,
            job_id=job_id,
            stage=self.stage,
            encoder=self.encoder,
            errors=self.errors,
        )
        self.validator = Validator(kind, naive_utc=self.merge.naive_utc)
        self.dimensions = DimensionResolver(
            kind=kind, workspace_id=workspace_id, stage=self.stage, merge=self.merge
        )
        self.rows_read = 0
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

    def _reading_progress(self, percent: int) -> None:
        """From the reader's thread: how far the reading is, and the rows read so far."""
        self.on_progress(percent, self.rows_read)

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
            if self.merge.overlapped:
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
        merge = self.merge  # overlapped: PostgresMerge (COPY; merging from a point on)
        reader = ChunkReader(
            name=f"import-{self.job_id}",
            table=table,
            encoder=self.encoder,
            rows=self._clean_rows(table, self.encoder.text, numbered=True),
            chunk_rows=CHUNK_ROWS,
            on_progress=self._reading_progress,
        )
        try:
            with (
                prompt_gil_handoff(),
                workspace_lock("import", self.workspace_id),
                connection.cursor() as cursor,
            ):
                self._prepare(cursor)
                tail = None  # where the rows merged after the whole file begin
                next_block, merged_through = 0, 0  # where the next chunk's rows will be
                for chunk in reader:
                    since = (next_block, merged_through)
                    merge.copy(cursor, chunk.data)
                    self.dimensions.resolve(cursor, outcome, chunk.dimensions)
                    if tail is None and (not chunk.grouped or self.dimensions.remapped):
                        tail = since
                    if tail is None:
                        next_block = merge.merge_staged(
                            cursor, outcome, kept=self.kept, since=since, dates=chunk.dates
                        )
                        merged_through = chunk.last_line
                reader.join()
                tail_started = time.perf_counter()
                if tail is not None:
                    cursor.execute(f"ANALYZE {self.stage}")
                    self._check_duplicates(cursor)
                    merge.merge_staged(cursor, outcome, kept=self.kept, since=tail)
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
            self.dimensions.resolve(cursor, outcome, self.encoder.new_dimensions())
            self._check_duplicates(cursor)
            self.merge.merge_staged(cursor, outcome, kept=self.kept)

    def _prepare(self, cursor) -> None:
        """Inside the import's transaction: the database's settings and staging tables."""
        self.merge.prepare(cursor)
        self.dimensions.create_map(cursor)

    def _check_duplicates(self, cursor) -> None:
        self.merge.check_duplicates(
            cursor, aliases=self.dimensions.aliases, remapped=self.dimensions.remapped
        )

    def _drop_staging(self) -> None:
        with connection.cursor() as cursor:
            for suffix in ("", "_dim", "_map", "_dup"):
                cursor.execute(f"DROP TABLE IF EXISTS {self.stage}{suffix}")
