"""What every rule shares: the run's context, a finding, the rule's shape and the statistics.

A rule is a small class with a `name`, a `team` it hands its findings to (and an
`informed` team kept in the loop), a docstring saying what it checks, and `find(context)`
returning findings. Thresholds come from `context.settings` (DiagnosticSettings, one per
workspace), never from constants in the rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta

from django.db import connection

from alignment.models import Workspace
from metrics.kpis import KPIS
from metrics.kpis import Scope
from metrics.kpis import format_kpi
from metrics.kpis import kpi_compute
from metrics.models import DiagnosticSettings


@dataclass
class Context:
    workspace: Workspace
    settings: DiagnosticSettings
    today: date  # the calendar's today (launches, objectives, releases)
    as_of: date  # the last day with facts (the metric rules' window ends here)
    timings: dict = field(default_factory=dict)  # seconds per rule, for the bench

    @property
    def window(self) -> tuple[date, date]:
        return self.as_of - timedelta(days=self.settings.window_days - 1), self.as_of

    @property
    def baseline(self) -> tuple[date, date]:
        end = self.window[0] - timedelta(days=1)
        return end - timedelta(days=self.settings.baseline_days - 1), end

    def rows(self, sql: str, params) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


@dataclass
class Finding:
    subject_type: str
    subject_id: int
    subject_label: str
    severity: str  # low | medium | high
    level: float  # how bad, on the rule's own scale: larger is worse
    message: str
    next_step: str
    link: str = ""
    evidence: dict = field(default_factory=dict)
    subject_key: str = ""  # tells apart several findings about one subject
    team: str | None = None  # overrides the rule's team
    informed: str | None = None
    # The underlying change it reports ("conversion"): findings of several rules about one
    # subject, over overlapping windows, with the same change fold into the most specific
    # one (engine.fold, registry SPECIFICITY). Empty: this rule's own, never folded.
    change: str = ""
    window: tuple[date, date] | None = None  # the days it was judged on (None: today's state)
    # The subject (type, id, key) of a finding, of the same change, that explains this one:
    # a channel's drop that one campaign's collapse accounts for. It folds into that
    # finding's diagnosis as supporting evidence (engine.fold) instead of being filed.
    within: tuple | None = None

    @property
    def key(self) -> tuple:
        return (self.subject_type, self.subject_id, self.subject_key)


class Rule:
    """A rule's name is its module's ("conversion_drop" in conversion_drop.py): Diagnosis.rule
    stores it, and the settings, filters and the API use it (the field's choices pin them:
    tests/test_migrations.py). `team` is handed the diagnosis, `informed` told of it."""

    name: str = ""
    team: str = ""
    informed: str = ""
    label: str = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = cls.__module__.rpartition(".")[2]

    def find(self, context: Context) -> list[Finding]:
        raise NotImplementedError


# --- Evidence -----------------------------------------------------------------------------


def evidence_series(
    context: Context,
    kpi: str,
    start: date,
    end: date,
    *,
    scope: Scope | None = None,
    baseline=None,
    baseline_label: str = "",
    label: str = "",
) -> dict:
    """What a finding was judged on, for its chart: the KPI's daily values over `start`–`end`
    (computed by the KPI module) and the reference it was held against.

    {kpi, label, display, series: [{date, value, display}], baseline: {value, display,
    label} or None}: `value` is the machine value (a fraction for percents), `display` the
    KPI module's text of it, so the chart and the sentence read the same numbers.
    """
    currency = context.workspace.currency
    computed = kpi_compute(
        workspace=context.workspace, kpi=kpi, start=start, end=end, granularity="day", scope=scope
    )
    series = []
    for point in computed["series"]:
        value = None if point["value"] is None else float(point["value"])
        series.append(
            {
                "date": point["period"],
                "value": value,
                "display": format_kpi(kpi, value, currency=currency),
            }
        )
    definition = KPIS[kpi]
    return {
        "kpi": kpi,
        "label": label or f"{definition.label}, daily",
        "display": definition.display,
        "decimals": definition.decimals,
        "currency": currency,
        "series": series,
        "baseline": None
        if baseline is None
        else {
            "value": float(baseline),
            "display": format_kpi(kpi, baseline, currency=currency),
            "label": baseline_label,
        },
    }


def overlaps(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    """Whether two judged windows share a day (a finding about today's state overlaps all)."""
    if a is None or b is None:
        return True
    return a[0] <= b[1] and b[0] <= a[1]


# --- Statistics ---------------------------------------------------------------------------


def two_proportion_z(successes_a: int, trials_a: int, successes_b: int, trials_b: int) -> float:
    """z of (rate b - rate a) under the pooled null "both rates are equal"; 0 when undefined.

    Negative when b is lower than a. With a = the baseline and b = the window, z <= -3
    means a drop that chance explains less than once in ~740 runs.
    """
    if trials_a <= 0 or trials_b <= 0:
        return 0.0
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    variance = pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b)
    if variance <= 0:
        return 0.0
    return (successes_b / trials_b - successes_a / trials_a) / math.sqrt(variance)


def poisson_cdf(observed: int, expected: float) -> float:
    """P(X <= observed) for X ~ Poisson(expected): how likely so few by chance."""
    if expected <= 0:
        return 1.0
    term = math.exp(-expected)
    total = term
    for k in range(1, int(observed) + 1):
        term *= expected / k
        total += term
    return min(total, 1.0)


def ratio(numerator, denominator) -> float | None:
    denominator = float(denominator or 0)
    return None if denominator == 0 else float(numerator or 0) / denominator
