"""The engine and services: deduplication, auto-resolution, acknowledge and dismiss (and
the return-if-worse rule), the snapshot key, feedback in one click, the evaluation."""

import pytest
from django.core.exceptions import ValidationError

from alignment.messaging.models import Feedback
from alignment.models import Role
from metrics import services
from metrics.models import CampaignMetric
from metrics.models import DashboardSnapshot
from metrics.models import Diagnosis
from metrics.services import diagnosis_set_state
from metrics.services import diagnosis_to_feedback
from metrics.services import diagnostics_run
from tests.evaluation.diagnostics.evaluation import evaluate
from tests.metrics.diagnostics_helpers import campaign
from tests.metrics.diagnostics_helpers import fact

pytestmark = pytest.mark.django_db


@pytest.fixture
def losing(workspace):
    """A campaign with ROI -20% over the window (a negative_roi diagnosis)."""
    spender = campaign(workspace, "Spender")
    fact(workspace, spender, 2, spend=2000, revenue=1600)
    return spender


def live(workspace):
    return Diagnosis.objects.filter(workspace=workspace, state__in=Diagnosis.LIVE)


def test_a_diagnosis_that_still_holds_is_updated_not_duplicated(workspace, losing):
    first = diagnostics_run(workspace=workspace)
    [diagnosis] = Diagnosis.objects.filter(workspace=workspace)
    assert first.created == [diagnosis.pk] and diagnosis.evidence["roi"] == -0.2
    fact(workspace, losing, 3, spend=1000, revenue=0)  # worse: ROI -47%
    second = diagnostics_run(workspace=workspace)
    assert second.created == [] and second.updated == [diagnosis.pk]
    diagnosis.refresh_from_db()
    assert Diagnosis.objects.filter(workspace=workspace).count() == 1
    assert diagnosis.evidence["roi"] == pytest.approx(-0.4667, abs=1e-4)
    assert diagnosis.detected_at <= diagnosis.last_seen_at


def test_a_diagnosis_that_no_longer_holds_is_resolved(workspace, losing):
    diagnostics_run(workspace=workspace)
    CampaignMetric.objects.filter(campaign=losing).update(revenue=5000)
    result = diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(workspace=workspace)
    assert result.resolved == [diagnosis.pk]
    assert diagnosis.state == "resolved" and diagnosis.resolved_at is not None
    # Coming back later is a new diagnosis; the resolved one stays as history.
    CampaignMetric.objects.filter(campaign=losing).update(revenue=0)
    diagnostics_run(workspace=workspace)
    assert Diagnosis.objects.filter(workspace=workspace).count() == 2
    assert live(workspace).count() == 1


def test_acknowledged_stays_acknowledged_while_it_holds(workspace, losing, user):
    diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(workspace=workspace)
    diagnosis_set_state(actor=user, diagnosis=diagnosis, state="acknowledged", reason="On it")
    diagnostics_run(workspace=workspace)
    diagnosis.refresh_from_db()
    assert diagnosis.state == "acknowledged" and diagnosis.state_changed_by == user


def test_dismissed_returns_only_when_worse(workspace, losing, user):
    diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(workspace=workspace)
    diagnosis_set_state(actor=user, diagnosis=diagnosis, state="dismissed", reason="Brand play")
    diagnosis.refresh_from_db()
    assert diagnosis.dismissed_level == pytest.approx(0.2)
    # A little worse (ROI -21%, within 10% of the level at dismissal): stays dismissed.
    CampaignMetric.objects.filter(campaign=losing).update(revenue=1580)
    assert diagnostics_run(workspace=workspace).reopened == []
    diagnosis.refresh_from_db()
    assert diagnosis.state == "dismissed"
    # Gone for a while: a dismissed one is not resolved, and comes back dismissed.
    CampaignMetric.objects.filter(campaign=losing).update(revenue=5000)
    diagnostics_run(workspace=workspace)
    CampaignMetric.objects.filter(campaign=losing).update(revenue=1600)
    diagnostics_run(workspace=workspace)
    diagnosis.refresh_from_db()
    assert diagnosis.state == "dismissed"
    assert Diagnosis.objects.filter(workspace=workspace).count() == 1
    # Clearly worse (ROI -30%): reopened.
    CampaignMetric.objects.filter(campaign=losing).update(revenue=1400)
    assert diagnostics_run(workspace=workspace).reopened == [diagnosis.pk]
    diagnosis.refresh_from_db()
    assert diagnosis.state == "open"


def test_state_changes_are_checked(workspace, losing, user):
    diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(workspace=workspace)
    with pytest.raises(ValidationError) as error:
        diagnosis_set_state(actor=user, diagnosis=diagnosis, state="dismissed", reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        diagnosis_set_state(actor=user, diagnosis=diagnosis, state="resolved")
    assert "state" in error.value.message_dict
    diagnosis_set_state(actor=user, diagnosis=diagnosis, state="dismissed", reason="Known")
    with pytest.raises(ValidationError):
        diagnosis_set_state(actor=user, diagnosis=diagnosis, state="acknowledged")


def test_the_snapshot_carries_the_live_diagnoses(workspace, losing):
    diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(workspace=workspace)
    data = DashboardSnapshot.objects.get(workspace=workspace).data
    assert data["diagnostics"] == [
        {
            "id": diagnosis.pk,
            "rule": "negative_roi",
            "severity": "medium",
            "team": "marketing",
            "subject_type": "campaign",
            "subject_id": losing.pk,
            "message": diagnosis.message,
            "link": losing.get_absolute_url(),
        }
    ]
    # A dashboard recompute keeps them (and, through its task, runs the rules again).
    services.dashboard_recompute(workspace=workspace)
    assert DashboardSnapshot.objects.get(workspace=workspace).data["diagnostics"]
    CampaignMetric.objects.filter(campaign=losing).update(revenue=9000)
    diagnostics_run(workspace=workspace)
    assert DashboardSnapshot.objects.get(workspace=workspace).data["diagnostics"] == []


def test_runs_stay_inside_their_workspace(workspace, other_workspace, losing):
    diagnostics_run(workspace=other_workspace)
    assert not Diagnosis.objects.filter(workspace=other_workspace).exists()
    diagnostics_run(workspace=workspace)
    assert Diagnosis.objects.filter(workspace=workspace).count() == 1


def test_diagnosis_to_feedback_goes_to_the_other_team(workspace, losing, member):
    diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(workspace=workspace)  # handed to marketing
    pmm = member(Role.PMM)
    feedback = diagnosis_to_feedback(actor=pmm, diagnosis=diagnosis)
    assert (feedback.from_team, feedback.to_team) == ("marketing", "product")
    assert (feedback.subject_type, feedback.subject_id) == ("campaign", losing.pk)
    assert diagnosis.message in feedback.body
    diagnosis.refresh_from_db()
    assert diagnosis.state == "acknowledged" and diagnosis.feedback_id == feedback.pk
    # One click, one item: a second click returns the same feedback.
    assert diagnosis_to_feedback(actor=pmm, diagnosis=diagnosis) == feedback
    pm_feedback = diagnosis_to_feedback(actor=member(Role.PM), diagnosis=diagnosis)
    assert pm_feedback == feedback and Feedback.objects.count() == 1


def test_diagnosis_to_feedback_from_a_pm_goes_to_marketing(workspace, losing, user):
    diagnostics_run(workspace=workspace)
    feedback = diagnosis_to_feedback(actor=user, diagnosis=Diagnosis.objects.get())
    assert (feedback.from_team, feedback.to_team) == ("product", "marketing")


def test_workspace_level_diagnosis_cannot_become_feedback(workspace, user):
    diagnosis = Diagnosis.objects.create(
        workspace=workspace,
        rule="conversion_drop",
        severity="medium",
        team="marketing",
        subject_type="workspace",
        subject_id=0,
        message="Down",
        detected_at="2026-01-01T00:00Z",
    )
    with pytest.raises(ValidationError) as error:
        diagnosis_to_feedback(actor=user, diagnosis=diagnosis)
    assert "subject_type" in error.value.message_dict


def test_evaluation_meets_its_targets_on_a_small_generated_set(db):
    report = evaluate(seeds=(1, 2), healthy_seeds=(101,))
    for rule, row in report.items():
        assert row["recall"] == 1.0, (rule, row)
        assert row["precision"] >= 0.9, (rule, row)
        # conversion_drop: two plants per seed, one of them a change several rules see.
        assert row["tp"] == (4 if rule == "conversion_drop" else 2), (rule, row)


def test_dismissed_at_medium_does_not_return_after_a_dip_to_low(workspace, losing, user):
    diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(workspace=workspace)
    diagnosis_set_state(actor=user, diagnosis=diagnosis, state="dismissed", reason="Known")
    Diagnosis.objects.filter(pk=diagnosis.pk).update(severity="medium")
    CampaignMetric.objects.filter(campaign=losing).update(revenue=1900)  # ROI -5%
    diagnostics_run(workspace=workspace)
    CampaignMetric.objects.filter(campaign=losing).update(revenue=1600)  # back to -20%
    assert diagnostics_run(workspace=workspace).reopened == []
    diagnosis.refresh_from_db()
    assert (diagnosis.state, diagnosis.severity) == ("dismissed", "medium")
