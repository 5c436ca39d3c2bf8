"""How a KPI value reads, everywhere: pages, diagnoses, e-mails, CSV headers.

Machine values (engine.format_value: fractions, decimal strings for money, integers) are
what the API, the snapshot and CSV exports carry; `format_kpi` turns one into text with
the KPI's display (definitions.py): "1.18%", "2.35×", "$1,234", "+32", "12,345". A
missing value reads "–". Changes against a previous period (`kpi_change`) are in
percentage points for percents, in points for NPS, in × for ROAS, and relative (%) for
totals, money and averages: never a relative change of a ratio or a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation

from metrics.kpis.definitions import COUNT
from metrics.kpis.definitions import DOWN
from metrics.kpis.definitions import KPIS
from metrics.kpis.definitions import MONEY
from metrics.kpis.definitions import NUMBER
from metrics.kpis.definitions import PERCENT
from metrics.kpis.definitions import POINTS
from metrics.kpis.definitions import TIMES

MISSING = "–"
DEFAULT_CURRENCY = "USD"
# Currencies written with a symbol before the amount; any other reads "1,234.00 CHF".
CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "CAD": "CA$",
    "AUD": "A$",
    "BRL": "R$",
    "MXN": "MX$",
}
ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW"}


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _rounded(number: float, decimals: int) -> float:
    """Rounded half up, as people round (19.5 -> 20), not half to even."""
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(str(number)).quantize(step, rounding=ROUND_HALF_UP))


def format_money(value, currency: str = DEFAULT_CURRENCY, decimals: int = 2) -> str:
    number = _number(value)
    if number is None:
        return MISSING
    currency = (currency or DEFAULT_CURRENCY).upper()
    if currency in ZERO_DECIMAL_CURRENCIES:
        decimals = 0
    rounded = _rounded(number, decimals)
    amount = f"{abs(rounded):,.{decimals}f}"
    sign = "-" if rounded < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"


def format_share(value, decimals: int = 0) -> str:
    """A fraction that is not a KPI (a gap, a relative drop) as a percent: 0.27 -> "27%"."""
    number = _number(value)
    if number is None:
        return MISSING
    return f"{_rounded(number * 100, decimals):,.{decimals}f}%"


def format_kpi(name: str, value, *, currency: str = DEFAULT_CURRENCY) -> str:
    """The value as it reads: the one formatter of every page, diagnosis and e-mail."""
    number = _number(value)
    if number is None:
        return MISSING
    kpi = KPIS[name]
    if kpi.display == PERCENT:
        return f"{_rounded(number * 100, kpi.decimals):,.{kpi.decimals}f}%"
    if kpi.display == TIMES:
        return f"{_rounded(number, kpi.decimals):,.{kpi.decimals}f}×"
    if kpi.display == MONEY:
        return format_money(number, currency, kpi.decimals)
    if kpi.display == POINTS:
        score = int(_rounded(number, 0))
        return f"{score:+d}" if score else "0"
    if kpi.display == COUNT:
        return f"{int(_rounded(number, 0)):,}"
    return f"{_rounded(number, kpi.decimals):,.{kpi.decimals}f}"


def format_target(name: str, target, direction: str, *, currency: str = DEFAULT_CURRENCY) -> str:
    """ "≥ 3.00%", "≤ $150.00": a target as it reads."""
    return f"{'≤' if direction == DOWN else '≥'} {format_kpi(name, target, currency=currency)}"


@dataclass(frozen=True)
class Change:
    """A KPI's change against the previous period. `amount` is the machine value: a
    difference for percents (a fraction: 0.004 is 0.4 pp), scores and ROAS, a relative
    change (a fraction) for totals, money and averages; `unit` says which."""

    amount: float
    unit: str  # pp | points | times | relative
    text: str
    good: bool | None  # None when nothing changed

    @property
    def sign(self) -> int:
        return (self.amount > 0) - (self.amount < 0)


CHANGE_UNITS = {
    "pp": "percentage points (a fraction: 0.004 is 0.4 pp)",
    "points": "points",
    "times": "difference of the ratio",
    "relative": "relative change (a fraction: 0.12 is +12%)",
}


def kpi_change(name: str, current, previous) -> Change | None:
    """The change from `previous` to `current`, in the unit that reads right for the KPI;
    None when either is missing (or a relative change would divide by zero)."""
    now, before = _number(current), _number(previous)
    if now is None or before is None:
        return None
    kpi = KPIS[name]
    # Differences are taken between the values as they read, so that the change shown
    # is the difference of the two numbers shown ("+17 pts" from +3 to +20).
    if kpi.display == PERCENT:
        points = _rounded(now * 100, kpi.decimals) - _rounded(before * 100, kpi.decimals)
        amount = round(points / 100, kpi.decimals + 2)
        text, unit = f"{points:+.{kpi.decimals}f} pp", "pp"
    elif kpi.display == POINTS:
        amount = _rounded(now, 0) - _rounded(before, 0)
        text, unit = f"{int(amount):+d} pts", "points"
    elif kpi.display == TIMES:
        amount = round(_rounded(now, kpi.decimals) - _rounded(before, kpi.decimals), 4)
        text, unit = f"{amount:+.{kpi.decimals}f}×", "times"
    else:
        if before == 0:
            return None
        amount = round((now - before) / abs(before), 4)
        text, unit = f"{amount * 100:+.1f}%", "relative"
    better = amount < 0 if kpi.direction == DOWN else amount > 0
    return Change(amount=amount, unit=unit, text=text, good=better if amount else None)


def kpi_tile(name: str, value, previous, *, currency: str = DEFAULT_CURRENCY, **extra) -> dict:
    """A KPI's tile on the dashboards: its value and the previous period's, each as the
    KPI reads, and the change between them; `extra` adds the page's own keys (label,
    target, ...)."""
    return {
        "name": name,
        "label": KPIS[name].label,
        "value": value,
        "display": format_kpi(name, value, currency=currency),
        "previous": previous,
        "previous_display": format_kpi(name, previous, currency=currency),
        "change": kpi_change(name, value, previous),
        **extra,
    }


def money_format(currency: str = DEFAULT_CURRENCY, decimals: int = 2) -> dict:
    """How `format_money` writes an amount, as a chart's script needs it: {currency, prefix,
    suffix, decimals} ("$" before, or " CHF" after; no decimals for JPY and KRW)."""
    currency = (currency or DEFAULT_CURRENCY).upper()
    symbol = CURRENCY_SYMBOLS.get(currency)
    return {
        "currency": currency,
        "prefix": symbol or "",
        "suffix": "" if symbol else f" {currency}",
        "decimals": 0 if currency in ZERO_DECIMAL_CURRENCIES else decimals,
    }


def chart_format(name: str, *, currency: str = DEFAULT_CURRENCY) -> dict:
    """How a chart's axis and labels read one KPI ({display, decimals, currency}, and for
    money the prefix and suffix of `money_format`)."""
    kpi = KPIS[name]
    rule = {"display": kpi.display, "decimals": kpi.decimals, "currency": currency}
    if kpi.display == MONEY:
        rule.update(money_format(currency, kpi.decimals))
    return rule


def chart_formats(*, currency: str = DEFAULT_CURRENCY) -> dict:
    """Per KPI, how a chart reads it (`chart_format`): the charts' script (static/js/
    tandem.js, formatKpi) formats with these, not with rules of its own."""
    return {name: chart_format(name, currency=currency) for name in KPIS}


# --- CSV and form input ----------------------------------------------------------------------

CSV_UNITS = {
    PERCENT: "fraction",
    TIMES: "ratio",
    POINTS: "score -100 to 100",
    COUNT: "count",
    NUMBER: "number",
}


def csv_unit(name: str, *, currency: str = DEFAULT_CURRENCY) -> str:
    """The unit of the KPI's machine value, as a CSV header names it."""
    display = KPIS[name].display
    return (currency or DEFAULT_CURRENCY).upper() if display == MONEY else CSV_UNITS[display]


def csv_header(name: str, *, currency: str = DEFAULT_CURRENCY, label: str | None = None) -> str:
    """ "Conversion rate (fraction)", "Spend (USD)": CSV exports carry machine values, and
    their header says the unit."""
    return f"{label or KPIS[name].label} ({csv_unit(name, currency=currency)})"


def csv_value(name: str, value):
    """A machine value as a CSV cell: money as a number (not text), the rest as is."""
    if value is None:
        return None
    if KPIS[name].display == MONEY:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    return value


def input_unit(name: str, *, currency: str = DEFAULT_CURRENCY) -> str:
    """The unit a person types a target in: "%" for percents, the currency for money."""
    display = KPIS[name].display
    return {
        PERCENT: "%",
        TIMES: "×",
        MONEY: (currency or DEFAULT_CURRENCY).upper(),
        POINTS: "points",
        COUNT: "",
        NUMBER: "",
    }[display]


def target_from_input(name: str, number: Decimal) -> Decimal:
    """A target typed in the KPI's display unit, as the machine value: 3.5 (%) -> 0.035."""
    if KPIS[name].display == PERCENT:
        return Decimal(number) / 100
    return Decimal(number)
