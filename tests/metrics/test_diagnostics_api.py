"""diagnostics/ in the API: list and filters, PATCH {state, reason}, feedback, tenancy."""

import pytest
from django.urls import reverse

from alignment.messaging.models import Feedback
from alignment.models import Role
from metrics.models import Diagnosis
from tests.contract import FIELDS as CONTRACT
from tests.metrics.factories import DiagnosisFactory

pytestmark = pytest.mark.django_db

FIELDS = set(CONTRACT["diagnostics/"])
ADDED = {"state", "next_step", "link", "evidence"}  # API.md: add fields freely


def url(workspace, pk=None, action=None):
    if action:
        return reverse(
            f"metrics-api:diagnosis-{action}", kwargs={"workspace_slug": workspace.slug, "pk": pk}
        )
    if pk:
        return reverse(
            "metrics-api:diagnosis-detail", kwargs={"workspace_slug": workspace.slug, "pk": pk}
        )
    return reverse("metrics-api:diagnosis-list", kwargs={"workspace_slug": workspace.slug})


def results(response):
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


def test_list_has_exactly_the_fields_of_api_md(api, workspace, other_workspace):
    mine = DiagnosisFactory(workspace=workspace)
    DiagnosisFactory(workspace=other_workspace)
    response = api.get(url(workspace))
    assert response.status_code == 200
    [row] = results(response)
    assert set(row) == FIELDS | ADDED and row["id"] == mine.pk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rule=negative_roi", {"roi", "dismissed"}),
        ("team=product", {"drop"}),
        ("severity=high", {"drop"}),
        ("state=dismissed", {"dismissed"}),
        ("state=open&team=marketing", {"roi"}),
    ],
)
def test_filters(api, workspace, query, expected):
    made = {
        "roi": DiagnosisFactory(workspace=workspace),
        "drop": DiagnosisFactory(
            workspace=workspace, rule="conversion_drop", team="product", severity="high"
        ),
        "dismissed": DiagnosisFactory(workspace=workspace, state="dismissed", reason="Known"),
    }
    names = {pk: name for name, d in made.items() for pk in [d.pk]}
    got = {names[row["id"]] for row in results(api.get(url(workspace) + "?" + query))}
    assert got == expected


def test_bad_filter_is_a_400_naming_the_field(api, workspace):
    response = api.get(url(workspace) + "?rule=nonsense")
    assert response.status_code == 400 and "rule" in response.json()


def test_list_query_count(api, workspace, django_assert_max_num_queries):
    for _ in range(15):
        DiagnosisFactory(workspace=workspace)
    with django_assert_max_num_queries(6):
        assert len(results(api.get(url(workspace)))) == 15


def test_patch_acknowledge_and_dismiss(api, workspace, user):
    diagnosis = DiagnosisFactory(workspace=workspace)
    response = api.patch(url(workspace, diagnosis.pk), {"state": "acknowledged"}, format="json")
    assert response.status_code == 200 and set(response.json()) == FIELDS | ADDED
    diagnosis.refresh_from_db()
    assert diagnosis.state == "acknowledged" and diagnosis.state_changed_by == user
    response = api.patch(
        url(workspace, diagnosis.pk), {"state": "dismissed", "reason": "Brand"}, format="json"
    )
    assert response.status_code == 200
    diagnosis.refresh_from_db()
    assert (diagnosis.state, diagnosis.reason, diagnosis.dismissed_level) == (
        "dismissed",
        "Brand",
        0.3,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"state": "resolved"}, "state"),
        ({"state": "open"}, "state"),
        ({}, "state"),
        ({"state": "dismissed"}, "reason"),
        ({"state": "dismissed", "reason": ""}, "reason"),
    ],
)
def test_patch_bad_input_is_a_400_naming_the_field(api, workspace, body, field):
    diagnosis = DiagnosisFactory(workspace=workspace)
    response = api.patch(url(workspace, diagnosis.pk), body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_patch_a_resolved_diagnosis_is_a_400(api, workspace):
    diagnosis = DiagnosisFactory(workspace=workspace, state="resolved")
    response = api.patch(url(workspace, diagnosis.pk), {"state": "acknowledged"}, format="json")
    assert response.status_code == 400 and "state" in response.json()


def test_clients_cannot_create_put_or_delete(api, workspace):
    diagnosis = DiagnosisFactory(workspace=workspace)
    assert api.post(url(workspace), {"rule": "x"}, format="json").status_code == 405
    assert api.put(url(workspace, diagnosis.pk), {}, format="json").status_code == 405
    assert api.delete(url(workspace, diagnosis.pk)).status_code == 405


def test_viewer_reads_but_cannot_patch(api_client, workspace, viewer):
    diagnosis = DiagnosisFactory(workspace=workspace)
    api_client.force_authenticate(viewer)
    assert api_client.get(url(workspace)).status_code == 200
    response = api_client.patch(url(workspace, diagnosis.pk), {"state": "acknowledged"})
    assert response.status_code == 403
    assert api_client.post(url(workspace, diagnosis.pk, "feedback")).status_code == 403


def test_other_workspace_diagnosis_is_404(api, workspace, other_workspace):
    foreign = DiagnosisFactory(workspace=other_workspace)
    assert api.get(url(workspace, foreign.pk)).status_code == 404
    response = api.patch(url(workspace, foreign.pk), {"state": "acknowledged"}, format="json")
    assert response.status_code == 404
    assert api.post(url(workspace, foreign.pk, "feedback")).status_code == 404
    assert Diagnosis.objects.get(pk=foreign.pk).state == "open"


def test_feedback_action(api_client, workspace, member):
    pmm = member(Role.PMM)
    api_client.force_authenticate(pmm)
    diagnosis = DiagnosisFactory(workspace=workspace)
    response = api_client.post(url(workspace, diagnosis.pk, "feedback"))
    assert response.status_code == 201
    feedback = Feedback.objects.get(pk=response.json()["id"])
    assert feedback.to_team == "product" and response.json()["to_team"] == "product"
    assert (feedback.subject_type, feedback.subject_id) == ("campaign", diagnosis.subject_id)


def test_dashboard_api_serves_the_diagnostics_key(api, workspace):
    from metrics.services import diagnostics_run

    DiagnosisFactory(workspace=workspace)  # not backed by any rule: resolved by the run
    diagnostics_run(workspace=workspace)
    response = api.get(reverse("metrics-api:dashboard", kwargs={"workspace_slug": workspace.slug}))
    assert response.json()["diagnostics"] == []
