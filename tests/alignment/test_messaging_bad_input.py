"""Bad input anywhere in messaging is a 400 naming the field, never a 500."""

import pytest

from alignment.models import Role
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import feature_in
from tests.alignment.factories import member_of

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workspaces/acme/"


@pytest.mark.parametrize(
    "path,payload,field",
    [
        ("claims/", {}, "headline"),
        ("claims/", {"headline": "x", "feature": "abc"}, "feature"),
        ("claims/", {"headline": "x" * 500, "feature": 1}, "headline"),
        ("documents/", {"kind": "poem", "title": "x", "feature": 1}, "kind"),
        (
            "feedback/",
            {"to_team": "marketing", "subject_type": "feature", "subject_id": 2**40, "body": "x"},
            "subject_id",
        ),
        (
            "feedback/",
            {"to_team": "product", "subject_type": "feature", "subject_id": -1, "body": "x"},
            "subject_id",
        ),
        (
            "feedback/",
            {"to_team": "aliens", "subject_type": "feature", "subject_id": 1, "body": "x"},
            "to_team",
        ),
        (
            "feedback/",
            {"to_team": "marketing", "subject_type": "planet", "subject_id": 1, "body": "x"},
            "subject_type",
        ),
        ("objectives/", {"title": "x", "period_start": "not a date"}, "period_start"),
        ("objectives/", {"title": "x", "targets": "lots"}, "targets"),
        ("objectives/", {"title": "x", "targets": [{"kpi": "roi", "target": "abc"}]}, "targets"),
        (
            "objectives/",
            {
                "title": "x",
                "targets": [
                    {
                        "kpi": "roi",
                        "target": "1",
                        "direction": "up",
                        "scope": "feature",
                        "scope_id": 2**40,
                    }
                ],
            },
            "targets",
        ),
        ("meetings/", {"date": "2026-13-45"}, "date"),
        ("meetings/", {"date": "2026-01-01", "attendees": ["ghost"]}, "attendees"),
    ],
)
def test_bad_input_is_400_naming_the_field(api, user, member, path, payload, field):
    if path == "objectives/":
        # Otherwise valid, so the bad field is the one that answers.
        payload = {
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "product_owner": user.username,
            "marketing_owner": member(Role.PMM).username,
            **payload,
        }
    response = api.post(BASE + path, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


def test_bad_transition_input(api, workspace, user):
    claim = ClaimFactory(workspace=workspace, feature=feature_in(workspace), author=user)
    assert api.post(f"{BASE}claims/{claim.pk}/review/", {}, format="json").status_code == 400
    assert api.post(f"{BASE}claims/abc/submit/").status_code == 404
    feedback_url = f"{BASE}feedback/999999/status/"
    assert api.post(feedback_url, {"status": "resolved"}, format="json").status_code == 404


def test_bad_page_input_is_not_a_500(web, workspace, user):
    member_of(workspace, Role.PMM)
    assert web.get("/w/acme/messaging/claims/?feature=abc&supported=maybe").status_code == 200
    assert web.get("/w/acme/messaging/feedback/?subject_id=abc").status_code == 200
    response = web.post("/w/acme/messaging/feedback/new/", {"subject": "feature:abc"})
    assert response.status_code == 200
    assert web.post("/w/acme/messaging/claims/1/dance/").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["feedback/null,null/comments/", "meetings/abc/action-items/", "meetings/1.5/action-items/0/"],
)
def test_non_numeric_parent_ids_are_404(api, path):
    assert api.get(BASE + path).status_code == 404
    assert api.post(BASE + path, {"body": "x"}, format="json").status_code == 404
