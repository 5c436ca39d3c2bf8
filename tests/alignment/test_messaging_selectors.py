import datetime

import pytest

from alignment.messaging import selectors as selectors
from alignment.messaging.models import ObjectiveTarget
from alignment.models import Feature
from alignment.models import Role
from tests.alignment.factories import ActionItemFactory
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import FeedbackFactory
from tests.alignment.factories import ObjectiveTargetFactory
from tests.alignment.factories import SyncMeetingFactory
from tests.factories import FeatureFactory
from tests.factories import ProductFactory


@pytest.mark.django_db
def test_target_progress_says_no_data_yet_until_metrics_provide_values(workspace):
    target = ObjectiveTargetFactory(workspace=workspace)
    progress = selectors.objective_target_progress(target)
    assert {key: progress[key] for key in ("value", "state", "label", "sample")} == {
        "value": None,
        "state": None,
        "label": "no data yet",
        "sample": None,
    }


@pytest.mark.django_db
def test_target_progress_is_the_kpi_modules_verdict(workspace, monkeypatch):
    from metrics.kpis import targets

    target = ObjectiveTargetFactory(workspace=workspace, target="0.05", direction="up")
    monkeypatch.setattr(targets, "kpi_measure", lambda **kwargs: (0.01, 5000))
    progress = selectors.objective_target_progress(target)
    assert progress["state"] == "off_track" and progress["label"] == "off track"
    assert progress["value_display"] == "1.00%" and progress["target_display"] == "≥ 5.00%"


@pytest.mark.django_db
def test_inbox_per_team(workspace, other_workspace):
    feature = FeatureFactory(workspace=workspace, product=ProductFactory(workspace=workspace))
    asked_product = FeedbackFactory(workspace=workspace, subject_id=feature.pk)
    FeedbackFactory(workspace=workspace, subject_id=feature.pk, status="resolved")
    asked_marketing = FeedbackFactory(
        workspace=workspace, from_team="product", to_team="marketing", subject_id=feature.pk
    )
    FeedbackFactory(workspace=other_workspace)
    assert list(selectors.feedback_inbox(workspace=workspace, team="product")) == [asked_product]
    assert list(selectors.feedback_inbox(workspace=workspace, team="marketing")) == [
        asked_marketing
    ]


@pytest.mark.django_db
def test_open_action_items_of_their_owner_most_urgent_first(workspace, user):
    meeting = SyncMeetingFactory(workspace=workspace)
    today = datetime.date.today()
    later = ActionItemFactory(
        workspace=workspace,
        meeting=meeting,
        owner=user,
        due_date=today + datetime.timedelta(days=3),
    )
    overdue = ActionItemFactory(
        workspace=workspace,
        meeting=meeting,
        owner=user,
        due_date=today - datetime.timedelta(days=1),
    )
    ActionItemFactory(workspace=workspace, meeting=meeting, owner=user, done=True)
    ActionItemFactory(workspace=workspace, meeting=meeting, due_date=None)  # not theirs
    items = list(selectors.open_action_items(workspace=workspace, user=user))
    assert items == [overdue, later]
    assert items[0].overdue and not items[1].overdue
    assert list(selectors.overdue_action_items(workspace=workspace)) == [overdue]


@pytest.mark.django_db
def test_unsupported_claims_are_those_about_unreleased_features(workspace, member):
    product = ProductFactory(workspace=workspace)
    released = FeatureFactory(
        workspace=workspace,
        product=product,
        status=Feature.Status.RELEASED,
        release_date=datetime.date(2026, 1, 1),
    )
    beta = FeatureFactory(workspace=workspace, product=product, status=Feature.Status.BETA)
    retired = FeatureFactory(workspace=workspace, product=product, status=Feature.Status.RETIRED)
    author = member(Role.PM)
    ClaimFactory(workspace=workspace, feature=released, author=author)
    flagged = {
        ClaimFactory(workspace=workspace, feature=beta, author=author).pk,
        ClaimFactory(workspace=workspace, feature=retired, author=author).pk,
    }
    assert set(selectors.unsupported_claims(workspace=workspace).values_list("pk", flat=True)) == (
        flagged
    )
    supported = selectors.claim_list(workspace=workspace, filters={"supported": "true"})
    assert supported.count() == 1


# --- Bare ids (scope_id, subject_id) are named only inside the workspace ------------------


def _foreign_rows(other_workspace):
    """A product, a feature and a campaign of another workspace, with names to look for."""
    from tests.launches.factories import CampaignFactory

    product = ProductFactory(workspace=other_workspace, name="Globex secret product")
    feature = FeatureFactory(
        workspace=other_workspace, product=product, name="Globex secret feature"
    )
    campaign = CampaignFactory(workspace=other_workspace, name="Globex secret campaign")
    return {"product": product, "feature": feature, "campaign": campaign}


@pytest.mark.django_db
def test_target_scope_labels_name_only_rows_of_the_workspace(workspace, other_workspace):
    from tests.launches.factories import CampaignFactory

    own_product = ProductFactory(workspace=workspace, name="Acme product")
    own = {
        "product": own_product,
        "feature": FeatureFactory(workspace=workspace, product=own_product, name="Acme feature"),
        "campaign": CampaignFactory(workspace=workspace, name="Acme campaign"),
    }
    foreign = _foreign_rows(other_workspace)
    objective = ObjectiveTargetFactory(workspace=workspace).objective
    targets = [
        ObjectiveTarget.objects.create(
            workspace=workspace,
            objective=objective,
            kpi="roi",
            target="1",
            scope=scope,
            scope_id=row.pk,
        )
        for rows in (own, foreign)
        for scope, row in rows.items()
    ]
    labels = selectors.target_scope_labels(workspace=workspace, targets=targets)
    assert {scope: labels.get((scope, row.pk)) for scope, row in own.items()} == {
        scope: str(row) for scope, row in own.items()
    }
    assert all((scope, row.pk) not in labels for scope, row in foreign.items())
    assert not any("Globex" in label for label in labels.values())


@pytest.mark.django_db
def test_feedback_subject_labels_name_only_subjects_of_the_workspace(workspace, other_workspace):
    from alignment.messaging.models import Feedback

    own = FeatureFactory(
        workspace=workspace,
        product=ProductFactory(workspace=workspace),
        name="Acme feature",
    )
    foreign = _foreign_rows(other_workspace)
    items = [FeedbackFactory(workspace=workspace, subject_id=own.pk)] + [
        Feedback.objects.create(
            workspace=workspace,
            from_team="marketing",
            to_team="product",
            subject_type=subject_type,
            subject_id=foreign[subject_type].pk,
            body="Points at another workspace's row.",
        )
        for subject_type in ("feature", "campaign")
    ]
    labels = selectors.feedback_subject_labels(workspace=workspace, items=items)
    assert list(labels) == [("feature", own.pk)]
    assert labels[("feature", own.pk)][0] == str(own)
