"""unsupported_claim: approved copy promises a feature that has not shipped.

An approved claim (alignment's `unsupported_claims`: its feature is not released) whose
feature is promoted by a campaign running today or is in a launch not yet reviewed.
One finding per claim, filed under its feature (its link opens the feature; the claim's
is in the evidence). Handed to marketing (change the copy), product informed (or ship the
feature first).
"""

from __future__ import annotations

from django.db.models import Q

from alignment.messaging.models import ReviewStatus
from alignment.messaging.selectors import unsupported_claims
from launches.models import Campaign
from launches.models import Launch
from metrics.diagnostics.base import Context
from metrics.diagnostics.base import Finding
from metrics.diagnostics.base import Rule


class UnsupportedClaim(Rule):
    label = "Claim about an unreleased feature"
    team = "marketing"
    informed = "product"

    def find(self, context: Context) -> list[Finding]:
        today = context.today
        workspace = context.workspace
        claims = list(
            unsupported_claims(workspace=workspace).filter(
                status=ReviewStatus.APPROVED, feature__isnull=False
            )
        )
        if not claims:
            return []
        feature_ids = {claim.feature_id for claim in claims}
        used = {}
        live_campaigns = (
            Campaign.objects.in_workspace(workspace)
            .filter(features__in=feature_ids, start_date__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .values_list("features", "name")
        )
        for feature_id, name in live_campaigns:
            used.setdefault(feature_id, ("campaign", name))
        live_launches = (
            Launch.objects.in_workspace(workspace)
            .filter(features__in=feature_ids)
            .exclude(status=Launch.Status.REVIEWED)
            .values_list("features", "name")
        )
        for feature_id, name in live_launches:
            used.setdefault(feature_id, ("launch", name))
        findings = []
        for claim in claims:
            if claim.feature_id not in used:
                continue
            kind, name = used[claim.feature_id]
            feature = claim.feature
            findings.append(
                Finding(
                    subject_type="feature",
                    subject_id=feature.pk,
                    subject_key=f"claim:{claim.pk}",
                    subject_label=feature.name,
                    severity="high" if kind == "campaign" else "medium",
                    level=2.0 if kind == "campaign" else 1.0,
                    message=(
                        f"The approved claim “{claim.headline}” is about “{feature.name}”, "
                        f"which is {feature.get_status_display().lower()}, and the {kind} "
                        f"“{name}” uses it."
                    ),
                    next_step=(
                        f"Marketing: take “{claim.headline}” out of the {kind} “{name}” or "
                        f"reword it as coming soon; product: "
                        + (
                            f"it is due {feature.release_date:%b %-d}: confirm that date, and "
                            "the copy goes back in the day it ships."
                            if feature.release_date
                            else "give the feature a release date so the copy can follow it."
                        )
                    ),
                    link=feature.get_absolute_url(),
                    evidence={
                        "claim": claim.pk,
                        "claim_url": claim.get_absolute_url(),
                        "headline": claim.headline,
                        "feature_status": feature.status,
                        "used_by": {"type": kind, "name": name},
                    },
                )
            )
        return findings
