# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""The data path of one import: stream -> validate -> staging table -> merge into facts.

1. The file is read as a stream and each row validated (reader.py). Good rows go to a
   temporary staging table - PostgreSQL: COPY FROM STDIN fed by a file-like generator;
   SQLite: executemany - in chunks, with the job's progress written between chunks (in
   autocommit, so the page polling it sees it). Rejected rows go to an errors CSV on disk.
   Campaign, product and feature names become small integer codes on the way.
2. In one transaction holding the workspace's import lock: unknown campaigns, products and
   features are created (dimensions first, the facts reference them without a database
   constraint), duplicate keys inside the file are rejected (the first line wins), and the
   staging rows are merged into the facts on the natural key, writing only rows whose
   values changed - PostgreSQL 15: MERGE ... WHEN MATCHED AND (...) IS DISTINCT FROM (...);
   SQLite: INSERT ... ON CONFLICT DO UPDATE ... WHERE <changed>.

No model object is built per row and nothing per row stays in memory.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.db import connection

from alignment.models import Feature, Product
from launches.models import Campaign
from metrics.importing.reader import CONTRACTS, RowError, Table, Validator, neutralise
from metrics.locks import workspace_lock
from metrics.models import ImportKind

CHUNK_ROWS = 100_000
DAY_KEYS_LIMIT = 200_000
ERROR_SAMPLE = 20


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
    """Rejected rows, streamed to a temporary CSV: line, column, reason, then the row."""

    def __init__(self, kind: str):
        self.fields = CONTRACTS[kind].fields
        self.count = 0
        self.sample: list[dict] = []
        self.file = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 - handed on
        self.text = io.TextIOWrapper(
            self.file, encoding="utf-8-sig", newline="", write_through=True
        )
        self.writer = csv.writer(self.text)
        self.writer.writerow(["line", "column", "reason", *self.fields])

    def add(self, line: int, column: str, reason: str, values) -> None:
        self.count += 1
        self.writer.writerow([line, column, reason, *(neutralise(v) for v in values)])
        if len(self.sample) < ERROR_SAMPLE:
            self.sample.append({"line": line, "column": column, "reason": reason})

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


# --- COPY feed ------------------------------------------------------------------------------


class CopyFeed:
    """A file-like object for copy_expert: reads up to `limit` lines from a generator."""

    def __init__(self, lines: Iterator[str], limit: int):
        self.lines = lines
        self.left = limit
        self.exhausted = False

    def read(self, size: int = 8192) -> str:
        wanted = min(2000, self.left)
        if wanted <= 0:
            return ""
        batch = list(islice(self.lines, wanted))
        self.left -= len(batch)
        if len(batch) < wanted:
            self.exhausted = True
        return "".join(batch)

    readline = read


# --- The import --------------------------------------------------------------------------------


class Importer:
    """Runs one import of `table` (reader.Table) or of prepared rows into `workspace_id`."""

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
        self.remapped = False
        self.fresh_range = False

    # Stream ------------------------------------------------------------------------------

    def _clean_rows(self, table: Table, encode) -> Iterator:
        validate = self.validator.validate
        errors = self.errors
        for line, values in table.rows():
            self.rows_read += 1
            try:
                encoded = encode(line, validate(values))
            except RowError as error:
                errors.add(line, error.column, error.reason, values)
                continue
            yield encoded

    def run(self, table: Table) -> ImportOutcome:
        self._drop_staging()
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {self.stage} ({self.encoder.staging_columns})"
                )
            started = time.perf_counter()
            self._load(table)
            loaded = time.perf_counter()
            self.on_progress(99, self.rows_read)
            outcome = self._merge()
            outcome.timings = {
                "load": round(loaded - started, 2),
                "merge": round(time.perf_counter() - loaded, 2),
            }
            return outcome
        finally:
            self._drop_staging()

    def _load(self, table: Table) -> None:
        if self.postgres:
            lines = self._clean_rows(table, self.encoder.text)
            raw = connection.cursor().cursor  # psycopg2 cursor under Django's wrapper
            sql = f"COPY {self.stage} FROM STDIN"
            while True:
                feed = CopyFeed(lines, CHUNK_ROWS)
                raw.copy_expert(sql, feed, size=1 << 16)
                self.on_progress(table.progress, self.rows_read)
                if feed.exhausted:
                    break
            return
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

    def _drop_staging(self) -> None:
        with connection.cursor() as cursor:
            for suffix in ("", "_dim", "_map", "_dup"):
                cursor.execute(f"DROP TABLE IF EXISTS {self.stage}{suffix}")

    # Merge -------------------------------------------------------------------------------

    def _merge(self) -> ImportOutcome:
        outcome = ImportOutcome(rows_read=self.rows_read)
        with workspace_lock("import", self.workspace_id), connection.cursor() as cursor:
            if self.postgres:
                # Hash joins and aggregates over the staging rows stay in memory, and the
                # planner knows how big the (never autovacuumed) staging table is.
                cursor.execute(f"SET LOCAL work_mem = '{settings.METRICS_IMPORT_WORK_MEM}'")
                cursor.execute("SET LOCAL default_statistics_target = 10")
                cursor.execute(f"ANALYZE {self.stage}")
            if self.kind == ImportKind.CAMPAIGN:
                outcome.created = self._resolve_campaigns(cursor)
            elif self.kind == ImportKind.USAGE:
                outcome.created = self._resolve_usage(cursor)
            if self.remapped or not self.encoder.grouped:
                self._reject_duplicates(cursor)
            # Every row read is either rejected (in Python or as a duplicate above) or staged:
            # no COUNT(*) over the staging table.
            outcome.rows_imported = self.rows_read - self.errors.count
            table = {
                ImportKind.CAMPAIGN: "metrics_campaignmetric",
                ImportKind.USAGE: "metrics_usagemetric",
            }.get(self.kind)
            if table and self.encoder.date_from:
                cursor.execute(
                    f"SELECT NOT EXISTS (SELECT 1 FROM {table} WHERE workspace_id = %s "
                    "AND date BETWEEN %s AND %s)",
                    [self.workspace_id, self.encoder.date_from, self.encoder.date_to],
                )
                self.fresh_range = bool(cursor.fetchone()[0])
            for sql, params in self._merge_statements():
                cursor.execute(sql, params)
                outcome.rows_changed += max(cursor.rowcount, 0)
        outcome.rows_rejected = self.errors.count
        outcome.error_sample = self.errors.sample
        outcome.errors_file = self.errors.finish()
        outcome.date_from, outcome.date_to = self.encoder.date_from, self.encoder.date_to
        return outcome

    def _fill_dim_table(self, cursor, columns: str, rows: list[tuple]) -> None:
        cursor.execute(f"CREATE TEMPORARY TABLE {self.stage}_dim ({columns})")
        if rows:
            width = columns.count(",") + 1
            cursor.executemany(
                f"INSERT INTO {self.stage}_dim VALUES ({', '.join(['%s'] * width)})", rows
            )

    def _match(self, cursor, sql: str) -> dict[int, int]:
        cursor.execute(sql, [self.workspace_id])
        return dict(cursor.fetchall())

    def _resolve_campaigns(self, cursor) -> dict:
        names = self.encoder.names
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
            created = sorted(Campaign.objects.filter(pk__in=new_ids).values_list("name", flat=True))
        self._write_map(cursor, {code: (campaign_id,) for code, campaign_id in found.items()})
        return {"campaigns": created} if created else {}

    def _resolve_usage(self, cursor) -> dict:
        encoder = self.encoder
        self._fill_dim_table(cursor, "code integer, name text", encoder.product_names)
        match = (
            f"SELECT d.code, p.id FROM {self.stage}_dim d JOIN alignment_product p "
            "ON p.workspace_id = %s AND lower(p.name) = lower(d.name)"
        )
        products = self._match(cursor, match)
        created: dict[str, list[str]] = {}
        missing = [name for code, name in encoder.product_names if code not in products]
        if missing:
            before = set(products.values())
            Product.objects.bulk_create(
                [Product(workspace_id=self.workspace_id, name=name) for name in missing],
                ignore_conflicts=True,
            )
            products = self._match(cursor, match)
            created["products"] = sorted(
                Product.objects.filter(pk__in=set(products.values()) - before).values_list(
                    "name", flat=True
                )
            )
        cursor.execute(f"DROP TABLE {self.stage}_dim")
        named = [
            (code, products[product_code], name)
            for code, product_code, name in encoder.pair_names
            if name
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
            for code, product_code, name in encoder.pair_names
        }
        self._write_map(cursor, targets)
        return created

    def _write_map(self, cursor, targets: dict[int, tuple]) -> None:
        """code -> dimension ids. Two codes for one target (names the database folds alike)
        are merged into one, so duplicate detection sees them as the same key."""
        canonical: dict[tuple, int] = {}
        for code, target in sorted(targets.items()):
            first = canonical.setdefault(target, code)
            if first != code:
                self.remapped = True
                cursor.execute(f"UPDATE {self.stage} SET code = %s WHERE code = %s", [first, code])
        rows = [(code, *target) for target, code in canonical.items()]
        columns = "code integer, a bigint" + (", b bigint" if self.kind == ImportKind.USAGE else "")
        cursor.execute(f"CREATE TEMPORARY TABLE {self.stage}_map ({columns})")
        if rows:
            placeholders = ", ".join(["%s"] * len(rows[0]))
            cursor.executemany(f"INSERT INTO {self.stage}_map VALUES ({placeholders})", rows)
        if self.postgres:
            # Without statistics the planner guesses the map at thousands of rows and
            # hashes the million-row staging table instead of the few-hundred-row map.
            cursor.execute(f"ANALYZE {self.stage}_map")

    def _reject_duplicates(self, cursor) -> None:
        """Rows repeating a key already seen earlier in the same file are rejected."""
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

    def _merge_statements(self) -> list[tuple[str, list]]:
        ws, job = self.workspace_id, self.job_id
        stage, mapped = self.stage, f"{self.stage}_map"
        if self.kind == ImportKind.CAMPAIGN:
            values = ("spend", "impressions", "clicks", "visits", "leads", "purchases", "revenue")
            source = (
                "SELECT m.a AS campaign_id, s.date, s.channel, "
                f"{', '.join('s.' + v for v in values)} "
                f"FROM {stage} s JOIN {mapped} m ON m.code = s.code{self._order('s.date, m.a')}"
            )
            return [
                self._upsert(
                    table="metrics_campaignmetric",
                    source=source,
                    keys=("date", "campaign_id", "channel"),
                    values=values,
                    params=[ws, job],
                )
            ]
        if self.kind == ImportKind.USAGE:
            values = ("active_users", "events", "new_users", "retained_users")
            select = (
                f"SELECT m.a AS product_id, m.b AS feature_id, s.date, "
                f"{', '.join('s.' + v for v in values)} FROM {stage} s JOIN {mapped} m "
                "ON m.code = s.code"
            )
            return [
                self._upsert(
                    table="metrics_usagemetric",
                    source=f"{select} WHERE m.b IS NOT NULL{self._order('s.date, m.a, m.b')}",
                    keys=("date", "product_id", "feature_id"),
                    values=values,
                    params=[ws, job],
                ),
                self._upsert(
                    table="metrics_usagemetric",
                    source=f"{select} WHERE m.b IS NULL{self._order('s.date, m.a')}",
                    keys=("date", "product_id"),
                    values=values,
                    params=[ws, job],
                    null_feature=True,
                ),
            ]
        values = ("scale", "score", "comment")
        source = f"SELECT submitted_at, survey, respondent, scale, score, comment FROM {stage}"
        return [
            self._upsert(
                table="metrics_surveyresponse",
                source=source,
                keys=("submitted_at", "survey", "respondent"),
                values=values,
                params=[ws, job],
            )
        ]

    def _order(self, columns: str) -> str:
        """Into an empty date range, insert in index order: each new key then lands on the
        rightmost leaf of the natural-key index. Over existing rows, sorting only costs."""
        return f" ORDER BY {columns}" if self.fresh_range else ""

    def _upsert(self, *, table, source, keys, values, params, null_feature=False):
        """One statement writing new and changed rows only; params are [workspace, job]."""
        inserted = ["workspace_id", *keys, *values, "import_job_id"]
        if null_feature:
            inserted.insert(inserted.index("import_job_id"), "feature_id")
        constants = {"workspace_id": "%s", "import_job_id": "%s"}
        if null_feature:
            constants["feature_id"] = "NULL"
        if self.postgres:
            on = " AND ".join(["t.workspace_id = %s", *(f"t.{k} = s.{k}" for k in keys)])
            if null_feature:
                on += " AND t.feature_id IS NULL"
            range_params = []
            if "date" in keys and self.encoder.date_from:
                # Only the file's dates can match: the target is read by an index range
                # scan instead of hashing the workspace's every fact.
                on += " AND t.date BETWEEN %s AND %s"
                range_params = [self.encoder.date_from, self.encoder.date_to]
            source_values = [constants.get(column, f"s.{column}") for column in inserted]
            sql = (
                f"MERGE INTO {table} AS t USING ({source}) AS s ON {on} "
                f"WHEN MATCHED AND ({', '.join('t.' + v for v in values)}) IS DISTINCT FROM "
                f"({', '.join('s.' + v for v in values)}) THEN UPDATE SET "
                + ", ".join(f"{v} = s.{v}" for v in values)
                + ", import_job_id = %s "
                f"WHEN NOT MATCHED THEN INSERT ({', '.join(inserted)}) "
                f"VALUES ({', '.join(source_values)})"
            )
            ws, job = params
            return sql, [ws, *range_params, job, ws, job]
        selected = [constants.get(column, column) for column in inserted]
        conflict = ", ".join(["workspace_id", *keys])
        where = " WHERE feature_id IS NULL" if null_feature else ""
        changed = " AND ".join(f"{table}.{v} IS excluded.{v}" for v in values)
        sql = (
            f"INSERT INTO {table} ({', '.join(inserted)}) "
            f"SELECT {', '.join(selected)} FROM ({source}) WHERE true "
            f"ON CONFLICT ({conflict}){where} DO UPDATE SET "
            + ", ".join(f"{v} = excluded.{v}" for v in values)
            + ", import_job_id = excluded.import_job_id"
            f" WHERE NOT ({changed})"
        )
        return sql, params
