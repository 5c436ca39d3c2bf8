"""kpi_off_target: an objective's KPI target is off track.

For every objective running today (after `GRACE_DAYS` of its period) and each of its
targets, the KPI module's verdict (metrics.kpis: the one the objective page shows) is
read: totals (spend, revenue, visits, purchases) pro-rated by the share of the period
gone, ratios and scores (ROI, conversion, CPA, adoption, NPS...) judged on their current
value once they rest on their minimum sample. Flagged when the verdict is off track
(beyond the 10% margin of "at risk"). Handed to the team whose numbers they are
(campaign KPIs: marketing; usage and survey KPIs: product).
"""

from __future__ import annotations

from datetime import timedelta

from alignment.messaging.models import Objective
from metrics.diagnostics.base import Context
from metrics.diagnostics.base import Finding
from metrics.diagnostics.base import Rule
from metrics.diagnostics.base import evidence_series
from metrics.kpis import AT_RISK_MARGIN
from metrics.kpis import KPIS
from metrics.kpis import OFF_TRACK
from metrics.kpis import format_kpi
from metrics.kpis import format_share
from metrics.kpis.targets import format_target_of
from metrics.kpis.targets import target_scope
from metrics.kpis.targets import target_verdict

GRACE_DAYS = 7


class KpiOffTarget(Rule):
    label = "KPI off target"
    team = "marketing"
    informed = "product"

    def find(self, context: Context) -> list[Finding]:
        today = context.today
        currency = context.workspace.currency
        objectives = (
            Objective.objects.in_workspace(context.workspace)
            .filter(period_start__lte=today - timedelta(days=GRACE_DAYS), period_end__gte=today)
            .select_related("workspace", "product_owner", "marketing_owner")
            .prefetch_related("targets")
        )
        findings = []
        for objective in objectives:
            for target in objective.targets.all():
                target.objective = objective
                target.workspace = objective.workspace
                verdict = target_verdict(target, today=today)
                if verdict.state != OFF_TRACK:
                    continue
                kpi = KPIS[target.kpi]
                campaign_kpi = kpi.source == "campaign"
                value = format_kpi(target.kpi, verdict.value, currency=currency)
                goal = format_target_of(target)
                if kpi.additive:
                    due = format_kpi(target.kpi, verdict.due, currency=currency)
                    judged = (
                        f"{value} after {verdict.elapsed_days} of {verdict.period_days} days, "
                        f"when {due} was due by now (target {goal} for the period)"
                    )
                    left = float(target.target) - float(verdict.value)
                    close = (
                        f"make up the {format_kpi(target.kpi, abs(left), currency=currency)} "
                        f"still to reach {goal} by {objective.period_end:%b %-d}"
                    )
                else:
                    judged = f"{value} over the period so far, against a target of {goal}"
                    close = f"bring {kpi.label} to {goal} by {objective.period_end:%b %-d}"
                owners = " and ".join(
                    user.get_full_name() or user.get_username()
                    for user in (objective.product_owner, objective.marketing_owner)
                    if user is not None
                )
                scope = target_scope(target)
                series = {}
                if scope is not None:
                    series = evidence_series(
                        context,
                        target.kpi,
                        objective.period_start,
                        min(today, context.as_of),
                        scope=scope,
                        baseline=None if kpi.additive else target.target,
                        baseline_label="Target",
                    )
                findings.append(
                    Finding(
                        subject_type="objective",
                        subject_id=objective.pk,
                        subject_key=f"target:{target.pk}",
                        subject_label=objective.title,
                        severity="high" if verdict.gap >= 0.3 else "medium",
                        level=round(verdict.gap, 4),
                        team="marketing" if campaign_kpi else "product",
                        informed="product" if campaign_kpi else "marketing",
                        message=(
                            f"“{objective.title}”: {kpi.label} is {judged}: "
                            f"{format_share(verdict.gap)} off."
                        ),
                        next_step=(
                            f"{owners or 'Owners'}: agree in the next sync how to {close} "
                            "(more budget or a different channel, an onboarding fix), or "
                            "reset the target with the reason written down."
                        ),
                        link=objective.get_absolute_url(),
                        evidence={
                            **series,
                            "target_id": target.pk,
                            "kpi": target.kpi,
                            "value": float(verdict.value),
                            "target": float(target.target),
                            "due_so_far": float(verdict.due),
                            "direction": target.direction,
                            "elapsed_days": verdict.elapsed_days,
                            "period_days": verdict.period_days,
                            "sample": verdict.sample,
                            "margin": float(AT_RISK_MARGIN),
                        },
                    )
                )
        return findings
