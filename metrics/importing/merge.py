# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""Merge SQL: staged rows -> the fact tables, on the natural key, one strategy per database.

Both strategies reject the duplicate keys the reader could not catch, then write only the
rows whose values changed; they differ in the SQL the database runs best:

- `PostgresMerge` (PostgreSQL 15): MERGE ... WHEN MATCHED AND (...) IS DISTINCT FROM (...);
  into a date range that holds no facts yet, a plain INSERT. It merges chunk by chunk
  while the reader thread reads ahead (`overlapped`), each chunk from where the previous
  one ended in the staging table (a TID range scan).
- `SqliteUpsert` (the embedded default): INSERT ... ON CONFLICT DO UPDATE ... WHERE
  <changed>, once, over the whole staging table.

`merge_strategy()` is the one place that looks at the database vendor.
"""

from __future__ import annotations

import abc
import io
from functools import partial
from typing import TYPE_CHECKING
from typing import ClassVar

from django.conf import settings
from django.db import connection

from metrics.models import ImportKind

if TYPE_CHECKING:
    from metrics.importing.encoders import Encoder
    from metrics.importing.errors_file import ErrorWriter
    from metrics.importing.pipeline import ImportOutcome

DATED_FACTS = {  # fact tables keyed by (workspace, date, ...): merged by date range
    ImportKind.CAMPAIGN: "metrics_campaignmetric",
    ImportKind.USAGE: "metrics_usagemetric",
}


def merge_strategy(
    *, kind: str, workspace_id: int, job_id: int, stage: str, encoder: Encoder, errors: ErrorWriter
) -> MergeStrategy:
    """The strategy of the default database's vendor."""
    strategy = PostgresMerge if connection.vendor == "postgresql" else SqliteUpsert
    return strategy(
        kind=kind,
        workspace_id=workspace_id,
        job_id=job_id,
        stage=stage,
        encoder=encoder,
        errors=errors,
    )


class MergeStrategy(abc.ABC):
    """How one import's staged rows (table `stage`) reach the facts on one database.

    The importer calls, in its transaction: `prepare`, `insert` (and `analyze_map`) for
    the small tables of dimension resolution, `check_duplicates`, then `merge_staged`.
    """

    # The reader thread reads the next chunk while the database COPYs and merges this one
    # (`copy`, `merge_staged(since=...)`); otherwise all rows are staged, then merged.
    overlapped: ClassVar[bool] = False
    # The database stores UTC date-times without an offset (the validator writes them so).
    naive_utc: ClassVar[bool] = False

    def __init__(
        self,
        *,
        kind: str,
        workspace_id: int,
        job_id: int,
        stage: str,
        encoder: Encoder,
        errors: ErrorWriter,
    ):
        self.kind = kind
        self.workspace_id = workspace_id
        self.job_id = job_id
        self.stage = stage
        self.encoder = encoder
        self.errors = errors

    # Staging ---------------------------------------------------------------------------------

    @abc.abstractmethod
    def prepare(self, cursor) -> None:
        """Inside the import's transaction, first: what the database needs before staging."""

    def insert(self, cursor, *, table: str, columns: str, rows: list[tuple]) -> None:
        """Rows into a small staging table (dimension names, the code map)."""
        if not rows:
            return
        types = [column.split()[1] for column in columns.split(", ")]
        self._insert(cursor, table=table, types=types, rows=rows)

    @abc.abstractmethod
    def _insert(self, cursor, *, table: str, types: list[str], rows: list[tuple]) -> None: ...

    @abc.abstractmethod
    def analyze_map(self, cursor) -> None:
        """After codes were added to the map table: let the planner know its size."""

    # Duplicates ------------------------------------------------------------------------------

    def check_duplicates(self, cursor, *, aliases: dict[int, int], remapped: bool) -> None:
        """Where the reader could not check every key: rows repeating a key seen on an earlier
        line of the file are rejected. Only rows not merged yet can be such repeats."""
        for code, first in aliases.items():
            cursor.execute(f"UPDATE {self.stage} SET code = %s WHERE code = %s", [first, code])
        if not (remapped or not self.encoder.grouped):
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

    # Merge -----------------------------------------------------------------------------------

    def merge_staged(self, cursor, outcome: ImportOutcome, *, kept: tuple[str, ...]) -> None:
        """Merge all staged rows into the facts. `kept`: measures the file leaves out."""
        date_range, fresh = None, False
        table = DATED_FACTS.get(self.kind)
        if table:
            date_range = (self.encoder.date_from, self.encoder.date_to)
            cursor.execute(
                f"SELECT NOT EXISTS (SELECT 1 FROM {table} WHERE workspace_id = %s "
                "AND date BETWEEN %s AND %s)",
                [self.workspace_id, *date_range],
            )
            fresh = bool(cursor.fetchone()[0])
        self._merge(cursor, outcome, where="true", date_range=date_range, fresh=fresh, kept=kept)

    def _merge(self, cursor, outcome, *, where: str, date_range, fresh: bool, kept) -> None:
        if date_range and date_range[0] is None:
            return  # nothing staged
        for sql, params in self._statements(where, date_range, fresh, kept):
            cursor.execute(sql, params)
            outcome.rows_changed += max(cursor.rowcount, 0)

    def _statements(self, where: str, date_range, fresh: bool, kept) -> list[tuple[str, list]]:
        ws, job = self.workspace_id, self.job_id
        stage, mapped = self.stage, f"{self.stage}_map"
        upsert = partial(
            self.upsert, params=[ws, job], date_range=date_range, fresh=fresh, kept=kept
        )
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

    @abc.abstractmethod
    def upsert(
        self, *, table, source, keys, values, params, date_range, fresh, kept, null_feature=False
    ) -> tuple[str, list]:
        """One statement writing new and changed rows only; params are [workspace, job].
        A measure the file leaves out (`kept`) is inserted with new keys but never
        updated: the stored value stays."""


class PostgresMerge(MergeStrategy):
    overlapped = True

    def prepare(self, cursor) -> None:
        # Hash joins and aggregates over the staging rows stay in memory.
        cursor.execute(f"SET LOCAL work_mem = '{settings.METRICS_IMPORT_WORK_MEM}'")
        cursor.execute("SET LOCAL default_statistics_target = 10")
        cursor.execute(f"CREATE TEMPORARY TABLE {self.stage} ({self.encoder.staging_columns})")

    def copy(self, cursor, data: bytes) -> None:
        """A chunk's rows, in COPY's text format, into the staging table."""
        copy = cursor.cursor.copy_expert  # psycopg2's, under Django's wrapper
        # Read in one go: each read waits for the GIL.
        copy(f"COPY {self.stage} FROM STDIN", io.BytesIO(data), size=len(data) + 1)

    def _insert(self, cursor, *, table, types, rows) -> None:
        """In one statement, one array per column (hundreds of single-row INSERTs would each
        wait for the database)."""
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        cursor.execute(
            f"INSERT INTO {table} SELECT * FROM unnest({arrays})",
            [list(values) for values in zip(*rows, strict=True)],
        )

    def analyze_map(self, cursor) -> None:
        # Without statistics the planner guesses the map at thousands of rows and
        # hashes the staging rows instead of the few-hundred-row map.
        cursor.execute(f"ANALYZE {self.stage}_map")

    def merge_staged(
        self, cursor, outcome: ImportOutcome, *, kept: tuple[str, ...], since=None, dates=None
    ) -> int | None:
        """Merge staged rows into the facts: all of them, or those after `since` = (block,
        line): read from that block on (a TID range scan), past that line, dated within
        `dates` when the reader knows. Returns the staging table's last block (where the
        rows staged next begin)."""
        if since is None:
            super().merge_staged(cursor, outcome, kept=kept)
            return None
        block, line = since
        where = f"s.ctid >= '({int(block)},0)'::tid AND s.line > {int(line)}"
        date_range, fresh, last_block = None, False, None
        table = DATED_FACTS.get(self.kind)
        if table and dates:
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
        self._merge(cursor, outcome, where=where, date_range=date_range, fresh=fresh, kept=kept)
        return last_block

    def upsert(
        self, *, table, source, keys, values, params, date_range, fresh, kept, null_feature=False
    ):
        updated, inserted, constants = _columns(keys=keys, values=values, kept=kept)
        if null_feature:
            inserted.insert(inserted.index("import_job_id"), "feature_id")
            constants["feature_id"] = "NULL"
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


class SqliteUpsert(MergeStrategy):
    naive_utc = True

    def prepare(self, cursor) -> None:
        """Nothing: the staging table was filled while reading, before the import's lock."""

    def analyze_map(self, cursor) -> None:
        """Nothing: the embedded default's imports are small."""

    def _insert(self, cursor, *, table, types, rows) -> None:
        placeholders = ", ".join(["%s"] * len(types))
        cursor.executemany(f"INSERT INTO {table} VALUES ({placeholders})", rows)

    def upsert(
        self, *, table, source, keys, values, params, date_range, fresh, kept, null_feature=False
    ):
        updated, inserted, constants = _columns(keys=keys, values=values, kept=kept)
        if null_feature:
            inserted.insert(inserted.index("import_job_id"), "feature_id")
            constants["feature_id"] = "NULL"
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


def _columns(*, keys, values, kept) -> tuple[list[str], list[str], dict[str, str]]:
    """(updated, inserted, constants) of one statement: the measures written on a changed
    row (not those the file leaves out, `kept`), the columns of a new row, and the ones
    of those filled from a bound parameter rather than the staged row."""
    updated = [v for v in values if v not in kept]
    inserted = ["workspace_id", *keys, *values, "import_job_id"]
    constants = {"workspace_id": "%s", "import_job_id": "%s"}
    return updated, inserted, constants
