"""The one judgement of a KPI value against a target: on track, at risk or off track.

- Additive KPIs (totals: spend, revenue, visits, purchases) grow over a period, so what is
  due by now is the target pro-rated by the share of the period gone: a quarter into the
  period, a quarter of the target.
- Every other KPI (ratios, scores, averages) is judged on its current value against the
  whole target, and only once the value rests on the KPI's minimum sample (definitions.py);
  before that the verdict is "not enough data yet".
- Direction up: at or above what is due is on track, within AT_RISK_MARGIN (10%) below it
  at risk, further off track. Direction down (CPA, spend): the mirror image.

The objective page, the dashboard tiles, the API and the kpi_off_target diagnosis all read
this verdict; none of them compares numbers on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from metrics.kpis.definitions import DOWN
from metrics.kpis.definitions import KPIS
from metrics.kpis.display import DEFAULT_CURRENCY
from metrics.kpis.display import format_kpi
from metrics.kpis.display import format_share
from metrics.kpis.display import format_target
from metrics.kpis.engine import format_value

AT_RISK_MARGIN = Decimal("0.10")
ON_TRACK, AT_RISK, OFF_TRACK, NOT_ENOUGH_DATA = (
    "on_track",
    "at_risk",
    "off_track",
    "not_enough_data",
)
STATE_LABELS = {
    None: "no data yet",
    NOT_ENOUGH_DATA: "not enough data yet",
    ON_TRACK: "on track",
    AT_RISK: "at risk",
    OFF_TRACK: "off track",
}
STATE_CHOICES = [(state, label) for state, label in STATE_LABELS.items() if state]


@dataclass(frozen=True)
class Verdict:
    kpi: str
    state: str | None
    value: object  # the machine value judged (engine.format_value), None without data
    target: Decimal
    direction: str
    due: Decimal | None  # what is due by now: the target, pro-rated for additive KPIs
    sample: int | None = None
    elapsed_days: int | None = None
    period_days: int | None = None
    gap: float = 0.0  # how far beyond `due`, in the bad direction, relative to it

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def judged(self) -> bool:
        return self.state in (ON_TRACK, AT_RISK, OFF_TRACK)

    def detail(self, *, currency: str = DEFAULT_CURRENCY) -> str:
        """One sentence saying what the verdict rests on, with values as they read."""
        kpi = KPIS[self.kpi]
        if self.state is None:
            return "No data in this scope for the period so far."
        if self.state == NOT_ENOUGH_DATA:
            return (
                f"{format_kpi(self.kpi, self.value, currency=currency)} so far, from "
                f"{self.sample or 0:,} {kpi.sample_noun}; a verdict needs at least "
                f"{kpi.min_sample:,} {kpi.sample_noun}."
            )
        value = format_kpi(self.kpi, self.value, currency=currency)
        goal = format_target(self.kpi, self.target, self.direction, currency=currency)
        text = f"{value} against {goal}"
        if kpi.additive and self.elapsed_days and self.period_days != self.elapsed_days:
            due = format_kpi(self.kpi, self.due, currency=currency)
            text += (
                f" for the period; {due} due after {self.elapsed_days} of {self.period_days} days"
            )
        if self.state != ON_TRACK:
            text += f" ({format_share(self.gap)} off)"
        return text + "."

    def as_dict(self) -> dict:
        """The machine form the API returns: {value, state, label, due, sample}, values in
        the KPI's machine unit (engine.format_value), like `kpis/`."""
        return {
            "value": self.value,
            "state": self.state,
            "label": self.label,
            "due": format_value(self.kpi, self.due),
            "sample": self.sample,
        }


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001")).normalize()


def judge(
    name: str,
    *,
    target,
    direction: str,
    value,
    sample: int | None = None,
    elapsed_days: int | None = None,
    period_days: int | None = None,
) -> Verdict:
    """The verdict on `value` (a machine value) against `target` over a period of which
    `elapsed_days` of `period_days` are gone (both None: the whole period)."""
    kpi = KPIS[name]
    goal = Decimal(str(target))
    due = goal
    if kpi.additive and elapsed_days and period_days:
        due = _quantize(goal * Decimal(min(elapsed_days, period_days)) / Decimal(period_days))
    common = {
        "kpi": name,
        "value": value,
        "target": goal,
        "direction": direction,
        "due": due,
        "sample": sample,
        "elapsed_days": elapsed_days,
        "period_days": period_days,
    }
    if value is None:
        return Verdict(state=None, **{**common, "due": None})
    if not kpi.additive and kpi.min_sample and (sample or 0) < kpi.min_sample:
        return Verdict(state=NOT_ENOUGH_DATA, **common)
    current = Decimal(str(value))
    margin = abs(due) * AT_RISK_MARGIN
    short = due - current if direction != DOWN else current - due
    gap = float(short / abs(due)) if due else (1.0 if short > 0 else 0.0)
    if short <= 0:
        state = ON_TRACK
    elif short <= margin:
        state = AT_RISK
    else:
        state = OFF_TRACK
    return Verdict(state=state, gap=round(max(gap, 0.0), 4), **common)
