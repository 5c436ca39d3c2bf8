import datetime
import itertools
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from alignment.demo import seed_demo
from alignment.messaging.models import ActionItem
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import FeedbackComment
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import Positioning
from alignment.messaging.models import PositioningVersion
from alignment.messaging.models import ReviewStatus
from alignment.messaging.models import SyncMeeting
from alignment.models import Role
from tests.alignment.factories import ActionItemFactory
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import FeedbackFactory
from tests.alignment.factories import HandoffDocumentFactory
from tests.alignment.factories import ObjectiveTargetFactory
from tests.alignment.factories import feature_in

pytestmark = pytest.mark.django_db

MESSAGING_MODELS = [
    Positioning,
    PositioningVersion,
    Claim,
    HandoffDocument,
    Objective,
    ObjectiveTarget,
    Feedback,
    FeedbackComment,
    SyncMeeting,
    ActionItem,
    ActivityEvent,
]


def url(name, *args, slug="acme"):
    return reverse(name, args=[slug, *args])


def _create_objective(web, product_owner, marketing_owner, period_start, period_end):
    """The new-objective form, "Grow", posted."""
    return web.post(
        url("messaging:objective_create"),
        {
            "title": "Grow",
            "product_owner": product_owner.pk,
            "marketing_owner": marketing_owner.pk,
            "period_start": period_start,
            "period_end": period_end,
        },
    )


def _counts():
    return {model.__name__: model.objects.count() for model in MESSAGING_MODELS}


def test_seed_demo_adds_messaging_and_is_idempotent():
    seed_demo()
    first = _counts()
    assert all(first.values()), first
    assert HandoffDocument.objects.filter(kind="press_release").exists()
    seed_demo()
    assert _counts() == first


def test_every_messaging_page_renders_on_demo_data():
    workspace = seed_demo()
    client = Client()
    client.force_login(Claim.objects.first().author)
    pages = [url("messaging_index"), url("workspace_home")]
    for name in [
        "positioning_list",
        "claim_list",
        "document_list",
        "objective_list",
        "feedback_list",
        "meeting_list",
        "activity",
        "positioning_create",
        "claim_create",
        "document_create",
        "objective_create",
        "feedback_create",
        "meeting_create",
    ]:
        pages.append(url(f"messaging:{name}"))
    detail_pages = {
        Positioning: ["positioning_detail", "positioning_update"],
        Claim: ["claim_detail", "claim_update"],
        HandoffDocument: ["document_detail", "document_update", "document_print"],
        Objective: ["objective_detail", "objective_update"],
        Feedback: ["feedback_detail", "feedback_update"],
        SyncMeeting: ["meeting_detail", "meeting_update"],
    }
    for model, names in detail_pages.items():
        for obj in model.objects.in_workspace(workspace):
            pages += [url(f"messaging:{name}", obj.pk) for name in names]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)


def test_unsupported_claims_are_flagged_where_they_appear(web, workspace, user):
    feature = feature_in(workspace, status="beta", name="AI summaries")
    claim = ClaimFactory(workspace=workspace, feature=feature, author=user, headline="Magic")
    for page in [
        url("messaging:claim_list"),
        url("messaging:claim_detail", claim.pk),
        url("messaging_index"),
        url("feature_detail", feature.pk),
    ]:
        content = web.get(page).content.decode()
        assert "Magic" in content and "Not released: beta" in content, page


def test_review_through_the_browser_respects_the_team_rule(client, workspace, user, member):
    feature = feature_in(workspace)
    claim = ClaimFactory(workspace=workspace, feature=feature, author=user)
    client.force_login(user)
    client.post(url("messaging:claim_step", claim.pk, "submit"))
    claim.refresh_from_db()
    assert claim.status == ReviewStatus.IN_REVIEW

    response = client.post(
        url("messaging:claim_step", claim.pk, "review"), {"decision": "approve"}, follow=True
    )
    assert "own work" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ReviewStatus.IN_REVIEW

    client.force_login(member(Role.PMM))
    client.post(url("messaging:claim_step", claim.pk, "review"), {"decision": "approve"})
    claim.refresh_from_db()
    assert claim.status == ReviewStatus.APPROVED


def test_viewer_cannot_write_through_pages(client, workspace, viewer, user):
    claim = ClaimFactory(workspace=workspace, author=user)
    client.force_login(viewer)
    assert client.get(url("messaging:claim_detail", claim.pk)).status_code == 200
    assert client.get(url("messaging:claim_create")).status_code == 403
    assert client.post(url("messaging:claim_step", claim.pk, "submit")).status_code == 403
    claim.refresh_from_db()
    assert claim.status == ReviewStatus.DRAFT


def test_another_workspaces_objects_are_404(web, other_workspace):
    claim = ClaimFactory(workspace=other_workspace)
    document = HandoffDocumentFactory(workspace=other_workspace)
    feedback = FeedbackFactory(workspace=other_workspace)
    item = ActionItemFactory(workspace=other_workspace)
    target = ObjectiveTargetFactory(workspace=other_workspace)
    assert web.get(url("messaging:claim_detail", claim.pk)).status_code == 404
    assert web.post(url("messaging:claim_step", claim.pk, "submit")).status_code == 404
    assert web.get(url("messaging:document_markdown", document.pk)).status_code == 404
    assert web.get(url("messaging:document_print", document.pk)).status_code == 404
    assert (
        web.post(
            url("messaging:feedback_status", feedback.pk), {"status": "acknowledged"}
        ).status_code
        == 404
    )
    assert web.post(url("messaging:action_item_done", item.pk), {"done": "true"}).status_code == 404
    assert (
        web.post(
            url("messaging:objective_target_remove", target.objective_id, target.pk)
        ).status_code
        == 404
    )
    assert web.get(url("messaging_index", slug="globex")).status_code == 404
    item.refresh_from_db()
    assert not item.done and ObjectiveTarget.objects.filter(pk=target.pk).exists()


def test_document_exports(web, workspace, user):
    document = HandoffDocumentFactory(
        workspace=workspace, body="# Title\n\n<script>alert(1)</script>[x](javascript:alert(2))"
    )
    markdown = web.get(url("messaging:document_markdown", document.pk))
    assert markdown["Content-Type"].startswith("text/markdown")
    assert "attachment" in markdown["Content-Disposition"]
    assert markdown.content.decode() == document.body
    for page in ["messaging:document_print", "messaging:document_detail"]:
        html = web.get(url(page, document.pk)).content.decode()
        assert "<h1>Title</h1>" in html
        assert "<script>alert" not in html and "javascript:alert" not in html


def test_create_feedback_and_work_it_through_the_inbox(client, workspace, user, member):
    feature = feature_in(workspace)
    marketer = member(Role.MARKETING)
    client.force_login(marketer)
    response = client.post(
        url("messaging:feedback_create"),
        {
            "from_team": "marketing",
            "to_team": "product",
            "subject": f"feature:{feature.pk}",
            "title": "Export please",
            "body": "Prospects ask for CSV export.",
        },
    )
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and feedback.subject_id == feature.pk
    client.force_login(user)
    inbox = client.get(url("messaging:feedback_list") + "?to_team=product&from_team=marketing")
    assert "Export please" in inbox.content.decode()
    assert "Export please" in client.get(url("messaging_index")).content.decode()
    client.post(url("messaging:feedback_status", feedback.pk), {"status": "acknowledged"})
    client.post(url("messaging:feedback_detail", feedback.pk), {"body": "On it."})
    feedback.refresh_from_db()
    assert feedback.status == "acknowledged" and feedback.comments.count() == 1


def test_feedback_form_refuses_a_foreign_subject(web, other_workspace):
    foreign = feature_in(other_workspace)
    response = web.post(
        url("messaging:feedback_create"),
        {
            "from_team": "product",
            "to_team": "marketing",
            "subject": f"feature:{foreign.pk}",
            "body": "x",
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert not Feedback.objects.exists()


def test_objective_page_adds_targets_and_shows_no_data_yet(web, workspace, user, member):
    response = _create_objective(web, user, member(Role.PMM), "2026-01-01", "2026-03-31")
    objective = Objective.objects.get()
    assert response.status_code == 302
    response = web.post(
        url("messaging:objective_detail", objective.pk),
        {"kpi": "nps", "target": "40", "direction": "up", "scope": "workspace"},
    )
    assert response.status_code == 302
    page = web.get(url("messaging:objective_detail", objective.pk)).content.decode()
    assert "NPS" in page and "no data yet" in page and "≥ +40" in page
    response = web.post(
        url("messaging:objective_detail", objective.pk),
        {"kpi": "nps", "target": "40", "direction": "up", "scope": "product:999"},
    )
    assert response.status_code == 400 and objective.targets.count() == 1


def test_the_target_form_picks_its_scope_by_name(web, workspace, user):
    from tests.alignment.factories import ObjectiveFactory
    from tests.factories import FeatureFactory
    from tests.factories import ProductFactory
    from tests.launches.factories import CampaignFactory

    objective = ObjectiveFactory(workspace=workspace)
    feature = FeatureFactory(
        workspace=workspace, product=ProductFactory(workspace=workspace), name="Funnels"
    )
    CampaignFactory(workspace=workspace, name="Spring push", channel="podcasts")
    page = web.get(url("messaging:objective_detail", objective.pk)).content.decode()
    assert f'value="feature:{feature.pk}"' in page and "Funnels" in page
    assert 'value="campaign:' in page and "Spring push" in page
    assert 'value="channel:podcasts"' in page and 'value="workspace"' in page
    assert 'name="scope_id"' not in page  # no typed ids
    response = web.post(
        url("messaging:objective_detail", objective.pk),
        {"kpi": "cpa", "target": "150", "scope": "channel:podcats"},
    )
    assert response.status_code == 400 and not objective.targets.exists()
    assert "Choose the workspace, or a product" in response.content.decode()
    web.post(
        url("messaging:objective_detail", objective.pk),
        {"kpi": "conversion_rate", "target": "3.5", "scope": "channel:podcasts"},
    )
    target = objective.targets.get()
    assert (target.scope, target.scope_value, target.target) == (
        "channel",
        "podcasts",
        Decimal("0.0350"),  # typed as it reads: 3.5 %
    )
    response = web.post(
        url("messaging:objective_detail", objective.pk),
        {"kpi": "adoption", "target": "30", "scope": "workspace"},
    )
    assert response.status_code == 400
    assert "adoption is measured for one feature" in response.content.decode()


def test_owners_are_recommended_not_required(web, workspace):
    response = web.post(
        url("messaging:objective_create"),
        {"title": "Grow", "period_start": "2026-01-01", "period_end": "2026-03-31"},
    )
    assert response.status_code == 302
    page = web.get(Objective.objects.get().get_absolute_url()).content.decode()
    assert "no product owner yet" in page and "no marketing owner yet" in page


def test_period_ending_before_start_shows_an_error(web, workspace, user, member):
    response = _create_objective(web, user, member(Role.PMM), "2026-03-01", "2026-01-31")
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert not Objective.objects.exists()


def test_open_action_items_on_the_home_pages_with_overdue_highlighted(web, workspace, user):
    ActionItemFactory(
        workspace=workspace,
        owner=user,
        title="Late thing",
        due_date=datetime.date.today() - datetime.timedelta(days=2),
    )
    ActionItemFactory(workspace=workspace, owner=user, title="Done thing", done=True)
    for page in [url("workspace_home"), url("messaging_index")]:
        content = web.get(page).content.decode()
        assert "Late thing" in content and 'class="overdue"' in content, page
        assert "Done thing" not in content


def test_marking_an_action_item_done_from_the_home_page(web, workspace, user):
    item = ActionItemFactory(workspace=workspace, owner=user)
    response = web.post(
        url("messaging:action_item_done", item.pk), {"done": "true", "next_page": "workspace"}
    )
    assert response["Location"] == url("workspace_home")
    item.refresh_from_db()
    assert item.done
    assert ActivityEvent.objects.filter(verb="completed", target_id=item.pk).exists()


def _query_counts(web, pages, django_assert_max_num_queries) -> dict:
    """How many queries each messaging page takes now (each answers 200, in at most 40)."""
    counts = {}
    for page in pages:
        with django_assert_max_num_queries(40) as captured:
            assert web.get(url(f"messaging:{page}")).status_code == 200
        counts[page] = len(captured.captured_queries)
    return counts


def test_list_pages_do_not_grow_queries_with_rows(
    web, workspace, user, django_assert_max_num_queries
):
    def make():
        ClaimFactory(workspace=workspace, author=user)
        HandoffDocumentFactory(workspace=workspace)
        FeedbackFactory(workspace=workspace)
        ObjectiveTargetFactory(workspace=workspace)
        ActionItemFactory(workspace=workspace)

    pages = ["claim_list", "document_list", "feedback_list", "objective_list", "meeting_list"]
    make()
    counts = _query_counts(web, pages, django_assert_max_num_queries)
    for _ in range(5):
        make()
    for page in pages:
        with django_assert_max_num_queries(counts[page], info=page):
            web.get(url(f"messaging:{page}"))


# --- Bare ids pointing at another workspace -----------------------------------------------


_planted = itertools.count()


def _plant_foreign_references(workspace, other_workspace, objective=None):
    """A target and two feedback items of `workspace` whose bare ids (scope_id, subject_id)
    name rows of `other_workspace`: no form or service lets them in, a restore bug could."""
    from tests.launches.factories import CampaignFactory

    n = next(_planted)
    foreign_feature = feature_in(other_workspace, name=f"Globex secret feature {n}")
    foreign_campaign = CampaignFactory(workspace=other_workspace, name=f"Globex secret {n}")
    objective = objective or ObjectiveTargetFactory(workspace=workspace).objective
    for scope, row in (("feature", foreign_feature), ("campaign", foreign_campaign)):
        ObjectiveTarget.objects.create(
            workspace=workspace,
            objective=objective,
            kpi="roi",
            target="1",
            scope=scope,
            scope_id=row.pk,
        )
    feedback = [
        Feedback.objects.create(
            workspace=workspace,
            from_team="marketing",
            to_team="product",
            subject_type=subject_type,
            subject_id=row.pk,
            title=f"Planted {subject_type}",
            body="Points at another workspace's row.",
        )
        for subject_type, row in (("feature", foreign_feature), ("campaign", foreign_campaign))
    ]
    return objective, feedback


def test_pages_name_no_row_of_another_workspace(web, workspace, other_workspace):
    objective, feedback = _plant_foreign_references(workspace, other_workspace)
    pages = [
        url("messaging:objective_list"),
        url("messaging:objective_detail", objective.pk),
        url("messaging:feedback_list"),
        *(url("messaging:feedback_detail", item.pk) for item in feedback),
    ]
    for page in pages:
        response = web.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "Globex" not in html, page
    detail = web.get(url("messaging:feedback_detail", feedback[0].pk)).content.decode()
    assert f"#{feedback[0].subject_id}" in detail  # shown as an unknown id, like a deleted one


def test_list_pages_with_foreign_ids_do_not_grow_queries(
    web, workspace, other_workspace, django_assert_max_num_queries
):
    objective, _ = _plant_foreign_references(workspace, other_workspace)
    FeedbackFactory(workspace=workspace)
    pages = ["feedback_list", "objective_list"]
    counts = _query_counts(web, pages, django_assert_max_num_queries)
    for _ in range(4):
        _plant_foreign_references(workspace, other_workspace)
        _plant_foreign_references(workspace, other_workspace, objective=objective)
        FeedbackFactory(workspace=workspace)
    for page in pages:
        with django_assert_max_num_queries(counts[page], info=page):
            html = web.get(url(f"messaging:{page}")).content.decode()
        assert "Globex" not in html
