import pytest
from rest_framework.test import APIClient

from alignment.messaging.models import ActionItem
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import ReviewStatus
from alignment.models import Feature
from alignment.models import Role
from tests.alignment.factories import ActionItemFactory
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import FeedbackFactory
from tests.alignment.factories import HandoffDocumentFactory
from tests.alignment.factories import ObjectiveTargetFactory
from tests.alignment.factories import PositioningFactory
from tests.alignment.factories import SyncMeetingFactory
from tests.alignment.factories import member_of
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.research.factories import PersonaFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workspaces/acme/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def feature(workspace):
    return FeatureFactory(
        workspace=workspace, product=ProductFactory(workspace=workspace), status="beta"
    )


@pytest.fixture
def pmm(member):
    return member(Role.PMM)


# --- Claims and the review flow ---------------------------------------------------------


def test_claim_lifecycle_over_the_api(api, user, pmm, workspace, feature):
    persona = PersonaFactory(workspace=workspace)
    response = api.post(
        BASE + "claims/",
        {"headline": "Summaries in seconds", "feature": feature.pk, "personas": [persona.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "headline", "body", "feature", "personas", "status", "supported"} <= set(body)
    assert body["status"] == "draft" and body["supported"] is False
    assert body["author"] == user.username and body["personas"] == [persona.pk]
    claim_url = f"{BASE}claims/{body['id']}/"

    # Approving a draft is refused: it has not been submitted.
    response = client_for(pmm).post(claim_url + "review/", {"decision": "approve"}, format="json")
    assert response.status_code == 400 and "status" in response.json()

    assert api.post(claim_url + "submit/").json()["status"] == "in_review"

    # The author, then another PM (same team), cannot review.
    assert api.post(claim_url + "review/", {"decision": "approve"}).status_code == 400
    other_pm = client_for(member_of(workspace, Role.PM))
    response = other_pm.post(claim_url + "review/", {"decision": "approve"}, format="json")
    assert response.status_code == 400 and "reviewer" in response.json()

    response = client_for(pmm).post(
        claim_url + "review/", {"decision": "approve", "comment": "Ship it"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["reviewed_by"] == pmm.username

    Feature.objects.filter(pk=feature.pk).update(status="released", release_date="2026-01-01")
    assert api.get(claim_url).json()["supported"] is True


def test_review_input_is_validated(api, pmm, workspace, feature, user):
    claim = ClaimFactory(workspace=workspace, feature=feature, author=user, status="in_review")
    url = f"{BASE}claims/{claim.pk}/review/"
    response = client_for(pmm).post(url, {"decision": "maybe"}, format="json")
    assert response.status_code == 400 and "decision" in response.json()
    response = client_for(pmm).post(url, {"decision": "request_changes"}, format="json")
    assert response.status_code == 400 and "comment" in response.json()
    claim.refresh_from_db()
    assert claim.status == ReviewStatus.IN_REVIEW


def test_viewer_cannot_submit_or_review(api_client, viewer, workspace, feature, user):
    claim = ClaimFactory(workspace=workspace, feature=feature, author=user)
    api_client.force_authenticate(viewer)
    assert api_client.post(f"{BASE}claims/{claim.pk}/submit/").status_code == 403
    assert (
        api_client.post(f"{BASE}claims/{claim.pk}/review/", {"decision": "approve"}).status_code
        == 403
    )
    claim.refresh_from_db()
    assert claim.status == ReviewStatus.DRAFT


def test_ids_of_another_workspace_are_400_in_a_body(api, workspace, other_workspace):
    foreign_feature = FeatureFactory(
        workspace=other_workspace, product=ProductFactory(workspace=other_workspace)
    )
    foreign_persona = PersonaFactory(workspace=other_workspace)
    own_feature = FeatureFactory(workspace=workspace, product=ProductFactory(workspace=workspace))
    response = api.post(
        BASE + "claims/", {"headline": "X", "feature": foreign_feature.pk}, format="json"
    )
    assert response.status_code == 400 and "feature" in response.json()
    response = api.post(
        BASE + "claims/",
        {"headline": "X", "feature": own_feature.pk, "personas": [foreign_persona.pk]},
        format="json",
    )
    assert response.status_code == 400 and "personas" in response.json()
    assert not Claim.objects.exists()


def test_claims_filter_by_supported(api, workspace, user):
    product = ProductFactory(workspace=workspace)
    released = FeatureFactory(
        workspace=workspace, product=product, status="released", release_date="2026-01-01"
    )
    ClaimFactory(workspace=workspace, feature=released, author=user)
    ClaimFactory(workspace=workspace, feature=FeatureFactory(workspace=workspace, product=product))
    assert api.get(BASE + "claims/?supported=false").json()["count"] == 1
    assert api.get(BASE + "claims/?supported=true").json()["results"][0]["supported"] is True


# --- Documents --------------------------------------------------------------------------


def test_document_created_from_template_sanitised_and_exported(api, workspace, feature, pmm):
    response = api.post(
        BASE + "documents/",
        {"kind": "press_release", "title": "Summaries launch", "feature": feature.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    document = response.json()
    assert {"id", "kind", "title", "body", "feature", "status"} <= set(document)
    assert "**Problem.**" in document["body"]

    url = f"{BASE}documents/{document['id']}/"
    evil = "Hello <script>alert(1)</script> [x](javascript:alert(2)) <b onclick='x()'>b</b>"
    response = api.patch(url, {"body": evil}, format="json")
    assert response.status_code == 200
    html = response.json()["body_html"]
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html
    assert response.json()["body"] == evil  # stored as written, sanitised when rendered

    markdown = api.get(url + "markdown/")
    assert markdown.status_code == 200 and markdown["Content-Type"].startswith("text/markdown")
    assert markdown.content.decode() == evil

    assert api.post(url + "submit/").json()["status"] == "in_review"
    response = client_for(pmm).post(url + "review/", {"decision": "approve"}, format="json")
    assert response.json()["status"] == "approved"


def test_battlecard_without_competitor_is_400(api, feature):
    response = api.post(
        BASE + "documents/",
        {"kind": "battlecard", "title": "vs them", "feature": feature.pk},
        format="json",
    )
    assert response.status_code == 400 and "competitor" in response.json()


# --- Positioning ------------------------------------------------------------------------


def test_positioning_versions(api, workspace):
    product, persona = ProductFactory(workspace=workspace), PersonaFactory(workspace=workspace)
    response = api.post(
        BASE + "positioning/",
        {
            "product": product.pk,
            "persona": persona.pk,
            "target_customer": "Teams",
            "need": "need speed",
            "our_product": "Acme",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    url = f"{BASE}positioning/{response.json()['id']}/"
    assert api.patch(url, {"need": "need answers"}, format="json").json()["version"] == 2
    versions = api.get(url + "versions/").json()
    assert [(v["number"], v["need"]) for v in versions] == [(2, "need answers"), (1, "need speed")]


# --- Objectives -------------------------------------------------------------------------


def _objective_payload(user, pmm, **overrides):
    return {
        "title": "Grow trials",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "product_owner": user.username,
        "marketing_owner": pmm.username,
        "targets": [
            {
                "kpi": "conversion_rate",
                "target": "0.04",
                "direction": "up",
                "scope": "channel",
                "scope_value": "email",
            }
        ],
        **overrides,
    }


@pytest.fixture
def email(workspace):
    """A channel seen in the workspace's data, so a target can be scoped to it."""
    from tests.launches.factories import CampaignFactory

    return CampaignFactory(workspace=workspace, channel="email").channel


def test_objective_with_targets_and_no_data_yet(api, user, pmm, email):
    response = api.post(BASE + "objectives/", _objective_payload(user, pmm), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "title", "period_start", "period_end", "targets"} <= set(body)
    target = body["targets"][0]
    assert {"kpi", "target", "direction", "scope"} <= set(target)
    assert target["kpi"] == "conversion_rate"
    assert target["progress"] == {
        "value": None,
        "state": None,
        "label": "no data yet",
        "due": None,
        "sample": None,
    }


def test_the_contract_fields_alone_make_a_workspace_wide_objective(api):
    # API.md: id, title, period, targets [{kpi, target, direction, scope}]; no owners, and
    # scope omitted is the whole workspace.
    payload = {
        "title": "Grow overall conversion to 3%",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "targets": [{"kpi": "conversion_rate", "target": "0.03", "direction": "up"}],
    }
    response = api.post(BASE + "objectives/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["product_owner"], body["marketing_owner"]) == (None, None)
    assert body["targets"][0]["scope"] == "workspace"
    assert body["targets"][0]["scope_id"] is None


def test_an_unknown_channel_is_400_naming_the_field(api, user, pmm, email):
    payload = _objective_payload(user, pmm)
    payload["targets"][0]["scope_value"] = "podcats"
    response = api.post(BASE + "objectives/", payload, format="json")
    assert response.status_code == 400
    [message] = response.json()["targets"]
    assert "scope_value" in message and "podcats" in message and "email" in message
    assert not Objective.objects.exists()


def test_the_schema_documents_machine_values():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    target = components["ObjectiveTarget"]["properties"]
    assert "fraction for rates" in target["target"]["description"]
    assert "workspace" in target["scope"]["description"]
    progress = components["TargetProgress"]["properties"]
    assert "fraction" in progress["value"]["description"]
    assert "pro-rated" in progress["due"]["description"]


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"period_end": "2025-12-01"}, "period_end"),
        (
            {
                "targets": [
                    {
                        "kpi": "vibes",
                        "target": "1",
                        "direction": "up",
                        "scope": "channel",
                        "scope_value": "x",
                    }
                ]
            },
            "targets",
        ),
        (
            {
                "targets": [
                    {
                        "kpi": "roi",
                        "target": "1",
                        "direction": "up",
                        "scope": "product",
                        "scope_id": 999999,
                    }
                ]
            },
            "targets",
        ),
        ({"product_owner": "nobody-here"}, "product_owner"),
    ],
)
def test_bad_objectives_are_400_naming_the_field(api, user, pmm, overrides, field):
    response = api.post(
        BASE + "objectives/", _objective_payload(user, pmm, **overrides), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Objective.objects.exists() and not ObjectiveTarget.objects.exists()


def test_owner_from_another_workspace_is_400(api, user, other_workspace, pmm):
    outsider = member_of(other_workspace, Role.PMM)
    response = api.post(
        BASE + "objectives/",
        _objective_payload(user, pmm, marketing_owner=outsider.username),
        format="json",
    )
    assert response.status_code == 400 and "marketing_owner" in response.json()


# --- Feedback ---------------------------------------------------------------------------


def test_feedback_flow_over_the_api(api, user, workspace, feature, member):
    marketer = client_for(member(Role.MARKETING))
    response = marketer.post(
        BASE + "feedback/",
        {
            "to_team": "product",
            "subject_type": "feature",
            "subject_id": feature.pk,
            "body": "Customers ask for export.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "from_team", "to_team", "subject_type", "subject_id", "body", "status"} <= set(
        body
    )
    assert body["from_team"] == "marketing" and body["status"] == "open"
    url = f"{BASE}feedback/{body['id']}/"

    assert api.get(BASE + "feedback/?to_team=product").json()["count"] == 1
    assert api.get(BASE + "feedback/?to_team=marketing").json()["count"] == 0

    assert marketer.post(url + "status/", {"status": "acknowledged"}).status_code == 403
    assert api.post(url + "status/", {"status": "resolved"}).status_code == 400
    assert api.post(url + "status/", {"status": "acknowledged"}).json()["status"] == "acknowledged"

    response = api.post(url + "comments/", {"body": "Planned for GA."}, format="json")
    assert response.status_code == 201 and response.json()["author"] == user.username
    assert [c["body"] for c in api.get(url + "comments/").json()["results"]] == ["Planned for GA."]
    assert api.get(url).json()["comment_count"] == 1
    assert api.post(url + "status/", {"status": "resolved"}).json()["status"] == "resolved"


def test_feedback_about_a_foreign_feature_is_400(api, other_workspace):
    foreign = FeatureFactory(
        workspace=other_workspace, product=ProductFactory(workspace=other_workspace)
    )
    response = api.post(
        BASE + "feedback/",
        {"to_team": "marketing", "subject_type": "feature", "subject_id": foreign.pk, "body": "x"},
        format="json",
    )
    assert response.status_code == 400 and "subject_id" in response.json()
    assert not Feedback.objects.exists()


def test_comments_of_foreign_feedback_are_404(api, other_workspace):
    foreign = FeedbackFactory(workspace=other_workspace)
    url = f"{BASE}feedback/{foreign.pk}/comments/"
    assert api.get(url).status_code == 404
    assert api.post(url, {"body": "peek"}, format="json").status_code == 404
    assert not foreign.comments.exists()


# --- Meetings, action items, activity ---------------------------------------------------


def test_meeting_with_action_items(api, user, pmm, workspace):
    response = api.post(
        BASE + "meetings/",
        {
            "date": "2026-02-02",
            "attendees": [user.username, pmm.username],
            "decisions": "No beta claims.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    items_url = f"{BASE}meetings/{meeting_id}/action-items/"
    response = api.post(
        items_url,
        {"title": "Share numbers", "owner": pmm.username, "due_date": "2026-02-05"},
        format="json",
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["meeting"] == meeting_id and item["overdue"] is True and item["done"] is False
    response = api.patch(f"{items_url}{item['id']}/", {"done": True}, format="json")
    assert response.json()["done"] is True and response.json()["done_at"]
    open_items = api.get(f"{BASE}action-items/?owner={pmm.pk}&done=false").json()
    assert open_items["count"] == 0
    assert api.get(BASE + "meetings/").json()["results"][0]["open_items"] == 0

    activity = api.get(BASE + "activity/").json()["results"]
    assert [event["verb"] for event in activity][:2] == ["completed", "held"]


def test_action_item_owner_outside_the_workspace_is_400(api, workspace, other_workspace):
    meeting = SyncMeetingFactory(workspace=workspace)
    outsider = member_of(other_workspace)
    response = api.post(
        f"{BASE}meetings/{meeting.pk}/action-items/",
        {"title": "x", "owner": outsider.username},
        format="json",
    )
    assert response.status_code == 400 and "owner" in response.json()
    assert not ActionItem.objects.exists()


# --- No N+1 on lists --------------------------------------------------------------------

LIST_CASES = {
    "claims/": lambda ws: ClaimFactory(workspace=ws),
    "documents/": lambda ws: HandoffDocumentFactory(workspace=ws),
    "objectives/": lambda ws: ObjectiveTargetFactory(workspace=ws),
    "feedback/": lambda ws: FeedbackFactory(workspace=ws),
    "positioning/": lambda ws: PositioningFactory(workspace=ws),
    "meetings/": lambda ws: ActionItemFactory(workspace=ws).meeting.attendees.add(member_of(ws)),
    "action-items/": lambda ws: ActionItemFactory(workspace=ws),
}


@pytest.mark.parametrize("path", sorted(LIST_CASES))
def test_list_queries_do_not_grow_with_rows(api, workspace, path, django_assert_max_num_queries):
    make = LIST_CASES[path]
    for _ in range(3):
        make(workspace)
    with django_assert_max_num_queries(8) as captured:
        response = api.get(BASE + path)
    assert response.status_code == 200 and response.json()["count"] == 3
    few = len(captured.captured_queries)
    for _ in range(7):
        make(workspace)
    with django_assert_max_num_queries(few):
        response = api.get(BASE + path)
    assert response.json()["count"] == 10
