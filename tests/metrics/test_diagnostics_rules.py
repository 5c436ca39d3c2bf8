"""Each rule at its thresholds' edges, and no false alarm on small numbers."""

from datetime import timedelta
from decimal import Decimal

import pytest

from alignment.messaging.models import Claim
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import ReviewStatus
from launches.models import LaunchTask
from launches.models import Release
from metrics.diagnostics import RULES
from metrics.diagnostics.base import poisson_cdf
from metrics.diagnostics.base import two_proportion_z
from metrics.diagnostics.engine import make_context
from metrics.diagnostics.engine import settings_for
from metrics.models import CampaignMetric
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.launches.factories import LaunchFactory
from tests.launches.factories import MilestoneFactory
from tests.metrics.diagnostics_helpers import TODAY
from tests.metrics.diagnostics_helpers import campaign
from tests.metrics.diagnostics_helpers import day
from tests.metrics.diagnostics_helpers import fact
from tests.metrics.diagnostics_helpers import usage

pytestmark = pytest.mark.django_db


def found(workspace, rule, **thresholds):
    settings = settings_for(workspace)
    for name, value in thresholds.items():
        setattr(settings, name, value)
    settings.save()
    return RULES[rule].find(make_context(workspace))


def subjects(findings):
    return {(f.subject_type, f.subject_id) for f in findings}


# --- statistics ------------------------------------------------------------------------


def test_two_proportion_z_matches_a_hand_computation():
    # 4% of 10,000 against 2% of 1,000: pooled 420/11,000.
    assert two_proportion_z(400, 10_000, 20, 1_000) == pytest.approx(-3.147, abs=0.01)
    assert two_proportion_z(0, 0, 5, 10) == 0.0
    assert two_proportion_z(0, 100, 0, 100) == 0.0


def test_poisson_cdf():
    assert poisson_cdf(0, 2.0) == pytest.approx(0.1353, abs=1e-4)
    assert poisson_cdf(2, 2.0) == pytest.approx(0.6767, abs=1e-4)
    assert poisson_cdf(3, 0) == 1.0


# --- traffic_without_conversion -----------------------------------------------------------


def _channel_peer(workspace, visits=10_000, purchases=300):
    peer = campaign(workspace, "Peer")
    fact(workspace, peer, 1, visits=visits, purchases=purchases)
    return peer


def test_twc_flags_a_campaign_at_the_minimum_visits_with_no_sales(workspace):
    _channel_peer(workspace)
    leaky = campaign(workspace, "Leaky")
    fact(workspace, leaky, 1, visits=500, purchases=0)
    findings = found(workspace, "traffic_without_conversion")
    assert subjects(findings) == {("campaign", leaky.pk)}
    evidence = findings[0].evidence
    assert evidence["visits"] == 500 and evidence["expected_purchases"] == 15.0
    assert findings[0].severity == "high"


def test_twc_ignores_a_campaign_one_visit_under_the_minimum(workspace):
    _channel_peer(workspace)
    fact(workspace, campaign(workspace, "Leaky"), 1, visits=499, purchases=0)
    assert found(workspace, "traffic_without_conversion") == []


def test_twc_ratio_edge(workspace):
    _channel_peer(workspace)  # 3% on the channel: 2,000 visits expect 60 purchases
    at_edge = campaign(workspace, "At edge")
    fact(workspace, at_edge, 1, visits=2_000, purchases=15)  # exactly 25% of expected
    assert found(workspace, "traffic_without_conversion") == []
    CampaignMetric.objects.filter(campaign=at_edge).update(purchases=14)
    assert subjects(found(workspace, "traffic_without_conversion")) == {("campaign", at_edge.pk)}


def test_twc_no_alarm_when_chance_explains_it(workspace):
    # A 0.2% channel: 500 visits expect one purchase; none is no evidence at all.
    _channel_peer(workspace, visits=10_000, purchases=20)
    fact(workspace, campaign(workspace, "Small"), 1, visits=500, purchases=0)
    assert found(workspace, "traffic_without_conversion") == []


def test_twc_alone_on_its_channel_uses_the_workspace_rate(workspace):
    _channel_peer(workspace)
    lonely = campaign(workspace, "Lonely")
    fact(workspace, lonely, 1, channel="tiktok", visits=1_000, purchases=0)
    assert subjects(found(workspace, "traffic_without_conversion")) == {("campaign", lonely.pk)}


def test_twc_looks_only_at_the_window(workspace):
    _channel_peer(workspace)
    old = campaign(workspace, "Old")
    fact(workspace, old, 40, visits=5_000, purchases=0)  # long before the 14-day window
    fact(workspace, old, 1, visits=100, purchases=3)
    assert found(workspace, "traffic_without_conversion") == []


# --- negative_roi -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spend", "revenue", "flagged"),
    [
        ("1000.00", "999.99", True),  # at the minimum spend, just below break-even
        ("1000.00", "1000.00", False),  # ROI 0 is not below 0
        ("999.99", "0", False),  # under the minimum spend: not judged
        ("5000", "1000", True),
    ],
)
def test_negative_roi_edges(workspace, spend, revenue, flagged):
    spender = campaign(workspace, "Spender")
    fact(workspace, spender, 2, spend=spend, revenue=revenue)
    assert bool(found(workspace, "negative_roi")) is flagged


def test_negative_roi_severity_and_threshold_setting(workspace):
    spender = campaign(workspace, "Spender")
    fact(workspace, spender, 2, spend=2000, revenue=1800)  # ROI -10%
    [finding] = found(workspace, "negative_roi")
    assert finding.severity == "medium" and finding.evidence["roi"] == -0.1
    assert found(workspace, "negative_roi", roi_threshold=Decimal("-0.1")) == []
    fact(workspace, spender, 3, spend=4000, revenue=0)
    assert found(workspace, "negative_roi")[0].severity == "high"


# --- conversion_drop --------------------------------------------------------------------


def _drop(workspace, base=(10_000, 400), now=(1_000, 20), name="Dropper"):
    dropper = campaign(workspace, name)
    fact(workspace, dropper, 30, visits=base[0], purchases=base[1])  # in the baseline
    fact(workspace, dropper, 1, visits=now[0], purchases=now[1])  # in the window
    return dropper


def test_conversion_drop_flags_a_significant_material_drop(workspace):
    dropper = _drop(workspace)
    findings = found(workspace, "conversion_drop")
    assert ("campaign", dropper.pk) in subjects(findings)
    # One campaign: its channel and the workspace dropped just as much.
    assert {f.subject_type for f in findings} == {"campaign", "channel", "workspace"}
    evidence = next(f for f in findings if f.subject_type == "campaign").evidence
    assert evidence["z"] == pytest.approx(-3.15, abs=0.01)
    assert evidence["relative_drop"] == 0.5


def test_conversion_drop_z_edge(workspace):
    _drop(workspace)  # z = -3.147
    assert found(workspace, "conversion_drop", drop_z=Decimal("3.14"))
    assert found(workspace, "conversion_drop", drop_z=Decimal("3.15")) == []


def test_conversion_drop_relative_edge(workspace):
    _drop(workspace)  # exactly 50% lower
    assert found(workspace, "conversion_drop", drop_min_relative=Decimal("0.5"))
    assert found(workspace, "conversion_drop", drop_min_relative=Decimal("0.501")) == []


def test_conversion_drop_minimum_visits_edge(workspace):
    _drop(workspace, now=(999, 0))
    assert found(workspace, "conversion_drop") == []
    assert found(workspace, "conversion_drop", drop_min_visits=999)


def test_conversion_drop_no_alarm_on_small_numbers(workspace):
    # 10% -> 0% looks dramatic, but on 100 and 50 visits it means nothing.
    _drop(workspace, base=(100, 10), now=(50, 0))
    assert found(workspace, "conversion_drop", drop_min_visits=0) == []  # z is only -2.4
    assert found(workspace, "conversion_drop") == []


def test_conversion_drop_ignores_a_seasonal_dip_in_traffic(workspace):
    # Traffic halves in the window but the rate holds: not a conversion problem.
    _drop(workspace, base=(40_000, 1_600), now=(5_000, 198))
    assert found(workspace, "conversion_drop") == []


def test_conversion_drop_ignores_a_significant_but_immaterial_dip(workspace):
    _drop(workspace, base=(400_000, 16_000), now=(100_000, 3_700))  # -7.5%, z << -3
    assert found(workspace, "conversion_drop") == []


# --- promoted_feature_low_adoption --------------------------------------------------------


def _adoption(workspace, promoted_share, *, product_users=1_000, promote=True):
    product = ProductFactory(workspace=workspace)
    shares = {"A": 0.30, "B": 0.25, "C": promoted_share}
    features = {n: FeatureFactory(product=product, name=n) for n in shares}
    for offset in (1, 2):
        usage(workspace, product, None, product_users, offset)
        for name, share in shares.items():
            usage(workspace, product, features[name], round(product_users * share), offset)
    if promote:
        promo = campaign(workspace, "Promo", start_date=day(20))
        promo.features.set([features["C"]])
    return features["C"]


def test_low_adoption_of_a_promoted_feature_is_flagged(workspace):
    feature = _adoption(workspace, 0.13)  # median of others 27.5%, half of it 13.75%
    [finding] = found(workspace, "promoted_feature_low_adoption")
    assert (finding.subject_type, finding.subject_id) == ("feature", feature.pk)
    assert finding.evidence["reference"] == 0.275


def test_adoption_edge_just_above_the_limit(workspace):
    _adoption(workspace, 0.14)
    assert found(workspace, "promoted_feature_low_adoption") == []


def test_adoption_not_promoted_is_not_flagged(workspace):
    _adoption(workspace, 0.01, promote=False)
    assert found(workspace, "promoted_feature_low_adoption") == []


def test_adoption_small_product_is_not_judged(workspace):
    _adoption(workspace, 0.0, product_users=199)
    assert found(workspace, "promoted_feature_low_adoption") == []
    assert found(workspace, "promoted_feature_low_adoption", adoption_min_users=199)


def test_adoption_launched_feature_is_judged_against_its_target(workspace, member):
    feature = _adoption(workspace, 0.30, promote=False)
    launch = LaunchFactory(workspace=workspace, launch_date=day(10))
    launch.features.set([feature])
    assert found(workspace, "promoted_feature_low_adoption") == []  # at the median
    objective = Objective.objects.create(
        workspace=workspace,
        title="Adoption",
        product_owner=member(),
        marketing_owner=member("pmm"),
        period_start=day(20),
        period_end=day(-20),
    )
    ObjectiveTarget.objects.create(
        workspace=workspace,
        objective=objective,
        kpi="adoption",
        target=Decimal("0.5"),
        scope="feature",
        scope_id=feature.pk,
    )
    [finding] = found(workspace, "promoted_feature_low_adoption")
    assert finding.evidence["reference_basis"] == "its target"


# --- kpi_off_target ---------------------------------------------------------------------


def _objective(workspace, member, target, started=30):
    source = campaign(workspace, "Revenue source")
    fact(workspace, source, 1, revenue=1_000)
    objective = Objective.objects.create(
        workspace=workspace,
        title="Revenue",
        product_owner=member(),
        marketing_owner=member("pmm"),
        period_start=day(started),
        period_end=day(started) + timedelta(days=90),
    )
    ObjectiveTarget.objects.create(
        workspace=workspace,
        objective=objective,
        kpi="revenue",
        target=Decimal(target),
        scope="channel",
        scope_value="email",
    )
    return objective


def test_kpi_off_target_is_pro_rated(workspace, member):
    # 31 of 91 days gone: 3,000 pro-rates to 1,022 due; 1,000 is within the 10% margin.
    _objective(workspace, member, "3000")
    assert found(workspace, "kpi_off_target") == []


def test_kpi_off_target_beyond_the_margin(workspace, member):
    objective = _objective(workspace, member, "4000")  # 1,363 due; 1,000 is 27% short
    [finding] = found(workspace, "kpi_off_target")
    assert (finding.subject_type, finding.subject_id) == ("objective", objective.pk)
    assert finding.team == "marketing" and finding.evidence["due_so_far"] == pytest.approx(
        1362.6, abs=0.1
    )


def test_kpi_off_target_waits_a_week_into_the_period(workspace, member):
    _objective(workspace, member, "1000000", started=6)
    assert found(workspace, "kpi_off_target") == []


def _ratio_objective(workspace, member, kpi, target, direction="up"):
    objective = Objective.objects.create(
        workspace=workspace,
        title=f"{kpi} goal",
        product_owner=member(),
        marketing_owner=member("pmm"),
        period_start=day(30),
        period_end=day(30) + timedelta(days=90),
    )
    target = ObjectiveTarget.objects.create(
        workspace=workspace,
        objective=objective,
        kpi=kpi,
        target=Decimal(target),
        direction=direction,
        scope="channel",
        scope_value="email",
    )
    return objective, target


def test_kpi_off_target_agrees_with_the_objective_page_on_a_ratio(workspace, member):
    from alignment.messaging.selectors import objective_target_progress

    # CPA ≤ 150 at 103.61 a third into the period: on track, never pro-rated to ≤ 51.
    fact(workspace, campaign(workspace, "Paid"), 1, visits=5_000, purchases=100, spend=10_361)
    _, target = _ratio_objective(workspace, member, "cpa", "150", "down")
    assert objective_target_progress(target)["label"] == "on track"
    assert found(workspace, "kpi_off_target") == []


def test_kpi_off_target_prints_values_as_they_read(workspace, member):
    fact(workspace, campaign(workspace, "Leaky"), 1, visits=10_000, purchases=19)
    objective, _target = _ratio_objective(workspace, member, "conversion_rate", "0.02")
    [finding] = found(workspace, "kpi_off_target")
    assert finding.subject_id == objective.pk
    assert "0.19%" in finding.message and "≥ 2.00%" in finding.message
    assert "0.0019" not in finding.message and "91% off" in finding.message


def test_kpi_off_target_does_not_judge_a_rate_on_a_handful_of_visits(workspace, member):
    fact(workspace, campaign(workspace, "Tiny"), 1, visits=40, purchases=0)
    _ratio_objective(workspace, member, "conversion_rate", "0.02")
    assert found(workspace, "kpi_off_target") == []


def test_money_in_diagnoses_carries_the_workspace_currency(workspace):
    workspace.currency = "EUR"
    workspace.save()
    fact(workspace, campaign(workspace, "Costly"), 1, spend=2_000, revenue=500)
    [finding] = found(workspace, "negative_roi")
    assert "€2,000" in finding.message and "€500" in finding.message
    assert "ROI -75.0%" in finding.message


# --- launch_at_risk ---------------------------------------------------------------------


@pytest.mark.parametrize(("days_left", "flagged"), [(21, True), (22, False), (-1, True)])
def test_launch_at_risk_edge_of_days_ahead(workspace, days_left, flagged):
    launch = LaunchFactory(workspace=workspace, launch_date=TODAY + timedelta(days=days_left))
    MilestoneFactory(workspace=workspace, launch=launch, team="sales", due_date=day(2))
    findings = found(workspace, "launch_at_risk")
    assert bool(findings) is flagged
    if flagged:
        assert findings[0].team == "sales" and findings[0].evidence["reasons"]


def test_launch_on_time_is_not_at_risk(workspace):
    launch = LaunchFactory(workspace=workspace, launch_date=TODAY + timedelta(days=5))
    MilestoneFactory(workspace=workspace, launch=launch, due_date=TODAY + timedelta(days=2))
    LaunchTask.objects.create(
        workspace=workspace, launch=launch, title="Later", due_date=TODAY + timedelta(days=1)
    )
    assert found(workspace, "launch_at_risk") == []


# --- release_campaign_conflict and unsupported_claim --------------------------------------


def _promoted_feature(workspace, status="released", start=5, end=None):
    feature = FeatureFactory(workspace=workspace, status=status)
    promo = campaign(workspace, "Promo", start_date=day(start), end_date=end)
    promo.features.set([feature])
    return feature, promo


def test_release_during_a_promoting_campaign(workspace):
    feature, promo = _promoted_feature(workspace)
    release = Release.objects.create(
        workspace=workspace, product=feature.product, version="2.0", date=day(-2)
    )
    release.features.set([feature])
    [finding] = found(workspace, "release_campaign_conflict")
    assert (finding.subject_type, finding.subject_id) == ("campaign", promo.pk)
    assert finding.severity == "high" and "2.0" in finding.message


def test_release_of_an_unpromoted_feature_or_after_the_campaign(workspace):
    feature, _ = _promoted_feature(workspace, start=30, end=day(10))  # over already
    other = FeatureFactory(workspace=workspace, product=feature.product)
    release = Release.objects.create(
        workspace=workspace, product=feature.product, version="2.0", date=day(12)
    )
    release.features.set([feature, other])
    assert found(workspace, "release_campaign_conflict") == []


def _claim(workspace, feature, status=ReviewStatus.APPROVED):
    return Claim.objects.create(
        workspace=workspace, headline="Does it all", feature=feature, status=status
    )


def test_unsupported_claim_used_by_a_live_campaign(workspace):
    feature, _ = _promoted_feature(workspace, status="beta")
    claim = _claim(workspace, feature)
    [finding] = found(workspace, "unsupported_claim")
    assert (finding.subject_type, finding.subject_id) == ("feature", feature.pk)
    assert finding.evidence["claim"] == claim.pk and finding.severity == "high"


@pytest.mark.parametrize(
    ("status", "claim_status", "end"),
    [
        ("released", ReviewStatus.APPROVED, None),  # supported
        ("beta", ReviewStatus.DRAFT, None),  # not approved copy
        ("beta", ReviewStatus.APPROVED, day(1)),  # the campaign is over
    ],
)
def test_unsupported_claim_look_alikes(workspace, status, claim_status, end):
    feature, _ = _promoted_feature(workspace, status=status, start=20, end=end)
    _claim(workspace, feature, claim_status)
    assert found(workspace, "unsupported_claim") == []
