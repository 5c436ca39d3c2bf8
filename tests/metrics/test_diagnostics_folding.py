"""One root cause, one diagnosis: folding, the evidence series, specific next steps and
links, and the measured precision and recall."""

from datetime import date

import pytest
from django.urls import resolve
from django.urls import reverse

from alignment.messaging.models import Objective
from alignment.models import Feature
from launches.models import Campaign
from launches.models import Launch
from launches.models import Release
from metrics.diagnostics import RULES
from metrics.diagnostics import SPECIFICITY
from metrics.diagnostics.engine import diagnostics_run
from metrics.diagnostics.engine import find_all
from metrics.diagnostics.engine import make_context
from metrics.models import DashboardSnapshot
from metrics.models import Diagnosis
from metrics.services import diagnosis_set_state
from tests.evaluation.diagnostics.evaluation import evaluate
from tests.evaluation.diagnostics.evaluation import overall
from tests.evaluation.diagnostics.synthetic import build
from tests.metrics.diagnostics_helpers import TODAY
from tests.metrics.diagnostics_helpers import campaign
from tests.metrics.diagnostics_helpers import collapse
from tests.metrics.diagnostics_helpers import day
from tests.metrics.diagnostics_helpers import fact

pytestmark = pytest.mark.django_db

# What the evaluation must keep: README's diagnostics part reports the measured figures.
PRECISION_FLOOR, RECALL_FLOOR = 0.95, 1.0


def test_specificity_lists_every_rule_once():
    assert sorted(SPECIFICITY) == sorted(RULES)
    assert SPECIFICITY.index("conversion_drop") < SPECIFICITY.index("traffic_without_conversion")


def test_a_conversion_collapse_is_one_diagnosis_with_the_other_rules_folded_in(workspace):
    collapsing = collapse(workspace)
    found = find_all(make_context(workspace))
    # Each rule still sees it on its own...
    for rule in ("conversion_drop", "traffic_without_conversion", "negative_roi"):
        assert ("campaign", collapsing.pk) in {(f.subject_type, f.subject_id) for f in found[rule]}
    diagnostics_run(workspace=workspace)
    live = Diagnosis.objects.filter(
        workspace=workspace, subject_type="campaign", subject_id=collapsing.pk
    ).filter(state__in=Diagnosis.LIVE)
    # ...but the campaign has one live diagnosis, the most specific, the others inside it.
    [diagnosis] = live
    assert diagnosis.rule == "conversion_drop" and diagnosis.severity == "high"
    supporting = {row["rule"] for row in diagnosis.evidence["supporting"]}
    # (conversion_drop: the channel's and the workspace's drop, which this collapse is)
    assert supporting == {"traffic_without_conversion", "negative_roi", "conversion_drop"}
    assert all(row["message"] for row in diagnosis.evidence["supporting"])
    # Once in the dashboard's list (and so in the digest, which reads the same rows).
    summary = DashboardSnapshot.objects.get(workspace=workspace).data["diagnostics"]
    assert [row["rule"] for row in summary if row["subject_id"] == collapsing.pk] == [
        "conversion_drop"
    ]


def _live(workspace):
    return Diagnosis.objects.filter(workspace=workspace, state__in=Diagnosis.LIVE)


def test_a_campaigns_collapse_is_not_filed_again_for_its_channel_and_the_workspace(workspace):
    collapsing = collapse(workspace)
    found = find_all(make_context(workspace))["conversion_drop"]
    # The collapse pulls the email channel and the workspace down too, and the rule sees
    # all three drops...
    assert {(f.subject_type, f.subject_id, f.subject_key) for f in found} == {
        ("campaign", collapsing.pk, ""),
        ("channel", 0, "email"),
        ("workspace", 0, ""),
    }
    diagnostics_run(workspace=workspace)
    # ...but one change is one diagnosis: the campaign's, the wider drops inside it.
    [diagnosis] = _live(workspace)
    assert (diagnosis.subject_type, diagnosis.subject_id) == ("campaign", collapsing.pk)
    messages = [row["message"] for row in diagnosis.evidence["supporting"]]
    assert any(m.startswith("Channel email: conversion fell") for m in messages)
    assert any(m.startswith("The workspace: conversion fell") for m in messages)


def test_a_drop_several_campaigns_share_stays_the_channels_own(workspace):
    """Two email campaigns fall together (a channel-wide change), search holds steady:
    each campaign and the email channel are diagnosed; the workspace's drop, which the
    email channel accounts for, folds into the channel's diagnosis."""
    steady = campaign(workspace, "Search steady")
    falling = [campaign(workspace, "Email A"), campaign(workspace, "Email B")]
    for offset in range(0, 70, 3):
        fact(workspace, steady, offset, channel="search", visits=1000, purchases=40)
        for each in falling:
            fact(workspace, each, offset, visits=1000, purchases=4 if offset < 14 else 40)
    diagnostics_run(workspace=workspace)
    live = {(d.subject_type, d.subject_id, d.subject_key): d for d in _live(workspace)}
    assert set(live) == {
        ("campaign", falling[0].pk, ""),
        ("campaign", falling[1].pk, ""),
        ("channel", 0, "email"),
    }
    channel = live[("channel", 0, "email")]
    assert [row["message"][:38] for row in channel.evidence["supporting"]] == [
        "The workspace: conversion fell from 4."
    ]


def test_negative_roi_without_a_conversion_change_stays_its_own_diagnosis(workspace):
    losing = campaign(workspace, "Always losing")
    for offset in range(0, 70, 3):
        fact(workspace, losing, offset, visits=1000, purchases=40, spend=5000, revenue=2400)
    diagnostics_run(workspace=workspace)
    rules = set(
        Diagnosis.objects.filter(workspace=workspace, subject_id=losing.pk).values_list(
            "rule", flat=True
        )
    )
    assert rules == {"negative_roi"}


def test_an_open_diagnosis_that_now_folds_is_resolved_into_its_host(workspace, user):
    collapsing = collapse(workspace)
    diagnostics_run(workspace=workspace, rules=["traffic_without_conversion"])
    earlier = Diagnosis.objects.get(
        workspace=workspace, rule="traffic_without_conversion", subject_id=collapsing.pk
    )
    diagnosis_set_state(actor=user, diagnosis=earlier, state="acknowledged", reason="On it")
    Diagnosis.objects.filter(pk=earlier.pk).update(feedback_id=4242)
    result = diagnostics_run(workspace=workspace)
    earlier.refresh_from_db()
    host = Diagnosis.objects.get(
        workspace=workspace, rule="conversion_drop", subject_id=collapsing.pk
    )
    assert earlier.state == "resolved" and earlier.pk in result.folded
    assert f"#{host.pk}" in earlier.reason and earlier.evidence["folded_into"] == host.pk
    # The work already done carries over: no second acknowledgement, no second feedback.
    assert host.feedback_id == 4242 and host.state == "acknowledged"
    assert diagnostics_run(workspace=workspace).created == []


def test_the_evidence_series_reaches_the_api_with_its_baseline(api, workspace):
    collapsing = collapse(workspace)
    diagnostics_run(workspace=workspace)
    response = api.get(
        reverse("metrics-api:diagnosis-list", kwargs={"workspace_slug": workspace.slug})
    )
    row = next(
        r
        for r in response.json()["results"]
        if r["subject_id"] == collapsing.pk and r["subject_type"] == "campaign"
    )
    evidence = row["evidence"]
    assert evidence["kpi"] == "conversion_rate" and evidence["label"] == "Conversion rate, daily"
    assert len(evidence["series"]) == 70 and set(evidence["series"][0]) >= {"date", "value"}
    assert evidence["series"][-1] == {"date": TODAY.isoformat(), "value": 0.004, "display": "0.40%"}
    assert evidence["baseline"]["value"] == 0.04 and evidence["baseline"]["display"] == "4.00%"
    assert [r["rule"] for r in evidence["supporting"]]


def test_the_page_draws_the_evidence_without_inline_script(web, workspace):
    collapse(workspace)
    diagnostics_run(workspace=workspace)
    body = web.get(
        reverse("metrics:diagnosis_list", kwargs={"workspace_slug": workspace.slug})
    ).content.decode()
    diagnosis = Diagnosis.objects.filter(workspace=workspace, rule="conversion_drop").first()
    assert f'data-evidence="evidence-{diagnosis.pk}"' in body
    assert f'<script id="evidence-{diagnosis.pk}" type="application/json">' in body
    assert "metrics/diagnosis_chart.js" in body and "<script>" not in body
    assert "Also seen as" in body and "Traffic without conversion" in body


# --- Next steps and links, on a workspace where every rule fires -------------------------


@pytest.fixture
def everything(workspace):
    build(workspace, seed=1, today=TODAY)
    return find_all(make_context(workspace, TODAY))


def test_every_rule_fires_and_its_next_step_adds_to_its_description(everything):
    for rule, findings in everything.items():
        assert findings, rule
        for finding in findings:
            step, message = finding.next_step, finding.message
            assert step and step not in message and message not in step, (rule, step)
            # Not the description again in other words: most of its words are new.
            words = set(step.lower().split())
            assert len(words - set(message.lower().split())) > len(words) / 2, (rule, step)


SUBJECT_MODELS = {
    "campaign": Campaign,
    "feature": Feature,
    "launch": Launch,
    "objective": Objective,
}


def test_every_rules_link_opens_its_subject(everything, workspace):
    for rule, findings in everything.items():
        for finding in findings:
            model = SUBJECT_MODELS.get(finding.subject_type)
            if model is None:  # channels and the workspace: the metrics page, filtered
                assert resolve(finding.link.split("?")[0]).url_name == "index", rule
                continue
            subject = model.objects.get(pk=finding.subject_id, workspace=workspace)
            assert finding.link == subject.get_absolute_url(), (rule, finding.link)
            resolve(finding.link)


def test_the_unsupported_claim_flag_opens_the_feature_and_offers_the_claim(everything):
    [finding] = everything["unsupported_claim"]
    feature = Feature.objects.get(pk=finding.subject_id)
    assert finding.link == feature.get_absolute_url()
    assert "/claims/" in finding.evidence["claim_url"] or finding.evidence["claim_url"]
    assert finding.evidence["claim_url"] != finding.link


def test_the_release_conflict_step_names_the_dates_and_both_options(everything):
    [finding] = everything["release_campaign_conflict"]
    release = Release.objects.get(pk=finding.evidence["release"])
    campaign_ = Campaign.objects.get(pk=finding.subject_id)
    ship_by = date.fromisoformat(finding.evidence["ship_by"])
    start_from = date.fromisoformat(finding.evidence["campaign_from"])
    assert f"{start_from:%b %-d}" in finding.next_step and f"{ship_by:%b %-d}" in finding.next_step
    assert finding.next_step.startswith("Move the campaign to start on or after")
    assert f"ship release {release.version} by" in finding.next_step
    assert (campaign_.start_date - ship_by).days == finding.evidence["window"]
    assert (start_from - release.date).days == finding.evidence["window"]
    assert finding.next_step != finding.message


# --- Precision and recall ---------------------------------------------------------------


def test_precision_and_recall_stay_above_their_floor_with_folds_and_look_alikes(db):
    report = evaluate(seeds=(1, 2), healthy_seeds=(101,), today=TODAY)
    total = overall(report)
    assert total["precision"] >= PRECISION_FLOOR, report
    assert total["recall"] >= RECALL_FLOOR, report
    # The collapsed checkouts count once each, as conversion drops.
    assert report["traffic_without_conversion"]["fp"] == 0
    assert report["negative_roi"]["fp"] == 0


def test_day_helper_is_days_before_today():
    assert day(0) == TODAY
