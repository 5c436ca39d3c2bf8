"""kpi_off_target: an objective's KPI target is off track for its period, pro-rated.

For every objective running today (after `GRACE_DAYS` of its period) and each of its
targets, the KPI over the period so far (alignment's `kpi_current_value`, read from the
KPI engine) is compared with the target. Totals (spend, revenue, visits, purchases) are
pro-rated: a quarter into the period, a quarter of the target is due. Off track means
beyond the same 10% margin the objectives page uses for "at risk". Handed to the team
whose numbers they are (campaign KPIs: marketing; usage and survey KPIs: product).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from alignment.models_messaging import Objective, ObjectiveTarget
from alignment.selectors_messaging import AT_RISK_MARGIN, evaluate_target, kpi_current_value
from metrics.diagnostics.base import Context, Finding, Rule
from metrics.kpis import KPIS

GRACE_DAYS = 7
TOTALS = ("money", "count")


class KpiOffTarget(Rule):
    name = "kpi_off_target"
    label = "KPI off target"
    team = "marketing"
    informed = "product"

    def find(self, context: Context) -> list[Finding]:
        today = context.today
        objectives = (
            Objective.objects.in_workspace(context.workspace)
            .filter(period_start__lte=today - timedelta(days=GRACE_DAYS), period_end__gte=today)
            .select_related("workspace")
            .prefetch_related("targets")
        )
        findings = []
        for objective in objectives:
            total_days = (objective.period_end - objective.period_start).days + 1
            elapsed = (today - objective.period_start).days + 1
            for target in objective.targets.all():
                target.objective = objective
                value = kpi_current_value(target, today=today)
                if value is None:
                    continue
                kpi = KPIS[target.kpi]
                goal = Decimal(target.target)
                if kpi.unit in TOTALS:
                    goal = goal * Decimal(elapsed) / Decimal(total_days)
                due = ObjectiveTarget(target=goal, direction=target.direction)
                if evaluate_target(due, value) != "off_track":
                    continue
                value_f, goal_f = float(value), float(goal)
                gap = abs(value_f - goal_f) / abs(goal_f) if goal_f else 1.0
                campaign_kpi = kpi.source == "campaign"
                bound = "at least" if target.direction == "up" else "at most"
                findings.append(
                    Finding(
                        subject_type="objective",
                        subject_id=objective.pk,
                        subject_key=f"target:{target.pk}",
                        subject_label=objective.title,
                        severity="high" if gap >= 0.3 else "medium",
                        level=round(gap, 4),
                        team="marketing" if campaign_kpi else "product",
                        informed="product" if campaign_kpi else "marketing",
                        message=(
                            f"“{objective.title}”: {target.get_kpi_display()} is {value} after "
                            f"{elapsed} of {total_days} days; {bound} "
                            f"{goal.quantize(Decimal('0.0001')).normalize()} was due by now "
                            f"(target {target}), {gap:.0%} off."
                        ),
                        next_step=(
                            "Owners: agree in the next sync what would close the gap (more "
                            "budget or a different channel, an onboarding fix), or reset the "
                            "target with the reason written down."
                        ),
                        link=objective.get_absolute_url(),
                        evidence={
                            "target_id": target.pk,
                            "kpi": target.kpi,
                            "value": float(value),
                            "target": float(target.target),
                            "due_so_far": round(goal_f, 4),
                            "direction": target.direction,
                            "elapsed_days": elapsed,
                            "period_days": total_days,
                            "margin": float(AT_RISK_MARGIN),
                        },
                    )
                )
        return findings
