import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from alignment.messaging import services
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import Positioning
from alignment.messaging.models import Review
from alignment.messaging.models import ReviewStatus
from alignment.models import Feature
from alignment.models import Role
from alignment.teams import team_for_role
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import FeedbackFactory
from tests.alignment.factories import HandoffDocumentFactory
from tests.alignment.factories import SyncMeetingFactory
from tests.alignment.factories import member_of
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.launches.factories import CampaignFactory
from tests.research.factories import CompetitorFactory
from tests.research.factories import PersonaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def feature(workspace):
    return FeatureFactory(
        workspace=workspace,
        product=ProductFactory(workspace=workspace),
        status=Feature.Status.RELEASED,
        release_date=datetime.date(2026, 1, 5),
    )


def _claim(workspace, author, feature, status=ReviewStatus.DRAFT):
    return ClaimFactory(workspace=workspace, author=author, feature=feature, status=status)


def _review_refused(claim, **review) -> dict:
    """The messages of the refusal of claim_review(claim=claim, **review); the claim is read
    again from the database."""
    with pytest.raises(ValidationError) as error:
        services.claim_review(claim=claim, **review)
    claim.refresh_from_db()
    return error.value.message_dict


# --- Teams and the review rule ----------------------------------------------------------


@pytest.mark.parametrize(
    "role,team",
    [
        ("pm", "product"),
        ("pmm", "marketing"),
        ("marketing", "marketing"),
        ("sales", "sales"),
        ("support", "support"),
        ("admin", "admin"),
    ],
)
def test_team_for_role(role, team):
    assert team_for_role(role) == team


def test_pmm_approves_a_pm_claim_and_the_review_is_recorded(workspace, user, member, feature):
    pmm = member(Role.PMM)
    claim = services.claim_create(actor=user, workspace=workspace, headline="Fast", feature=feature)
    services.claim_submit(actor=user, claim=claim)
    services.claim_review(actor=pmm, claim=claim, decision="approve", comment="Good")
    claim.refresh_from_db()
    assert claim.status == ReviewStatus.APPROVED
    assert claim.reviewed_by == pmm
    assert Review.objects.get(claim=claim).decision == "approve"


def test_pm_reviews_marketing_work(workspace, user, member, feature):
    marketer = member(Role.MARKETING)
    document = HandoffDocumentFactory(workspace=workspace, author=marketer, feature=feature)
    services.document_submit(actor=marketer, document=document)
    services.document_review(actor=user, document=document, decision="approve")
    assert document.status == ReviewStatus.APPROVED


def test_self_review_is_refused(workspace, user, feature):
    claim = _claim(workspace, user, feature, ReviewStatus.IN_REVIEW)
    errors = _review_refused(claim, actor=user, decision="approve")
    assert "own work" in str(errors["reviewer"])
    assert claim.status == ReviewStatus.IN_REVIEW
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "author_role,reviewer_role",
    [(Role.PM, Role.PM), (Role.PMM, Role.MARKETING), (Role.MARKETING, Role.PMM)],
)
def test_review_by_the_same_team_is_refused(workspace, member, feature, author_role, reviewer_role):
    author, reviewer = member(author_role), member(reviewer_role)
    claim = _claim(workspace, author, feature, ReviewStatus.IN_REVIEW)
    errors = _review_refused(claim, actor=reviewer, decision="approve")
    assert "other team" in str(errors["reviewer"])
    assert claim.status == ReviewStatus.IN_REVIEW


def test_approving_from_draft_is_refused(workspace, user, member, feature):
    claim = _claim(workspace, user, feature, ReviewStatus.DRAFT)
    errors = _review_refused(claim, actor=member(Role.PMM), decision="approve")
    assert "status" in errors
    assert claim.status == ReviewStatus.DRAFT


def test_request_changes_needs_a_comment_then_goes_back_to_the_author(
    workspace, user, member, feature
):
    pmm = member(Role.PMM)
    claim = _claim(workspace, user, feature, ReviewStatus.IN_REVIEW)
    with pytest.raises(ValidationError) as error:
        services.claim_review(actor=pmm, claim=claim, decision="request_changes", comment=" ")
    assert "comment" in error.value.message_dict
    services.claim_review(
        actor=pmm, claim=claim, decision="request_changes", comment="Add a number"
    )
    assert claim.status == ReviewStatus.CHANGES_REQUESTED
    assert claim.review_comment == "Add a number"
    services.claim_update(actor=user, claim=claim, headline="3x faster")
    services.claim_submit(actor=user, claim=claim)
    assert claim.status == ReviewStatus.IN_REVIEW


def test_submit_twice_is_refused_and_in_review_cannot_be_edited(workspace, user, feature):
    claim = _claim(workspace, user, feature)
    services.claim_submit(actor=user, claim=claim)
    with pytest.raises(ValidationError):
        services.claim_submit(actor=user, claim=claim)
    with pytest.raises(ValidationError):
        services.claim_update(actor=user, claim=claim, headline="Changed")
    claim.refresh_from_db()
    assert claim.headline != "Changed"


def test_editing_approved_copy_needs_a_new_review(workspace, user, feature):
    claim = _claim(workspace, user, feature, ReviewStatus.APPROVED)
    services.claim_update(actor=user, claim=claim, headline="Now 5x faster")
    assert claim.status == ReviewStatus.DRAFT


# --- supported ------------------------------------------------------------------------


def test_supported_follows_the_feature_status(workspace, user, feature):
    claim = _claim(workspace, user, feature)
    assert Claim.objects.get(pk=claim.pk).supported is True
    for status, supported in [
        (Feature.Status.BETA, False),
        (Feature.Status.PLANNED, False),
        (Feature.Status.RETIRED, False),
        (Feature.Status.RELEASED, True),
    ]:
        Feature.objects.filter(pk=feature.pk).update(status=status)
        assert Claim.objects.get(pk=claim.pk).supported is supported, status


def test_claim_on_a_feature_of_another_workspace_is_refused(workspace, other_workspace, user):
    foreign = FeatureFactory(
        workspace=other_workspace, product=ProductFactory(workspace=other_workspace)
    )
    with pytest.raises(ValidationError) as error:
        services.claim_create(actor=user, workspace=workspace, headline="X", feature=foreign)
    assert "feature" in error.value.message_dict
    assert not Claim.objects.exists()


def test_claim_with_a_persona_of_another_workspace_stores_nothing(
    workspace, other_workspace, user, feature
):
    persona = PersonaFactory(workspace=other_workspace)
    with pytest.raises(ValidationError) as error:
        services.claim_create(
            actor=user, workspace=workspace, headline="X", feature=feature, personas=[persona]
        )
    assert "personas" in error.value.message_dict
    assert not Claim.objects.exists()


# --- Positioning versions ---------------------------------------------------------------


def test_editing_positioning_keeps_previous_versions(workspace, user):
    product, persona = ProductFactory(workspace=workspace), PersonaFactory(workspace=workspace)
    positioning = services.positioning_create(
        actor=user,
        workspace=workspace,
        product=product,
        persona=persona,
        target_customer="Teams",
        need="need speed",
        our_product="Acme",
    )
    services.positioning_update(actor=user, positioning=positioning, need="need answers")
    services.positioning_update(actor=user, positioning=positioning, need="need answers")  # no-op
    positioning.refresh_from_db()
    assert positioning.version == 2
    versions = list(positioning.versions.order_by("number").values_list("number", "need"))
    assert versions == [(1, "need speed"), (2, "need answers")]


def test_one_positioning_per_product_and_persona(workspace, user):
    product, persona = ProductFactory(workspace=workspace), PersonaFactory(workspace=workspace)
    data = {
        "product": product,
        "persona": persona,
        "target_customer": "T",
        "need": "N",
        "our_product": "O",
    }
    services.positioning_create(actor=user, workspace=workspace, **data)
    with pytest.raises(ValidationError):
        services.positioning_create(actor=user, workspace=workspace, **data)
    assert Positioning.objects.count() == 1


# --- Handoff documents ------------------------------------------------------------------


def test_press_release_starts_from_the_working_backwards_template(workspace, user, feature):
    document = services.document_create(
        actor=user, workspace=workspace, kind="press_release", title="PR", feature=feature
    )
    for heading in ["**Problem.**", "**Solution.**", "Customer quote", "## FAQ", "get started"]:
        assert heading in document.body
    assert feature.name in document.body


def test_battlecard_needs_a_competitor_of_this_workspace(workspace, other_workspace, user, feature):
    def battlecard(**competitor):
        return services.document_create(
            actor=user,
            workspace=workspace,
            kind="battlecard",
            title="B",
            feature=feature,
            **competitor,
        )

    with pytest.raises(ValidationError) as error:
        battlecard()
    assert "competitor" in error.value.message_dict
    with pytest.raises(ValidationError):
        battlecard(competitor=CompetitorFactory(workspace=other_workspace))
    competitor = CompetitorFactory(workspace=workspace, weaknesses="Slow setup")
    document = battlecard(competitor=competitor)
    assert "Slow setup" in document.body
    assert HandoffDocument.objects.count() == 1


# --- Objectives -------------------------------------------------------------------------


@pytest.fixture
def owners(member):
    return {"product_owner": member(Role.PM), "marketing_owner": member(Role.PMM)}


def _objective(workspace, user, owners, **overrides):
    data = {
        "title": "Grow",
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2026, 3, 31),
        **owners,
        **overrides,
    }
    return services.objective_create(actor=user, workspace=workspace, **data)


def test_objective_with_targets(workspace, user, owners, feature):
    CampaignFactory(workspace=workspace, channel="email")  # a channel seen in the data
    objective = _objective(
        workspace,
        user,
        owners,
        targets=[
            {
                "kpi": "adoption",
                "target": "0.3",
                "direction": "up",
                "scope": "feature",
                "scope_id": feature.pk,
            },
            {
                "kpi": "cpa",
                "target": "120",
                "direction": "down",
                "scope": "channel",
                "scope_value": "email",
            },
        ],
    )
    assert objective.targets.count() == 2
    assert set(ObjectiveTarget.objects.values_list("workspace", flat=True)) == {workspace.pk}


@pytest.mark.parametrize(
    "target,field",
    [
        (
            {
                "kpi": "happiness",
                "target": "1",
                "direction": "up",
                "scope": "channel",
                "scope_value": "email",
            },
            "kpi",
        ),
        (
            {
                "kpi": "roi",
                "target": "1",
                "direction": "up",
                "scope": "feature",
                "scope_id": 999999,
            },
            "scope_id",
        ),
        ({"kpi": "roi", "target": "1", "direction": "up", "scope": "channel"}, "scope_value"),
        (
            {
                "kpi": "roi",
                "target": "1",
                "direction": "sideways",
                "scope": "channel",
                "scope_value": "x",
            },
            "direction",
        ),
    ],
)
def test_bad_targets_store_nothing(workspace, user, owners, target, field):
    with pytest.raises(ValidationError) as error:
        _objective(workspace, user, owners, targets=[target])
    assert field in " ".join(error.value.message_dict["targets"])
    assert not Objective.objects.exists()
    assert not ObjectiveTarget.objects.exists()


def test_target_scoped_to_a_feature_of_another_workspace_is_refused(
    workspace, other_workspace, user, owners
):
    foreign = FeatureFactory(
        workspace=other_workspace, product=ProductFactory(workspace=other_workspace)
    )
    target = {
        "kpi": "adoption",
        "target": "0.2",
        "direction": "up",
        "scope": "feature",
        "scope_id": foreign.pk,
    }
    with pytest.raises(ValidationError):
        _objective(workspace, user, owners, targets=[target])
    assert not Objective.objects.exists()


def test_a_workspace_wide_target_is_the_default_and_owners_are_optional(workspace, user):
    objective = _objective(
        workspace, user, {}, targets=[{"kpi": "conversion_rate", "target": "0.03"}]
    )
    [target] = objective.targets.all()
    assert (objective.product_owner, objective.marketing_owner) == (None, None)
    assert (target.scope, target.scope_id, target.scope_value) == ("workspace", None, "")
    assert target.direction == "up"
    cpa = services.objective_target_add(actor=user, objective=objective, kpi="cpa", target="150")
    assert cpa.direction == "down"  # the KPI's own direction when none is given


def test_an_unknown_channel_is_refused_with_the_channels_seen(workspace, user, owners):
    CampaignFactory(workspace=workspace, channel="podcasts")
    target = {"kpi": "cpa", "target": "150", "scope": "channel", "scope_value": "podcats"}
    with pytest.raises(ValidationError) as error:
        _objective(workspace, user, owners, targets=[target])
    [message] = error.value.message_dict["targets"]
    assert "scope_value" in message and "podcats" in message and "podcasts" in message
    assert not Objective.objects.exists()
    target["scope_value"] = "Podcasts"  # a known channel, whatever its case
    objective = _objective(workspace, user, owners, targets=[target])
    assert objective.targets.get().scope_value == "podcasts"


@pytest.mark.parametrize(
    "target",
    [
        {"kpi": "adoption", "target": "0.3", "scope": "workspace"},  # adoption is per feature
        {"kpi": "nps", "target": "30", "scope": "channel", "scope_value": "email"},
    ],
)
def test_a_kpi_its_scope_cannot_have_is_refused(workspace, user, owners, target):
    CampaignFactory(workspace=workspace, channel="email")
    with pytest.raises(ValidationError) as error:
        _objective(workspace, user, owners, targets=[target])
    assert "scope" in " ".join(error.value.message_dict["targets"])
    assert not Objective.objects.exists()


def test_period_that_ends_before_it_starts_is_refused(workspace, user, owners):
    with pytest.raises(ValidationError) as error:
        _objective(workspace, user, owners, period_end=datetime.date(2025, 12, 1))
    assert "period_end" in error.value.message_dict
    assert not Objective.objects.exists()


def test_owners_must_be_members_of_the_right_team(workspace, user, member, other_workspace):
    pmm = member(Role.PMM)
    with pytest.raises(ValidationError) as error:
        _objective(workspace, user, {"product_owner": pmm, "marketing_owner": pmm})
    assert "product_owner" in error.value.message_dict
    outsider = member_of(other_workspace, Role.PMM)
    with pytest.raises(ValidationError) as error:
        _objective(workspace, user, {"product_owner": user, "marketing_owner": outsider})
    assert "marketing_owner" in error.value.message_dict


def test_update_replaces_targets_only_when_given(workspace, user, owners):
    target = {"kpi": "nps", "target": "40", "direction": "up", "scope": "workspace"}
    objective = _objective(workspace, user, owners, targets=[target])
    services.objective_update(actor=user, objective=objective, title="Grow more")
    assert objective.targets.count() == 1
    services.objective_update(actor=user, objective=objective, targets=[])
    assert objective.targets.count() == 0


# --- Feedback ---------------------------------------------------------------------------


def test_feedback_flow(workspace, user, member, feature):
    marketer = member(Role.MARKETING)
    feedback = services.feedback_create(
        actor=marketer,
        workspace=workspace,
        to_team="product",
        subject_type="feature",
        subject_id=feature.pk,
        body="Customers want CSV export.",
    )
    assert feedback.from_team == "marketing"  # the author's team
    assert feedback.status == Feedback.Status.OPEN
    with pytest.raises(ValidationError):  # open -> resolved skips acknowledging
        services.feedback_set_status(actor=user, feedback=feedback, status="resolved")
    with pytest.raises(PermissionDenied):  # marketing does not answer its own request
        services.feedback_set_status(actor=marketer, feedback=feedback, status="acknowledged")
    feedback = services.feedback_set_status(actor=user, feedback=feedback, status="acknowledged")
    services.feedback_comment_add(actor=user, feedback=feedback, body="On the roadmap.")
    feedback = services.feedback_set_status(actor=user, feedback=feedback, status="resolved")
    assert feedback.status == Feedback.Status.RESOLVED
    assert feedback.acknowledged_at and feedback.resolved_at
    assert feedback.comments.count() == 1
    verbs = list(ActivityEvent.objects.order_by("id").values_list("verb", "target_type"))
    assert verbs == [
        ("opened", "feedback"),
        ("acknowledged", "feedback"),
        ("commented on", "feedback"),
        ("resolved", "feedback"),
    ]
    with pytest.raises(ValidationError):
        services.feedback_set_status(actor=user, feedback=feedback, status="acknowledged")


def test_feedback_to_the_own_team_is_refused(workspace, user, feature):
    with pytest.raises(ValidationError):
        services.feedback_create(
            actor=user,
            workspace=workspace,
            to_team="product",
            subject_type="feature",
            subject_id=feature.pk,
            body="x",
        )
    assert not Feedback.objects.exists()


def test_feedback_subject_must_exist_in_the_workspace(workspace, other_workspace, user):
    from launches.models import Campaign

    foreign = FeatureFactory(
        workspace=other_workspace, product=ProductFactory(workspace=other_workspace)
    )
    campaign = Campaign.objects.create(workspace=workspace, name="Spring")
    data = {"to_team": "marketing", "body": "x"}
    with pytest.raises(ValidationError) as error:
        services.feedback_create(
            actor=user, workspace=workspace, subject_type="feature", subject_id=foreign.pk, **data
        )
    assert "subject_id" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.feedback_create(
            actor=user, workspace=workspace, subject_type="campaign", subject_id=999999, **data
        )
    services.feedback_create(
        actor=user, workspace=workspace, subject_type="campaign", subject_id=campaign.pk, **data
    )
    assert Feedback.objects.count() == 1


def test_launch_subjects_are_checked_once_launches_has_a_launch_model(workspace, user):
    from django.apps import apps

    try:
        apps.get_model("launches", "Launch")
    except LookupError:
        feedback = services.feedback_create(
            actor=user,
            workspace=workspace,
            to_team="marketing",
            subject_type="launch",
            subject_id=12345,
            body="Launch day is too close to the release.",
        )
        assert feedback.subject_type == "launch"
    else:
        with pytest.raises(ValidationError):
            services.feedback_create(
                actor=user,
                workspace=workspace,
                to_team="marketing",
                subject_type="launch",
                subject_id=999999,
                body="x",
            )


# --- Meetings and action items ----------------------------------------------------------


def test_action_item_owner_must_be_a_member(workspace, other_workspace, user):
    meeting = SyncMeetingFactory(workspace=workspace)
    with pytest.raises(ValidationError) as error:
        services.action_item_create(
            actor=user, meeting=meeting, title="x", owner=member_of(other_workspace)
        )
    assert "owner" in error.value.message_dict
    item = services.action_item_create(
        actor=user, meeting=meeting, title="Ship the FAQ", owner=user
    )
    assert item.workspace_id == workspace.pk
    services.action_item_set_done(actor=user, action_item=item, done=True)
    assert item.done and item.done_at is not None
    services.action_item_set_done(actor=user, action_item=item, done=False)
    assert not item.done and item.done_at is None


def test_meeting_attendees_must_be_members(workspace, other_workspace, user):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=user,
            workspace=workspace,
            date=datetime.date(2026, 2, 2),
            attendees=[user, member_of(other_workspace)],
        )
    assert "attendees" in error.value.message_dict


# --- Activity feed ----------------------------------------------------------------------


def test_services_write_the_activity_feed(workspace, user, member, feature):
    pmm = member(Role.PMM)
    claim = services.claim_create(actor=user, workspace=workspace, headline="Fast", feature=feature)
    services.claim_submit(actor=user, claim=claim)
    services.claim_review(actor=pmm, claim=claim, decision="approve")
    document = HandoffDocumentFactory(workspace=workspace, author=pmm, feature=feature)
    services.document_submit(actor=pmm, document=document)
    services.document_review(actor=user, document=document, decision="approve")
    feedback = FeedbackFactory(workspace=workspace, subject_id=feature.pk)
    services.feedback_set_status(actor=user, feedback=feedback, status="acknowledged")
    services.feedback_set_status(actor=user, feedback=feedback, status="resolved")
    events = list(
        ActivityEvent.objects.order_by("id").values_list("actor__username", "verb", "target_type")
    )
    assert events == [
        (user.username, "created", "claim"),
        (user.username, "submitted for review", "claim"),
        (pmm.username, "approved", "claim"),
        (pmm.username, "submitted for review", "handoff document"),
        (user.username, "published", "handoff document"),
        (user.username, "acknowledged", "feedback"),
        (user.username, "resolved", "feedback"),
    ]


def test_a_refused_review_leaves_no_activity(workspace, user, feature):
    claim = _claim(workspace, user, feature, ReviewStatus.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.claim_review(actor=user, claim=claim, decision="approve")
    assert not ActivityEvent.objects.exists()
