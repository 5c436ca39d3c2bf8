"""The diagnostics page, its buttons, the settings page and the subject pages' include."""

import pytest
from django.urls import reverse

from alignment.messaging.models import Feedback
from alignment.models import Role
from metrics.models import Diagnosis
from metrics.models import DiagnosticSettings
from tests.factories import FeatureFactory
from tests.launches.factories import LaunchFactory
from tests.metrics.factories import DiagnosisFactory

pytestmark = pytest.mark.django_db


def page(workspace, name="metrics:diagnosis_list", **kwargs):
    return reverse(name, kwargs={"workspace_slug": workspace.slug, **kwargs})


def test_page_lists_and_filters(web, workspace, other_workspace):
    roi = DiagnosisFactory(workspace=workspace, message="Spends too much")
    DiagnosisFactory(
        workspace=workspace, rule="conversion_drop", team="product", message="Fell hard"
    )
    DiagnosisFactory(workspace=other_workspace, message="Someone else's")
    body = web.get(page(workspace)).content.decode()
    assert "Spends too much" in body and "Fell hard" in body and "Someone else" not in body
    body = web.get(page(workspace) + "?team=marketing&rule=negative_roi").content.decode()
    assert "Spends too much" in body and "Fell hard" not in body
    assert f'id="diagnosis-{roi.pk}"' in body
    assert f'<a href="{roi.get_absolute_url()}">Negative ROI</a></strong>' in body
    assert "negative_roi</" not in body


def test_page_query_count(web, workspace, django_assert_max_num_queries):
    for _ in range(20):
        DiagnosisFactory(workspace=workspace)
    with django_assert_max_num_queries(14):
        assert web.get(page(workspace)).status_code == 200


def test_a_diagnosis_has_its_own_page_with_its_values(web, workspace, other_workspace):
    from metrics.diagnostics.engine import diagnostics_run
    from tests.metrics.diagnostics_helpers import collapse

    collapsing = collapse(workspace)
    diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(workspace=workspace, subject_id=collapsing.pk)
    url = page(workspace, "metrics:diagnosis_detail", pk=diagnosis.pk)
    assert diagnosis.get_absolute_url() == url
    list_body = web.get(page(workspace)).content.decode()
    assert f'href="{url}"' in list_body  # each card opens its page
    body = web.get(url).content.decode()
    assert f'id="diagnosis-{diagnosis.pk}"' in body and "Collapsing" in body
    assert f'data-evidence="evidence-{diagnosis.pk}"' in body
    assert "The values behind the chart (70 days)" in body
    assert "<td>0.40%</td>" in body and "<td>4.00%</td>" in body  # the day and the baseline
    assert "Also seen as" in body
    foreign = DiagnosisFactory(workspace=other_workspace)
    assert web.get(page(workspace, "metrics:diagnosis_detail", pk=foreign.pk)).status_code == 404


def test_a_folded_diagnosis_page_points_to_its_host(web, workspace):
    folded = DiagnosisFactory(workspace=workspace, state="resolved")
    host = DiagnosisFactory(workspace=workspace, rule="conversion_drop")
    Diagnosis.objects.filter(pk=folded.pk).update(evidence={"folded_into": host.pk})
    body = web.get(page(workspace, "metrics:diagnosis_detail", pk=folded.pk)).content.decode()
    assert f'href="{host.get_absolute_url()}"' in body and "was folded into" in body


def test_acknowledge_and_dismiss_buttons(web, workspace):
    diagnosis = DiagnosisFactory(workspace=workspace)
    state_url = page(workspace, "metrics:diagnosis_state", pk=diagnosis.pk)
    response = web.post(state_url, {"state": "dismissed", "reason": ""})
    assert response.status_code == 302
    diagnosis.refresh_from_db()
    assert diagnosis.state == "open"  # a dismissal needs a reason
    web.post(
        state_url, {"state": "dismissed", "reason": "Seasonal", "next": "https://evil.example"}
    )
    diagnosis.refresh_from_db()
    assert (diagnosis.state, diagnosis.reason) == ("dismissed", "Seasonal")


def test_send_to_the_other_team_button(client, workspace, member):
    client.force_login(member(Role.PMM))
    diagnosis = DiagnosisFactory(workspace=workspace)
    response = client.post(page(workspace, "metrics:diagnosis_feedback", pk=diagnosis.pk))
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response.url == feedback.get_absolute_url()
    assert feedback.to_team == "product"


def test_viewer_sees_no_buttons_and_cannot_post(client, workspace, viewer):
    client.force_login(viewer)
    diagnosis = DiagnosisFactory(workspace=workspace)
    body = client.get(page(workspace)).content.decode()
    assert "Why dismiss?" not in body and diagnosis.message in body
    response = client.post(page(workspace, "metrics:diagnosis_feedback", pk=diagnosis.pk))
    assert response.status_code == 403


def test_foreign_diagnosis_actions_are_404(web, workspace, other_workspace):
    foreign = DiagnosisFactory(workspace=other_workspace)
    response = web.post(
        page(workspace, "metrics:diagnosis_state", pk=foreign.pk), {"state": "acknowledged"}
    )
    assert response.status_code == 404
    assert Diagnosis.objects.get(pk=foreign.pk).state == "open"


def test_settings_page_saves_and_validates(web, workspace):
    url = page(workspace, "metrics:diagnostic_settings")
    assert web.get(url).status_code == 200
    form = {
        "window_days": 28,
        "baseline_days": 84,
        "twc_min_visits": 800,
        "twc_max_ratio": "0.3",
        "adoption_min_users": 100,
        "adoption_max_ratio": "0.5",
        "roi_min_spend": "500",
        "roi_threshold": "0",
        "drop_min_visits": 2000,
        "drop_z": "2.5",
        "drop_min_relative": "0.25",
        "launch_days_ahead": 14,
    }
    assert web.post(url, form).status_code == 302
    settings = DiagnosticSettings.objects.get(workspace=workspace)
    assert (settings.window_days, settings.twc_min_visits) == (28, 800)
    response = web.post(url, {**form, "twc_max_ratio": "3"})
    assert response.status_code == 200 and "between 0 and 1" in response.content.decode()


def test_run_now_button(web, workspace):
    stale = DiagnosisFactory(workspace=workspace)
    assert web.post(page(workspace, "metrics:diagnostics_run")).status_code == 302
    stale.refresh_from_db()
    assert stale.state == "resolved"


@pytest.mark.parametrize("subject", ["campaign", "feature", "launch"])
def test_subject_pages_show_their_open_diagnoses(web, workspace, subject):
    message = f"About this {subject}"
    if subject == "campaign":
        diagnosis = DiagnosisFactory(workspace=workspace, message=message)
        url = reverse("launches:campaign_detail", args=[workspace.slug, diagnosis.subject_id])
    else:
        row = {"feature": FeatureFactory, "launch": LaunchFactory}[subject](workspace=workspace)
        diagnosis = DiagnosisFactory(
            workspace=workspace, subject_type=subject, subject_id=row.pk, message=message
        )
        url = row.get_absolute_url()
    DiagnosisFactory(
        workspace=workspace,
        subject_type=subject,
        subject_id=diagnosis.subject_id,
        state="resolved",
        message="Old news",
    )
    body = web.get(url).content.decode()
    assert diagnosis.message in body and "Old news" not in body
