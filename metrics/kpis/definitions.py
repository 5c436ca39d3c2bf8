"""Every KPI of API.md, defined once: its formula, its kind, its direction and its display.

- The formula is a ratio of sums (numerator terms over denominator terms, see engine.py).
- The kind says how a target over a period is judged (judging.py):
  `additive` totals (spend, revenue, visits, purchases) grow with time, so a period's
  target is pro-rated by the share of the period gone; `ratio`, `score` and `average`
  KPIs (ROI, conversion, CPA, adoption, NPS, daily active users...) do not grow with time:
  their current value is judged as it is, and only once it rests on `min_sample`
  observations (`sample` names the sum that counts them).
- The direction is the way a KPI gets better: the default of a new target, and how a
  change against the previous period is coloured.
- The display says how a value reads (display.py): a percent with fixed decimals, "×" for
  ROAS, money in the workspace's currency, a count, NPS as a signed score.
"""

from __future__ import annotations

from dataclasses import dataclass

ADDITIVE, RATIO, SCORE, AVERAGE = "additive", "ratio", "score", "average"
UP, DOWN = "up", "down"
# Displays: how a value reads, and which machine value the API and CSV exports carry.
PERCENT, TIMES, MONEY, COUNT, POINTS, NUMBER = (
    "percent",
    "times",
    "money",
    "count",
    "points",
    "number",
)
MACHINE = {
    PERCENT: "a fraction (0.0118 is 1.18%)",
    TIMES: "a ratio (2.5 is 2.5×)",
    MONEY: "a decimal string with two places, in the workspace's currency",
    COUNT: "an integer",
    POINTS: "a score from -100 to 100",
    NUMBER: "a number",
}


@dataclass(frozen=True)
class Kpi:
    label: str
    source: str  # campaign | usage | survey
    numerator: tuple[str, ...]  # sums added, or subtracted with a leading "-"
    denominator: tuple[str, ...] = ()
    kind: str = RATIO
    direction: str = UP
    display: str = PERCENT
    decimals: int = 1
    formula: str = ""
    scale: int = 1
    sample: tuple[str, ...] | None = None  # what counts the observations; default: denominator
    min_sample: int = 0
    sample_noun: str = ""
    feature_variant: dict | None = None  # usage KPIs read other sums when a feature is scoped

    @property
    def additive(self) -> bool:
        return self.kind == ADDITIVE

    @property
    def unit(self) -> str:
        """The machine value's type: money (decimal string), count (int), ratio or number."""
        if self.display in (MONEY, COUNT):
            return self.display
        return "number" if self.display in (POINTS, NUMBER) else "ratio"

    def sample_terms(self, feature_scoped: bool = False) -> tuple[str, ...]:
        if self.sample is not None:
            return self.sample
        if feature_scoped and self.feature_variant:
            return self.feature_variant["denominator"]
        return self.denominator


def _money(label, terms, *, formula, direction=UP, decimals=0, **kwargs) -> Kpi:
    return Kpi(
        label,
        "campaign",
        terms,
        kind=ADDITIVE,
        direction=direction,
        display=MONEY,
        decimals=decimals,
        formula=formula,
        **kwargs,
    )


def _count(label, term) -> Kpi:
    return Kpi(
        label,
        "campaign",
        (term,),
        kind=ADDITIVE,
        display=COUNT,
        decimals=0,
        formula=f"sum of {term}",
    )


KPIS: dict[str, Kpi] = {
    "roi": Kpi(
        "ROI",
        "campaign",
        ("revenue", "-spend"),
        ("spend",),
        formula="(revenue − spend) / spend",
        sample=("visits",),
        min_sample=100,
        sample_noun="visits",
    ),
    "roas": Kpi(
        "ROAS",
        "campaign",
        ("revenue",),
        ("spend",),
        display=TIMES,
        decimals=2,
        formula="revenue / spend",
        sample=("visits",),
        min_sample=100,
        sample_noun="visits",
    ),
    "conversion_rate": Kpi(
        "Conversion rate",
        "campaign",
        ("purchases",),
        ("visits",),
        decimals=2,
        formula="purchases / visits",
        min_sample=100,
        sample_noun="visits",
    ),
    "lead_conversion_rate": Kpi(
        "Lead conversion rate",
        "campaign",
        ("purchases",),
        ("leads",),
        decimals=2,
        formula="purchases / leads",
        min_sample=30,
        sample_noun="leads",
    ),
    "ctr": Kpi(
        "CTR",
        "campaign",
        ("clicks",),
        ("impressions",),
        decimals=2,
        formula="clicks / impressions",
        min_sample=1000,
        sample_noun="impressions",
    ),
    "cpa": Kpi(
        "CPA",
        "campaign",
        ("spend",),
        ("purchases",),
        direction=DOWN,
        display=MONEY,
        decimals=2,
        formula="spend / purchases",
        min_sample=10,
        sample_noun="purchases",
    ),
    "spend": _money("Spend", ("spend",), formula="sum of spend", direction=DOWN),
    "revenue": _money("Revenue", ("revenue",), formula="sum of revenue"),
    "visits": _count("Visits", "visits"),
    "purchases": _count("Purchases", "purchases"),
    "adoption": Kpi(
        "Adoption",
        "usage",
        ("feature_active",),
        ("product_active",),
        formula="feature active users / product active users (same days)",
        min_sample=100,
        sample_noun="product active users (summed over days)",
    ),
    "retention": Kpi(
        "Retention",
        "usage",
        ("product_retained",),
        ("product_active",),
        formula="retained users / active users",
        min_sample=100,
        sample_noun="active users (summed over days)",
        feature_variant={"numerator": ("feature_retained",), "denominator": ("feature_active",)},
    ),
    "active_users": Kpi(
        "Active users (daily avg.)",
        "usage",
        ("product_active",),
        ("days",),
        kind=AVERAGE,
        display=NUMBER,
        decimals=0,
        formula="active users per day, averaged over the days with data",
        min_sample=7,
        sample_noun="days with data",
        feature_variant={"numerator": ("feature_active",), "denominator": ("feature_days",)},
    ),
    "nps": Kpi(
        "NPS",
        "survey",
        ("promoters", "-detractors"),
        ("nps_responses",),
        kind=SCORE,
        display=POINTS,
        decimals=0,
        formula="% promoters (9–10) − % detractors (0–6)",
        scale=100,
        min_sample=30,
        sample_noun="responses",
    ),
    "csat": Kpi(
        "CSAT",
        "survey",
        ("satisfied",),
        ("csat_responses",),
        kind=SCORE,
        formula="share of 4–5 answers on a 1–5 scale",
        min_sample=30,
        sample_noun="responses",
    ),
}


def kpi_label(name: str) -> str:
    kpi = KPIS.get(name)
    return kpi.label if kpi else name
