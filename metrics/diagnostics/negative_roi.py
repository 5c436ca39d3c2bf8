"""negative_roi: a campaign spends more than it earns.

Over the window, a campaign with at least `roi_min_spend` spend whose ROI
((revenue - spend) / spend) is below `roi_threshold` (default 0). Small spends are not
judged: a few days of a new campaign always look bad. Handed to marketing.

An ROI that was at or above the threshold over the baseline and turned negative while the
campaign's conversion rate fell by `drop_min_relative` is the conversion change seen in
money: its finding says so (`change = "conversion"`) and folds into the conversion
diagnosis of the same campaign (registry SPECIFICITY).
"""

from __future__ import annotations

from launches.models import Campaign
from metrics.diagnostics.base import Context
from metrics.diagnostics.base import Finding
from metrics.diagnostics.base import Rule
from metrics.diagnostics.base import evidence_series
from metrics.diagnostics.base import ratio
from metrics.kpis import Scope
from metrics.kpis import format_kpi


class NegativeRoi(Rule):
    label = "Negative ROI"
    team = "marketing"
    informed = ""

    def find(self, context: Context) -> list[Finding]:
        start, end = context.window
        settings = context.settings
        baseline_start, _ = context.baseline
        # The window's sums, then the window's and baseline's together.
        rows = context.rows(
            "SELECT campaign_id, SUM(CASE WHEN date >= %s THEN spend ELSE 0 END) AS window_spend, "
            "SUM(CASE WHEN date >= %s THEN revenue ELSE 0 END), "
            "SUM(CASE WHEN date >= %s THEN visits ELSE 0 END), "
            "SUM(CASE WHEN date >= %s THEN purchases ELSE 0 END), "
            "SUM(spend), SUM(revenue), SUM(visits), SUM(purchases) "
            "FROM metrics_campaignmetric WHERE workspace_id = %s AND date BETWEEN %s AND %s "
            "GROUP BY campaign_id HAVING SUM(CASE WHEN date >= %s THEN spend ELSE 0 END) >= %s",
            [start] * 4
            + [context.workspace.pk, baseline_start, end, start, float(settings.roi_min_spend)],
        )
        threshold = float(settings.roi_threshold)
        min_relative = float(settings.drop_min_relative)
        candidates = {}
        for campaign_id, spend, revenue, visits, purchases, *everything in rows:
            spend, revenue = float(spend or 0), float(revenue or 0)
            roi = (revenue - spend) / spend
            if roi < threshold:
                all_spend, all_revenue, all_visits, all_purchases = (
                    float(v or 0) for v in everything
                )
                base_spend, base_revenue = all_spend - spend, all_revenue - revenue
                base_roi = ratio(base_revenue - base_spend, base_spend)
                base_rate = ratio(
                    all_purchases - float(purchases or 0), all_visits - float(visits or 0)
                )
                rate = ratio(purchases, visits)
                from_conversion = (
                    base_roi is not None
                    and base_roi >= threshold
                    and base_rate
                    and rate is not None
                    and rate <= (1 - min_relative) * base_rate
                )
                candidates[campaign_id] = (spend, revenue, roi, base_roi, bool(from_conversion))
        findings = []
        currency = context.workspace.currency
        campaigns = Campaign.objects.in_workspace(context.workspace).filter(pk__in=candidates)
        for campaign in campaigns.select_related("workspace"):
            spend, revenue, roi, base_roi, from_conversion = candidates[campaign.pk]
            findings.append(
                Finding(
                    subject_type="campaign",
                    subject_id=campaign.pk,
                    subject_label=campaign.name,
                    severity="high" if roi < -0.5 else "medium",
                    level=round(-roi, 4),
                    message=(
                        f"“{campaign.name}” spent {format_kpi('spend', spend, currency=currency)} "
                        f"in {start:%b %-d}–{end:%b %-d} and brought "
                        f"{format_kpi('revenue', revenue, currency=currency)} back: "
                        f"ROI {format_kpi('roi', roi)}."
                    ),
                    next_step=(
                        f"Marketing: to break even on what it earns, spend at most "
                        f"{format_kpi('spend', revenue / (1 + threshold), currency=currency)} "
                        f"over {settings.window_days} days: pause the worst ad sets and "
                        "audiences first and move that budget to a channel with positive ROI, "
                        "or rework the offer."
                    ),
                    link=campaign.get_absolute_url(),
                    change="conversion" if from_conversion else "",
                    window=(start, end),
                    evidence={
                        **evidence_series(
                            context,
                            "roi",
                            start,
                            end,
                            scope=Scope(campaign=campaign),
                            baseline=threshold,
                            baseline_label="Break-even"
                            if threshold == 0
                            else "The workspace's ROI threshold",
                        ),
                        "baseline_roi": None if base_roi is None else round(base_roi, 4),
                        "window": [start.isoformat(), end.isoformat()],
                        "spend": round(spend, 2),
                        "revenue": round(revenue, 2),
                        "roi": round(roi, 4),
                        "threshold": threshold,
                    },
                )
            )
        return findings
