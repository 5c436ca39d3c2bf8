"""promoted_feature_low_adoption: a feature is being pushed, and few people use it.

A feature promoted by a campaign running in the window, or launched in the last
`baseline_days` (after a week of grace), whose adoption over the window (its active users
over its product's, same days) is below `adoption_max_ratio` of the median of the
product's other features. A feature with an adoption target (an objective running today)
is judged by that target's verdict instead (metrics.kpis, the one its objective's page
shows: at risk or off track is flagged), never compared again here. Products
with fewer than `adoption_min_users` active users a day are not judged. Handed to
marketing (is it positioned to the right people?), product informed (is onboarding
showing it?).
"""

from __future__ import annotations

import statistics
from datetime import timedelta

from django.db.models import Q

from alignment.messaging.models import ObjectiveTarget
from alignment.models import Feature
from launches.models import Campaign
from launches.models import Launch
from metrics.diagnostics.base import Context
from metrics.diagnostics.base import Finding
from metrics.diagnostics.base import Rule
from metrics.diagnostics.base import evidence_series
from metrics.kpis import AT_RISK
from metrics.kpis import OFF_TRACK
from metrics.kpis import Scope
from metrics.kpis import format_kpi
from metrics.kpis.targets import format_target_of
from metrics.kpis.targets import target_verdict

GRACE_DAYS = 7

ADOPTION_SQL = (
    "WITH product_days AS ("
    "  SELECT product_id, date, COALESCE(MAX(CASE WHEN feature_id IS NULL THEN active_users "
    "  END), MAX(active_users)) AS active FROM metrics_usagemetric "
    "  WHERE workspace_id = %s AND date BETWEEN %s AND %s GROUP BY product_id, date), "
    "products AS (SELECT product_id, SUM(active) AS active, COUNT(*) AS days "
    "  FROM product_days GROUP BY product_id), "
    "features AS (SELECT feature_id, product_id, SUM(active_users) AS active "
    "  FROM metrics_usagemetric WHERE workspace_id = %s AND date BETWEEN %s AND %s "
    "  AND feature_id IS NOT NULL GROUP BY feature_id, product_id) "
    "SELECT f.feature_id, f.product_id, f.active, p.active, p.days "
    "FROM features f JOIN products p ON p.product_id = f.product_id"
)


class PromotedFeatureLowAdoption(Rule):
    label = "Promoted feature, low adoption"
    team = "marketing"
    informed = "product"

    def promoted(self, context: Context) -> dict[int, str]:
        """Feature id -> why it counts as promoted."""
        start, end = context.window
        workspace = context.workspace
        reasons = {}
        campaigns = (
            Campaign.objects.in_workspace(workspace)
            .filter(start_date__isnull=False, start_date__lte=end)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
            .prefetch_related("features")
        )
        for campaign in campaigns:
            for feature in campaign.features.all():
                reasons.setdefault(feature.pk, f"promoted by the campaign “{campaign.name}”")
        launches = Launch.objects.in_workspace(workspace).filter(
            launch_date__range=(
                context.today - timedelta(days=context.settings.baseline_days),
                context.today - timedelta(days=GRACE_DAYS),
            )
        )
        for launch in launches.prefetch_related("features"):
            for feature in launch.features.all():
                reasons.setdefault(feature.pk, f"launched in “{launch.name}”")
        return reasons

    def targets(self, context: Context, feature_ids) -> dict[int, tuple]:
        """Per feature, the verdict of its adoption target (an objective running today; the
        worst of several) from the KPI module, as the objective page shows it."""
        verdicts: dict[int, tuple] = {}
        rows = (
            ObjectiveTarget.objects.in_workspace(context.workspace)
            .filter(
                kpi="adoption",
                scope=ObjectiveTarget.Scope.FEATURE,
                scope_id__in=feature_ids,
                objective__period_start__lte=context.today,
                objective__period_end__gte=context.today,
            )
            .select_related("objective", "workspace")
            .order_by("id")
        )
        for target in rows:
            verdict = target_verdict(target, today=context.today)
            current = verdicts.get(target.scope_id)
            if current is None or verdict.gap > current[1].gap:
                verdicts[target.scope_id] = (target, verdict)
        return verdicts

    def find(self, context: Context) -> list[Finding]:
        promoted = self.promoted(context)
        if not promoted:
            return []
        start, end = context.window
        params = [context.workspace.pk, start, end] * 2
        by_product: dict[int, dict[int, float]] = {}
        volume = {}
        for feature_id, product_id, active, product_active, days in context.rows(
            ADOPTION_SQL, params
        ):
            if not product_active:
                continue
            by_product.setdefault(product_id, {})[feature_id] = float(active) / float(
                product_active
            )
            volume[product_id] = float(product_active) / max(int(days), 1)
        targets = self.targets(context, list(promoted))
        settings = context.settings
        max_ratio = float(settings.adoption_max_ratio)
        candidates = {}
        for product_id, adoption in by_product.items():
            if volume[product_id] < settings.adoption_min_users:
                continue  # too few users for adoption to mean much
            for feature_id, value in adoption.items():
                if feature_id not in promoted:
                    continue
                if feature_id in targets:
                    # Its objective's verdict decides, never a second comparison here.
                    target, verdict = targets[feature_id]
                    if verdict.state not in (AT_RISK, OFF_TRACK):
                        continue
                    candidates[feature_id] = (
                        float(verdict.value),
                        float(target.target),
                        "its target",
                        volume[product_id],
                        (target, verdict),
                    )
                    continue
                others = [v for f, v in adoption.items() if f != feature_id]
                if not others:
                    continue
                reference = statistics.median(others)
                if reference <= 0 or value >= max_ratio * reference:
                    continue
                candidates[feature_id] = (
                    value,
                    reference,
                    "the product's median feature",
                    volume[product_id],
                    None,
                )
        features = Feature.objects.in_workspace(context.workspace).filter(pk__in=candidates)
        findings = []
        for feature in features.select_related("workspace", "product"):
            value, reference, basis, users, judged = candidates[feature.pk]
            shortfall = 1 - value / reference
            if judged is None:
                against = (
                    f"in {start:%b %-d}–{end:%b %-d}, against "
                    f"{format_kpi('adoption', reference)} for {basis}"
                )
            else:
                target, verdict = judged
                since = target.objective.period_start
                against = (
                    f"since {since:%b %-d}, against {format_target_of(target)} for its "
                    f"objective “{target.objective.title}” ({verdict.label})"
                )
            findings.append(
                Finding(
                    subject_type="feature",
                    subject_id=feature.pk,
                    subject_label=f"{feature.product.name} / {feature.name}",
                    severity="high" if shortfall >= 0.8 else "medium",
                    level=round(shortfall, 4),
                    message=(
                        f"“{feature.name}” is {promoted[feature.pk]}, yet only "
                        f"{format_kpi('adoption', value)} of {feature.product.name}'s active "
                        f"users used it {against}."
                    ),
                    next_step=(
                        f"Marketing (PMM): check the promotion reaches the "
                        f"{feature.product.name} users who need “{feature.name}” and says "
                        "what it does for them; product (PM): check onboarding and in-app "
                        "discovery lead people to it, to reach "
                        f"{format_kpi('adoption', reference)}."
                    ),
                    link=feature.get_absolute_url(),
                    evidence={
                        **evidence_series(
                            context,
                            "adoption",
                            start,
                            end,
                            scope=Scope(feature=feature),
                            baseline=reference,
                            baseline_label="Its target"
                            if judged is not None
                            else "The product's median feature",
                        ),
                        "window": [start.isoformat(), end.isoformat()],
                        "adoption": round(value, 5),
                        "reference": round(reference, 5),
                        "reference_basis": basis,
                        "product_daily_active": round(users, 1),
                        "promotion": promoted[feature.pk],
                    },
                )
            )
        return findings
