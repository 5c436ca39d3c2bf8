"""Cell validation: one raw value -> its clean text, or a RowError naming the column and
why. Amounts and counts are read the ways spreadsheets export them, and refused with the
reason when they could be read two ways."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import date
from datetime import datetime

MAX_COUNT_DIGITS = 15
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


def neutralise(cell) -> str:
    """A cell safe to open in a spreadsheet: formulas are turned into text."""
    text = "" if cell is None else str(cell)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
