"""conversion_drop: a conversion rate fell against its own trailing baseline.

For each campaign, each channel and the whole workspace, the window's purchases / visits
is tested against the `baseline_days` before it with a two-proportion z-test on the
counts. Flagged when both periods have at least `drop_min_visits` visits, z <= -`drop_z`
and the rate fell by at least `drop_min_relative` of the baseline: a real, material drop,
never a percentage of a handful of visits. Window and baseline are whole weeks by
default (14 and 56 days), so weekends weigh the same on both sides; a seasonal dip in
traffic moves visits, not the rate, and does not trigger. Handed to marketing (what
changed in the traffic), product informed (what changed in the product).
"""

from __future__ import annotations

from collections import defaultdict

from launches.models import Campaign
from launches.models import Release
from metrics.diagnostics.base import Context
from metrics.diagnostics.base import Finding
from metrics.diagnostics.base import Rule
from metrics.diagnostics.base import evidence_series
from metrics.diagnostics.base import two_proportion_z
from metrics.kpis import Scope
from metrics.kpis import format_kpi
from metrics.kpis import format_share


class ConversionDrop(Rule):
    label = "Conversion drop"
    team = "marketing"
    informed = "product"

    def find(self, context: Context) -> list[Finding]:
        window_start, end = context.window
        baseline_start, baseline_end = context.baseline
        rows = context.rows(
            "SELECT campaign_id, channel, CASE WHEN date >= %s THEN 1 ELSE 0 END, "
            "SUM(visits), SUM(purchases) FROM metrics_campaignmetric "
            "WHERE workspace_id = %s AND date BETWEEN %s AND %s GROUP BY 1, 2, 3",
            [window_start, context.workspace.pk, baseline_start, end],
        )
        # subject -> [baseline visits, baseline purchases, window visits, window purchases]
        counts = defaultdict(lambda: [0, 0, 0, 0])
        parts = defaultdict(lambda: [0, 0, 0, 0])  # (campaign, channel) -> the same
        for campaign_id, channel, in_window, visits, purchases in rows:
            offset = 2 if in_window else 0
            for subject in (("campaign", campaign_id), ("channel", channel), ("workspace", 0)):
                counts[subject][offset] += int(visits or 0)
                counts[subject][offset + 1] += int(purchases or 0)
            parts[(campaign_id, channel)][offset] += int(visits or 0)
            parts[(campaign_id, channel)][offset + 1] += int(purchases or 0)
        flagged = {}
        for subject, four in counts.items():
            drop = self.drop(context, *four)
            if drop is not None:
                flagged[subject] = (*four, *drop)
        within = self.explained(context, flagged, parts)
        campaign_ids = [key for kind, key in flagged if kind == "campaign"]
        campaigns = {
            campaign.pk: campaign
            for campaign in Campaign.objects.in_workspace(context.workspace)
            .filter(pk__in=campaign_ids)
            .select_related("workspace")
        }
        settings = context.settings
        slug = context.workspace.slug
        findings = []
        for (kind, key), (bv, bp, v, p, z, relative) in sorted(flagged.items(), key=str):
            if kind == "campaign":
                if key not in campaigns:
                    continue
                label, link = campaigns[key].name, campaigns[key].get_absolute_url()
                subject_id, subject_key = key, ""
                scope = Scope(campaign=campaigns[key])
            elif kind == "channel":
                label = f"Channel {key or '(none)'}"
                link = f"/w/{slug}/metrics/?channel={key}"
                subject_id, subject_key = 0, key or "-"
                scope = Scope(channel=key)
            else:
                label, link, subject_id, subject_key = "The workspace", f"/w/{slug}/metrics/", 0, ""
                scope = Scope()
            shipped = self.releases(context, campaigns.get(key) if kind == "campaign" else None)
            findings.append(
                Finding(
                    subject_type=kind,
                    subject_id=subject_id,
                    subject_key=subject_key,
                    subject_label=label,
                    severity="high" if relative >= 0.5 else "medium",
                    level=round(-z, 3),
                    message=(
                        f"{label}: conversion fell from {format_kpi('conversion_rate', bp / bv)} "
                        f"to {format_kpi('conversion_rate', p / v)} ({format_share(relative)} "
                        f"lower) in {window_start:%b %-d}–{end:%b %-d} against the "
                        f"{settings.baseline_days} days before (z = {z:.1f})."
                    ),
                    next_step=(
                        f"Marketing: compare the traffic since {window_start:%b %-d} with the "
                        f"weeks before (targeting, creative, source mix) and undo what changed; "
                        f"product: {shipped}"
                    ),
                    link=link,
                    change="conversion",
                    window=(window_start, end),
                    within=within.get((kind, key)),
                    evidence={
                        **evidence_series(
                            context,
                            "conversion_rate",
                            baseline_start,
                            end,
                            scope=scope,
                            baseline=bp / bv,
                            baseline_label=f"Baseline ({settings.baseline_days} days before)",
                        ),
                        "window": [window_start.isoformat(), end.isoformat()],
                        "baseline_window": [baseline_start.isoformat(), baseline_end.isoformat()],
                        "baseline_visits": bv,
                        "baseline_purchases": bp,
                        "visits": v,
                        "purchases": p,
                        "baseline_rate": round(bp / bv, 5),
                        "rate": round(p / v, 5),
                        "relative_drop": round(relative, 4),
                        "z": round(z, 2),
                    },
                )
            )
        return findings

    def drop(self, context: Context, base_visits, base_purchases, visits, purchases):
        """(z, relative drop) when the counts show a real, material drop; else None."""
        settings = context.settings
        minimum = settings.drop_min_visits
        if base_visits < minimum or visits < minimum or base_purchases == 0:
            return None
        z = two_proportion_z(base_purchases, base_visits, purchases, visits)
        before, now = base_purchases / base_visits, purchases / visits
        relative = (before - now) / before
        if z <= -float(settings.drop_z) and relative >= float(settings.drop_min_relative):
            return z, relative
        return None

    def explained(self, context: Context, flagged: dict, parts: dict) -> dict:
        """Channel and workspace drops that one narrower drop accounts for: without that
        campaign's (or, for the workspace, that channel's) counts the rest shows no drop.
        Each maps to that subject, so the wider drop folds into its diagnosis instead of
        being a second one. A drop several campaigns share stays the channel's own."""

        def lost(subject) -> float:
            base_visits, base_purchases, visits, purchases = flagged[subject][:4]
            return base_purchases / base_visits * visits - purchases

        def share(subject, wider) -> list:
            """The counts of `subject` inside `wider`."""
            if wider[0] == "channel":
                return parts[(subject[1], wider[1])]
            return flagged[subject][:4]

        within = {}
        for wider in sorted(flagged, key=str):
            kind, key = wider
            if kind == "campaign":
                continue
            candidates = [
                subject
                for subject in flagged
                if (subject[0] == "campaign" and subject[1] is not None)
                or (kind == "workspace" and subject[0] == "channel")
            ]
            if kind == "channel":
                candidates = [c for c in candidates if (c[1], key) in parts]
            # The narrowest first (a campaign before a channel), then the biggest loss.
            for subject in sorted(candidates, key=lambda c: (c[0] != "campaign", -lost(c))):
                rest = [
                    total - part
                    for total, part in zip(flagged[wider][:4], share(subject, wider), strict=True)
                ]
                if self.drop(context, *rest) is None:
                    kind_, key_ = subject
                    within[wider] = (
                        (kind_, key_, "") if kind_ == "campaign" else ("channel", 0, key_ or "-")
                    )
                    break
        return within

    def releases(self, context: Context, campaign: Campaign | None) -> str:
        """The product side of the next step: the releases since the window began (of the
        campaign's features, for a campaign), the first suspects of a drop."""
        window_start, end = context.window
        releases = Release.objects.in_workspace(context.workspace).filter(
            date__range=(window_start, end)
        )
        if campaign is not None:
            releases = releases.filter(features__in=campaign.features.all()).distinct()
        found = [f"{r.version} ({r.date:%b %-d})" for r in releases.order_by("date")[:3]]
        if found:
            return f"check what releases {', '.join(found)} changed on the path to purchase."
        return (
            f"no release is on the calendar since {window_start:%b %-d}: check pricing, "
            "checkout and sign-up changes made outside it."
        )
