"""Diagnostics: rules that notice what is going wrong and hand it to the team that can fix it.

Each rule is one module here (its docstring says what it checks and with which settings);
`RULES` lists them in the order they run. The engine (engine.py) runs them, folds the
findings that report one change (see SPECIFICITY), files them as Diagnosis rows
(deduplicated, auto-resolved), tells the teams what opened or resolved (events.py) and
writes the open ones into the dashboard snapshot (snapshot.py).
"""

from metrics.diagnostics.conversion_drop import ConversionDrop
from metrics.diagnostics.kpi_off_target import KpiOffTarget
from metrics.diagnostics.launch_at_risk import LaunchAtRisk
from metrics.diagnostics.negative_roi import NegativeRoi
from metrics.diagnostics.promoted_feature_low_adoption import PromotedFeatureLowAdoption
from metrics.diagnostics.release_campaign_conflict import ReleaseCampaignConflict
from metrics.diagnostics.traffic_without_conversion import TrafficWithoutConversion
from metrics.diagnostics.unsupported_claim import UnsupportedClaim

RULES = {
    rule.name: rule
    for rule in (
        TrafficWithoutConversion(),
        PromotedFeatureLowAdoption(),
        NegativeRoi(),
        ConversionDrop(),
        KpiOffTarget(),
        LaunchAtRisk(),
        ReleaseCampaignConflict(),
        UnsupportedClaim(),
    )
}

# Specificity, most specific first. When several rules fire on one subject, over
# overlapping windows, for the same underlying change (their findings' `change`), one
# diagnosis is filed: the one of the rule earliest here; the others fold into it as
# supporting evidence (kept on it, never a second diagnosis). conversion_drop comes before
# traffic_without_conversion: a drop against the campaign's own baseline says when it broke
# and so where to look; "converts below its channel" is what such a drop looks like from
# outside. negative_roi follows them: an ROI that turned negative because conversion fell
# is the same change seen in money (the rule says so in its finding's `change`).
SPECIFICITY = [
    "conversion_drop",
    "traffic_without_conversion",
    "negative_roi",
    "release_campaign_conflict",
    "unsupported_claim",
    "promoted_feature_low_adoption",
    "launch_at_risk",
    "kpi_off_target",
]
assert set(SPECIFICITY) == set(RULES), "every rule has a place in SPECIFICITY"

RULE_CHOICES = [(name, rule.label) for name, rule in RULES.items()]


def rule_label(name: str | None) -> str:
    """The rule as people read it ("Traffic without conversion"), not its snake_case name."""
    rule = RULES.get(name or "")
    return rule.label if rule else (name or "").replace("_", " ").capitalize()
