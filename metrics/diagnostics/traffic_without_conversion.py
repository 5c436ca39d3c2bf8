"""traffic_without_conversion: a campaign brings visitors who do not buy.

Over the window, a campaign with at least `twc_min_visits` visits is compared with what
its channels convert for every other campaign: expected purchases = its visits on each
channel times that channel's rate without it (the workspace's rate where the channel has
no other campaign). It is flagged when it made fewer than `twc_max_ratio` of the expected
purchases and chance explains so few less than once in a hundred (Poisson). Handed to
product (what in the UX or onboarding blocks the purchase), marketing informed.
"""

from __future__ import annotations

from collections import defaultdict

from launches.models import Campaign
from metrics.diagnostics.base import Context
from metrics.diagnostics.base import Finding
from metrics.diagnostics.base import Rule
from metrics.diagnostics.base import evidence_series
from metrics.diagnostics.base import poisson_cdf
from metrics.diagnostics.base import ratio
from metrics.kpis import Scope
from metrics.kpis import format_kpi

ALPHA = 0.01


class TrafficWithoutConversion(Rule):
    label = "Traffic without conversion"
    team = "product"
    informed = "marketing"

    def find(self, context: Context) -> list[Finding]:
        start, end = context.window
        rows = context.rows(
            "SELECT campaign_id, channel, SUM(visits), SUM(purchases) "
            "FROM metrics_campaignmetric WHERE workspace_id = %s AND date BETWEEN %s AND %s "
            "GROUP BY campaign_id, channel",
            [context.workspace.pk, start, end],
        )
        channels = defaultdict(lambda: [0, 0])
        campaigns = defaultdict(list)
        total = [0, 0]
        for campaign_id, channel, visits, purchases in rows:
            visits, purchases = int(visits or 0), int(purchases or 0)
            channels[channel][0] += visits
            channels[channel][1] += purchases
            total[0] += visits
            total[1] += purchases
            campaigns[campaign_id].append((channel, visits, purchases))
        minimum = context.settings.twc_min_visits
        max_ratio = float(context.settings.twc_max_ratio)
        candidates = {}
        for campaign_id, parts in campaigns.items():
            visits = sum(part[1] for part in parts)
            purchases = sum(part[2] for part in parts)
            if visits < minimum:
                continue  # too few visitors to judge
            expected = 0.0
            for channel, channel_visits, channel_purchases in parts:
                others_visits = channels[channel][0] - channel_visits
                others_purchases = channels[channel][1] - channel_purchases
                rate = ratio(others_purchases, others_visits)
                if rate is None:  # alone on its channel: the rest of the workspace
                    rate = ratio(total[1] - purchases, total[0] - visits) or 0.0
                expected += channel_visits * rate
            if expected <= 0 or purchases >= max_ratio * expected:
                continue
            chance = poisson_cdf(purchases, expected)
            if chance >= ALPHA:
                continue
            candidates[campaign_id] = (visits, purchases, expected, chance)
        names = Campaign.objects.in_workspace(context.workspace).filter(pk__in=candidates)
        findings = []
        for campaign in names.select_related("workspace"):
            visits, purchases, expected, chance = candidates[campaign.pk]
            rate = purchases / visits
            baseline = expected / visits
            findings.append(
                Finding(
                    subject_type="campaign",
                    subject_id=campaign.pk,
                    subject_label=campaign.name,
                    severity="high" if purchases == 0 or purchases < 0.1 * expected else "medium",
                    level=round(1 - purchases / expected, 4),
                    message=(
                        f"“{campaign.name}” brought {format_kpi('visits', visits)} visits in "
                        f"{start:%b %-d}–{end:%b %-d} but only "
                        f"{format_kpi('purchases', purchases)} purchases "
                        f"({format_kpi('conversion_rate', rate)}); its channels convert "
                        f"{format_kpi('conversion_rate', baseline)}, so about "
                        f"{format_kpi('purchases', expected)} were expected."
                    ),
                    next_step=(
                        f"Product: walk the path from “{campaign.name}”'s landing page to "
                        f"purchase (sign-up, pricing, checkout) and find the step that loses "
                        f"about {format_kpi('purchases', expected - purchases)} buyers; "
                        "marketing: check the ad's promise matches that landing page."
                    ),
                    link=campaign.get_absolute_url(),
                    change="conversion",
                    window=(start, end),
                    evidence={
                        **evidence_series(
                            context,
                            "conversion_rate",
                            start,
                            end,
                            scope=Scope(campaign=campaign),
                            baseline=baseline,
                            baseline_label="What its channels convert",
                        ),
                        "window": [start.isoformat(), end.isoformat()],
                        "visits": visits,
                        "purchases": purchases,
                        "conversion_rate": round(rate, 5),
                        "baseline_rate": round(baseline, 5),
                        "expected_purchases": round(expected, 1),
                        "p_value": round(chance, 6),
                    },
                )
            )
        return findings
