"""Reading import files as a stream: format and encoding detection, header mapping, and
row-by-row validation against the import contract of DESIGN.md.

Pure Python with no database access: `open_table()` returns a `Table` whose `rows()`
yields `(line, values)` for every data row (what any text file goes through first -
encoding, bounded CSV records - is in files.py, shared with the insight import; XLSX
workbooks are read by xlsx.py), and a `Validator` turns those values into
clean strings ready for the staging table or into a `(column, reason)` rejection. Nothing
is held per row, so memory stays flat whatever the file size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.conf import settings

from metrics.importing.files import CsvLines, ImportFileError, check_width, open_csv
from metrics.importing.xlsx import SheetRows
from metrics.models import ImportKind

MAX_TEXT = {"campaign": 200, "channel": 60, "product": 200, "feature": 200}
MAX_COUNT_DIGITS = 15
NAME_CACHE = 50_000  # distinct (campaign, channel) or (product, feature) pairs remembered
MONEY_RE = re.compile(r"\d{1,12}(?:\.\d{1,6})?")
# Thousands grouped in threes, as spreadsheets export amounts: "1,200.00" (the separators
# must differ from the decimal mark, so "1.200,00" reads as well). One separator before
# exactly three digits ("1,200", "1.200" in a count) could be either: see clean_money.
THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+")
GROUPED_DOT_DECIMAL = re.compile(r"\d{1,3}(?:,\d{3})+\.\d{1,6}")
GROUPED_COMMA_DECIMAL = re.compile(r"\d{1,3}(?:\.\d{3})+,\d{1,6}")
DECIMAL_COMMA = re.compile(r"\d{1,12},\d{1,6}")
WHOLE_WITH_ZEROS = re.compile(r"(\d{1,3}(?:,\d{3})+|\d{1,15})\.0+")  # 1,200.00 or 12.0
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_MONEY = r"\d{1,12}(?:\.\d{1,6})?"
_COUNT = r"\d{1,15}"
CAMPAIGN_NUMBERS = re.compile("\t".join([_MONEY, *[_COUNT] * 5, _MONEY]), re.ASCII)
USAGE_NUMBERS = re.compile("\t".join([_COUNT] * 4), re.ASCII)
CAMPAIGN_COUNTS = [(4, "impressions"), (5, "clicks"), (6, "visits"), (7, "leads"), (8, "purchases")]
USAGE_COUNTS = [(3, "active_users"), (4, "events"), (5, "new_users"), (6, "retained_users")]


# --- The contract --------------------------------------------------------------------------


@dataclass(frozen=True)
class Contract:
    fields: tuple[str, ...]
    required: tuple[str, ...]
    date_field: str
    # The values a file may leave out: on the keys it repeats, the stored ones are kept;
    # its new keys get `blank` (the fields' own empty value).
    measures: tuple[str, ...] = ()
    blank: str = "0"


CONTRACTS = {
    ImportKind.CAMPAIGN: Contract(
        fields=(
            "date",
            "campaign",
            "channel",
            "spend",
            "impressions",
            "clicks",
            "visits",
            "leads",
            "purchases",
            "revenue",
        ),
        required=("date", "campaign", "spend"),
        date_field="date",
        measures=("spend", "impressions", "clicks", "visits", "leads", "purchases", "revenue"),
    ),
    ImportKind.USAGE: Contract(
        fields=(
            "date",
            "product",
            "feature",
            "active_users",
            "events",
            "new_users",
            "retained_users",
        ),
        required=("date", "product", "active_users"),
        date_field="date",
        measures=("active_users", "events", "new_users", "retained_users"),
    ),
    ImportKind.SURVEY: Contract(
        fields=("submitted_at", "respondent", "survey", "score", "comment", "scale"),
        required=("submitted_at", "respondent", "survey", "score"),
        date_field="submitted_at",
        measures=("comment",),
        blank="",
    ),
}

# Headers of common ad-platform exports, matched case-insensitively.
PRESETS = {
    "google_ads": {
        "label": "Google Ads",
        "kind": ImportKind.CAMPAIGN,
        "columns": {
            "day": "date",
            "campaign": "campaign",
            "cost": "spend",
            "impr.": "impressions",
            "impressions": "impressions",
            "clicks": "clicks",
            "conversions": "purchases",
            "conv. value": "revenue",
            "all conv. value": "revenue",
        },
        "defaults": {"channel": "google_ads"},
    },
    "meta_ads": {
        "label": "Meta Ads",
        "kind": ImportKind.CAMPAIGN,
        "columns": {
            "reporting starts": "date",
            "campaign name": "campaign",
            "amount spent": "spend",
            "impressions": "impressions",
            "link clicks": "clicks",
            "landing page views": "visits",
            "leads": "leads",
            "results": "purchases",
            "purchases": "purchases",
            "purchase conversion value": "revenue",
        },
        "defaults": {"channel": "meta_ads"},
    },
}


def normalise_header(name) -> str:
    text = str(name or "").replace("\ufeff", "").strip().lower()
    # "Amount spent (EUR)" -> "amount spent": currency suffixes vary by account.
    return re.sub(r"\s*\([^)]*\)$", "", text)


@dataclass
class Mapping:
    """Which column of the file feeds each contract field (None: use the default)."""

    index: dict[str, int | None]
    defaults: dict[str, str]
    preset: str = ""
    twice: list[str] = field(default_factory=list)  # mapped headers written twice

    def uncarried(self, contract: Contract) -> list[str]:
        """The measures the file does not carry: no column of its own and no default."""
        return [
            name
            for name in contract.measures
            if self.index[name] is None and name not in self.defaults
        ]


def resolve_mapping(kind: str, header: list, columns=None, defaults=None) -> Mapping:
    """Map the header onto the contract, with a saved mapping, or a matching preset."""
    contract = CONTRACTS[kind]
    normalised = [normalise_header(name) for name in header]
    mapping = _try_mapping(contract, normalised, columns or {}, defaults or {})
    missing = [name for name in contract.required if mapping.index[name] is None]
    if missing and not columns:
        for preset_name, preset in PRESETS.items():
            if preset["kind"] != kind:
                continue
            candidate = _try_mapping(contract, normalised, preset["columns"], preset["defaults"])
            if all(candidate.index[name] is not None for name in contract.required):
                _refuse_twice(candidate)
                candidate.preset = preset_name
                return candidate
    _refuse_twice(mapping)
    if missing:
        names = [name if len(name) <= 40 else name[:40] + "…" for name in normalised if name]
        found = ", ".join(names[:10]) + (
            f" and {len(names) - 10:,} more" if len(names) > 10 else ""
        )
        raise ImportFileError(
            f"This is not a {kind} file: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (found: {found or 'nothing'})."
        )
    return mapping


def _try_mapping(contract, normalised, columns, defaults) -> Mapping:
    sources = {normalise_header(source): target for source, target in columns.items()}
    index: dict[str, int | None] = dict.fromkeys(contract.fields)
    used, twice = set(), []
    for position, name in enumerate(normalised):
        target = sources.get(name, name if name in index else None)
        if target not in index:
            continue
        if name in used:
            twice.append(name)
        used.add(name)
        if index[target] is None:
            index[target] = position
    return Mapping(index=index, defaults={k: str(v) for k, v in defaults.items()}, twice=twice)


def _refuse_twice(mapping: Mapping) -> None:
    if mapping.twice:
        raise ImportFileError(
            f"The header names the column {mapping.twice[0]} twice: keep one of them."
        )


# --- Cell validation -------------------------------------------------------------------------


class RowError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


def clean_count(column: str, value: str) -> str:
    if not value:
        return "0"
    if value.isdigit() and value.isascii() and len(value) <= MAX_COUNT_DIGITS:
        return value
    if THOUSANDS_RE.fullmatch(value):  # "1,234": a comma never marks decimals in a count
        return value.replace(",", "")
    whole = WHOLE_WITH_ZEROS.fullmatch(value)  # spreadsheets write 12 as 12.0
    if whole:
        return whole.group(1).replace(",", "")
    if value.startswith("-") and value[1:].replace(".", "", 1).isdigit():
        raise RowError(column, f"cannot be negative ({value!r})")
    if "," in value and value.replace(",", "").isdigit():
        raise RowError(
            column,
            f"is not a whole number ({value!r}): commas may only group thousands in threes",
        )
    raise RowError(column, f"is not a whole number ({value!r})")


def clean_money(column: str, value: str) -> str:
    """An amount: "1200.5", "1,200.50" (thousands in threes, decimal point), "1.200,50"
    (thousands in threes, decimal comma) or "12,50" (a decimal comma alone, as semicolon-
    separated exports write it). "1,200" alone could be 1200 or 1.2: refused, with why."""
    if not value:
        return "0"
    if MONEY_RE.fullmatch(value):
        return value
    if "," in value:
        amount = _grouped_amount(value)
        if amount is not None:
            return amount
    sign, digits = ("-", value[1:]) if value.startswith("-") else ("", value)
    if sign and (MONEY_RE.fullmatch(digits) or _grouped_amount(digits) is not None):
        raise RowError(column, f"cannot be negative ({value!r})")
    if THOUSANDS_RE.fullmatch(digits):
        raise RowError(
            column,
            f"is ambiguous ({value!r}): a thousands separator or a decimal comma? "
            "write 1200, 1,200.00 or 1,2",
        )
    if any(mark in digits for mark in ",.") and digits.replace(",", "").replace(".", "").isdigit():
        raise RowError(
            column,
            f"is not an amount ({value!r}): thousands must be grouped in threes and "
            "the decimal mark must come last",
        )
    raise RowError(column, f"is not an amount ({value!r})")


def _grouped_amount(value: str) -> str | None:
    """The amount of a value written with a comma, or None when it cannot be read alone."""
    if GROUPED_DOT_DECIMAL.fullmatch(value):
        amount = value.replace(",", "")
    elif GROUPED_COMMA_DECIMAL.fullmatch(value):
        amount = value.replace(".", "").replace(",", ".")
    elif DECIMAL_COMMA.fullmatch(value) and not THOUSANDS_RE.fullmatch(value):
        amount = value.replace(",", ".")  # decimal comma (semicolon-separated exports)
    else:
        return None
    return amount if MONEY_RE.fullmatch(amount) else None


def looks_like_formula(value: str) -> bool:
    """A name a spreadsheet would run as a formula when the data is exported and opened:
    it starts with =, +, @, a tab or a carriage return, or with - unless the whole name is
    a plain number (which a spreadsheet reads as a number: "-2+3+cmd|..." is a formula)."""
    if not value.startswith(FORMULA_PREFIXES):
        return False
    return not (value.startswith("-") and PLAIN_NUMBER.fullmatch(value))


def clean_text(column: str, value: str, *, required: bool, limit: int = 200) -> str:
    if not value:
        if required:
            raise RowError(column, "is missing")
        return ""
    if len(value) > limit:
        raise RowError(column, f"is longer than {limit} characters")
    if "\x00" in value:
        raise RowError(column, "contains a NUL character")
    return value


class DateCleaner:
    """ISO 8601 dates; a small cache because a file repeats the same few hundred dates."""

    def __init__(self):
        self.cache: dict[str, str] = {}

    def __call__(self, column: str, value: str) -> str:
        cached = self.cache.get(value)
        if cached is not None:
            return cached
        if not value:
            raise RowError(column, "is missing")
        text = value[:10] if len(value) > 10 and value[10] in "T " else value
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise RowError(column, f"is not a valid ISO date ({value!r})") from None
        if not 1900 <= parsed.year <= 2200:
            raise RowError(column, f"is out of range ({value!r})")
        result = parsed.isoformat()
        if len(self.cache) < 20_000:
            self.cache[value] = result
        return result


def clean_datetime(column: str, value: str, *, naive_utc: bool) -> str:
    if not value:
        raise RowError(column, "is missing")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RowError(column, f"is not a valid ISO date-time ({value!r})") from None
    if not 1900 <= parsed.year <= 2200:
        raise RowError(column, f"is out of range ({value!r})")
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    if naive_utc:  # SQLite stores UTC date-times without an offset
        return parsed.replace(tzinfo=None).isoformat(sep=" ")
    return parsed.isoformat()


# --- Validators: raw values in contract order -> clean tuple --------------------------------


class Validator:
    """Turns one row's raw values into a clean tuple, or raises RowError."""

    def __init__(self, kind: str, *, naive_utc: bool = False):
        self.kind = kind
        self.naive_utc = naive_utc
        self.clean_date = DateCleaner()
        self.names: dict[tuple[str, str], tuple[str, str]] = {}  # raw names -> clean ones
        self.validate = {
            ImportKind.CAMPAIGN: self._campaign,
            ImportKind.USAGE: self._usage,
            ImportKind.SURVEY: self._survey,
        }[kind]

    # The fast path checks all numbers of a row with one regular expression; only a row
    # that fails it goes through the per-column cleaners, which name the bad column.

    def _text(self, column: str, value: str, limit: int, *, required: bool) -> str:
        """A campaign, channel, product or feature name: shown on pages and charts and
        exported again, so a name a spreadsheet would run is refused (after trimming the
        spaces, tabs and line breaks around it, which are never stored)."""
        if value[:1].isspace() or value[-1:].isspace():
            value = value.strip()
        if looks_like_formula(value):
            raise RowError(column, f"looks like a spreadsheet formula ({value[:40]!r})")
        return clean_text(column, value, required=required, limit=limit)

    def _day(self, value: str) -> str:
        return self.clean_date.cache.get(value) or self.clean_date("date", value.strip())

    def _campaign(self, v):
        numbers = "\t".join(v[3:10])
        if not CAMPAIGN_NUMBERS.fullmatch(numbers):
            numbers = "\t".join(
                [
                    clean_money("spend", v[3].strip()),
                    *(clean_count(name, v[i].strip()) for i, name in CAMPAIGN_COUNTS),
                    clean_money("revenue", v[9].strip()),
                ]
            )
        names = self.names.get((v[1], v[2]))
        if names is None:
            names = (
                self._text("campaign", v[1], MAX_TEXT["campaign"], required=True),
                self._text("channel", v[2], MAX_TEXT["channel"], required=False),
            )
            if len(self.names) < NAME_CACHE:
                self.names[(v[1], v[2])] = names
        return (self.clean_date.cache.get(v[0]) or self._day(v[0]), *names, numbers)

    def _usage(self, v):
        numbers = "\t".join(v[3:7])
        if not USAGE_NUMBERS.fullmatch(numbers):
            if not v[3].strip():
                raise RowError("active_users", "is missing")
            numbers = "\t".join(clean_count(name, v[i].strip()) for i, name in USAGE_COUNTS)
        active, _, _, retained = numbers.split("\t")
        if int(retained) > int(active):
            raise RowError("retained_users", "cannot exceed active_users")
        names = self.names.get((v[1], v[2]))
        if names is None:
            names = (
                self._text("product", v[1], MAX_TEXT["product"], required=True),
                self._text("feature", v[2], MAX_TEXT["feature"], required=False),
            )
            if len(self.names) < NAME_CACHE:
                self.names[(v[1], v[2])] = names
        return (self.clean_date.cache.get(v[0]) or self._day(v[0]), *names, numbers)

    def _survey(self, v):
        v = [value.strip() for value in v]  # the fast row path leaves cells as they came
        submitted = clean_datetime("submitted_at", v[0], naive_utc=self.naive_utc)
        respondent = clean_text("respondent", v[1], required=True)
        survey = clean_text("survey", v[2], required=True)
        scale = (v[5] or "").lower()
        if not scale:
            scale = "csat" if "csat" in survey.lower() else "nps"
        if scale not in ("nps", "csat"):
            raise RowError("scale", f"must be nps or csat ({v[5]!r})")
        score_text = v[3]
        if not (score_text.isdigit() and score_text.isascii() and len(score_text) <= 2):
            if score_text.startswith("-"):
                raise RowError("score", f"cannot be negative ({score_text!r})")
            raise RowError(
                "score", f"is not a whole number ({score_text!r})" if score_text else "is missing"
            )
        low, high = (0, 10) if scale == "nps" else (1, 5)
        if not low <= int(score_text) <= high:
            raise RowError("score", f"must be between {low} and {high} on the {scale} scale")
        comment = v[4]
        if "\x00" in comment:
            raise RowError("comment", "contains a NUL character")
        return (submitted, survey, respondent, scale, str(int(score_text)), comment[:5000])


# --- Files -----------------------------------------------------------------------------------


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


def neutralise(cell) -> str:
    """A cell safe to open in a spreadsheet: formulas are turned into text."""
    text = "" if cell is None else str(cell)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
