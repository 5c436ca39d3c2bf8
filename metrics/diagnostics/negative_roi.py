"""negative_roi: a campaign spends more than it earns.

Over the window, a campaign with at least `roi_min_spend` spend whose ROI
((revenue - spend) / spend) is below `roi_threshold` (default 0). Small spends are not
judged: a few days of a new campaign always look bad. Handed to marketing.
"""

from __future__ import annotations

from launches.models import Campaign
from metrics.diagnostics.base import Context, Finding, Rule
from metrics.kpis import format_kpi


class NegativeRoi(Rule):
    name = "negative_roi"
    label = "Negative ROI"
    team = "marketing"
    informed = ""

    def find(self, context: Context) -> list[Finding]:
        start, end = context.window
        settings = context.settings
        rows = context.rows(
            "SELECT campaign_id, SUM(spend), SUM(revenue) FROM metrics_campaignmetric "
            "WHERE workspace_id = %s AND date BETWEEN %s AND %s GROUP BY campaign_id "
            "HAVING SUM(spend) >= %s",
            [context.workspace.pk, start, end, float(settings.roi_min_spend)],
        )
        threshold = float(settings.roi_threshold)
        candidates = {}
        for campaign_id, spend, revenue in rows:
            spend, revenue = float(spend or 0), float(revenue or 0)
            roi = (revenue - spend) / spend
            if roi < threshold:
                candidates[campaign_id] = (spend, revenue, roi)
        findings = []
        currency = context.workspace.currency
        campaigns = Campaign.objects.in_workspace(context.workspace).filter(pk__in=candidates)
        for campaign in campaigns.select_related("workspace"):
            spend, revenue, roi = candidates[campaign.pk]
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
                        "Marketing: cut or pause the worst-performing ad sets and audiences, "
                        "move the budget to channels with positive ROI, or rework the offer."
                    ),
                    link=campaign.get_absolute_url(),
                    evidence={
                        "window": [start.isoformat(), end.isoformat()],
                        "spend": round(spend, 2),
                        "revenue": round(revenue, 2),
                        "roi": round(roi, 4),
                        "threshold": threshold,
                    },
                )
            )
        return findings
