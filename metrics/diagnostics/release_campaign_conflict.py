"""release_campaign_conflict: a release changes a feature during (or just before) a
campaign that promotes it.

Straight from the GTM calendar (`calendar_conflicts`, with the workspace's conflict
window from the GTM settings), for releases from `window_days` ago on. Handed to product
(ship earlier or hold the release), marketing informed.
"""

from __future__ import annotations

from datetime import timedelta

from launches.selectors import calendar_conflicts
from metrics.diagnostics.base import Context, Finding, Rule


class ReleaseCampaignConflict(Rule):
    name = "release_campaign_conflict"
    label = "Release during a campaign"
    team = "product"
    informed = "marketing"

    def find(self, context: Context) -> list[Finding]:
        since = context.today - timedelta(days=context.settings.window_days)
        findings = []
        for conflict in calendar_conflicts(workspace=context.workspace, date_from=since):
            campaign = conflict.campaign
            if campaign.end_date and campaign.end_date < context.today:
                continue  # the campaign is over: nothing left to fix
            campaign.workspace = context.workspace
            findings.append(
                Finding(
                    subject_type="campaign",
                    subject_id=campaign.pk,
                    subject_key=f"release:{conflict.release.pk}:feature:{conflict.feature.pk}",
                    subject_label=campaign.name,
                    severity="high" if conflict.position == "during" else "medium",
                    level=float(conflict.window - conflict.days_apart),
                    message=(
                        f"Release {conflict.release.version} changes “{conflict.feature.name}” "
                        f"{conflict.position} the campaign “{campaign.name}” that promotes it."
                    ),
                    next_step=conflict.advice,
                    link=campaign.get_absolute_url(),
                    evidence={
                        "release": conflict.release.pk,
                        "release_version": conflict.release.version,
                        "release_date": conflict.release.date.isoformat(),
                        "feature": conflict.feature.pk,
                        "campaign_start": campaign.start_date.isoformat(),
                        "days_apart": conflict.days_apart,
                        "window": conflict.window,
                    },
                )
            )
        return findings
