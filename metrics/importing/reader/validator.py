"""Validators: one row's raw values, in contract order -> a clean tuple, or RowError.

The fast path checks all numbers of a row with one regular expression; only a row that
fails it goes through the per-column cleaners (cells.py), which name the bad column."""

from __future__ import annotations

from metrics.importing.reader.cells import CAMPAIGN_NUMBERS
from metrics.importing.reader.cells import USAGE_NUMBERS
from metrics.importing.reader.cells import DateCleaner
from metrics.importing.reader.cells import RowError
from metrics.importing.reader.cells import clean_count
from metrics.importing.reader.cells import clean_datetime
from metrics.importing.reader.cells import clean_money
from metrics.importing.reader.cells import clean_text
from metrics.importing.reader.cells import looks_like_formula
from metrics.models import ImportKind

MAX_TEXT = {"campaign": 200, "channel": 60, "product": 200, "feature": 200}
NAME_CACHE = 50_000  # distinct (campaign, channel) or (product, feature) pairs remembered
CAMPAIGN_COUNTS = [(4, "impressions"), (5, "clicks"), (6, "visits"), (7, "leads"), (8, "purchases")]
USAGE_COUNTS = [(3, "active_users"), (4, "events"), (5, "new_users"), (6, "retained_users")]


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
