"""release_campaign_conflict: a release changes a feature during (or just before) a
campaign that promotes it.

Straight from the GTM calendar (`calendar_conflicts`, with the workspace's conflict
window from the GTM settings), for releases from `window_days` ago on. Handed to product
(ship earlier or hold the release), marketing informed.
"""

from __future__ import annotations

from datetime import timedelta

from launches.selectors import calendar_conflicts
from metrics.diagnostics.base import Context
from metrics.diagnostics.base import Finding
from metrics.diagnostics.base import Rule


class ReleaseCampaignConflict(Rule):
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
            release, n = conflict.release, conflict.window
            ship_by = campaign.start_date - timedelta(days=n)
            start_from = release.date + timedelta(days=n)
            hold = (
                f"; or hold it until the campaign ends on {campaign.end_date:%b %-d}"
                if campaign.end_date
                else ""
            )
            dates = (
                f"{campaign.start_date:%b %-d}–{campaign.end_date:%b %-d}"
                if campaign.end_date
                else f"from {campaign.start_date:%b %-d}"
            )
            findings.append(
                Finding(
                    subject_type="campaign",
                    subject_id=campaign.pk,
                    subject_key=f"release:{conflict.release.pk}:feature:{conflict.feature.pk}",
                    subject_label=campaign.name,
                    severity="high" if conflict.position == "during" else "medium",
                    level=float(conflict.window - conflict.days_apart),
                    message=(
                        f"Release {release.version} ({release.date:%b %-d}) changes "
                        f"“{conflict.feature.name}” {conflict.position} the campaign "
                        f"“{campaign.name}” ({dates}) that promotes it."
                    ),
                    next_step=(
                        f"Move the campaign to start on or after {start_from:%b %-d}, or ship "
                        f"release {release.version} by {ship_by:%b %-d}, so the campaign "
                        f"promotes the feature as it will be ({n} days apart at least){hold}."
                    ),
                    link=campaign.get_absolute_url(),
                    evidence={
                        "release": conflict.release.pk,
                        "release_version": conflict.release.version,
                        "release_date": conflict.release.date.isoformat(),
                        "feature": conflict.feature.pk,
                        "campaign_start": campaign.start_date.isoformat(),
                        "campaign_end": campaign.end_date.isoformat()
                        if campaign.end_date
                        else None,
                        "ship_by": ship_by.isoformat(),
                        "campaign_from": start_from.isoformat(),
                        "days_apart": conflict.days_apart,
                        "window": conflict.window,
                    },
                )
            )
        return findings
