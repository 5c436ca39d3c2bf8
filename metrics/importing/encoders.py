"""Per-kind encoding of clean rows into staging rows: names become small integer codes.

An encoder turns the validator's clean tuple into a row of the staging table: COPY text
(PostgreSQL) or a parameter tuple (SQLite). On the way it numbers the campaign, product and
feature names it meets (the importer resolves the codes into dimension ids in bulk), notes
the dates the rows cover, and, while the file's days come grouped, rejects a key repeated
within a day in bounded memory.
"""

from __future__ import annotations

from metrics.importing.reader import CAMPAIGN_NUMBERS
from metrics.importing.reader import NAME_CACHE
from metrics.importing.reader import USAGE_NUMBERS
from metrics.importing.reader import RowError
from metrics.models import ImportKind

DAY_KEYS_LIMIT = 200_000


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
