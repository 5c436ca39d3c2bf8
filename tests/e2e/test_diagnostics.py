"""Diagnostics in a real browser: the demo PMM turns a diagnosis into feedback for
product, and the PM finds it in product's feedback inbox."""

import re

import pytest
from playwright.sync_api import expect

from alignment.demo import DEMO_PASSWORD
from alignment.messaging.models import Feedback
from metrics.models import Diagnosis
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_pmm_sends_a_diagnosis_to_product(page, demo, screenshot):
    diagnosis = Diagnosis.objects.get(
        workspace=demo, rule="traffic_without_conversion", subject_label="AI summaries beta teaser"
    )
    sign_in(page, "demo-pmm", DEMO_PASSWORD)
    page.goto("/w/acme/metrics/diagnostics/?team=product")
    card = page.locator(f"#diagnosis-{diagnosis.pk}")
    expect(card).to_contain_text("AI summaries beta teaser")
    expect(card).to_contain_text("Next step")
    screenshot("diagnostics")

    with page.expect_navigation():
        card.get_by_role("button", name="Send to the other team").click()
    expect(page).to_have_url(re.compile(r"/w/acme/messaging/feedback/\d+/$"))
    diagnosis.refresh_from_db()
    feedback = Feedback.objects.get(workspace=demo, pk=diagnosis.feedback_id)
    assert (feedback.from_team, feedback.to_team) == ("marketing", "product")
    assert diagnosis.state == "acknowledged"
    assert page.url.endswith(f"/feedback/{feedback.pk}/")

    page.context.clear_cookies()
    sign_in(page, "demo-pm", DEMO_PASSWORD)
    page.goto("/w/acme/messaging/feedback/?to_team=product")
    expect(page.get_by_text(feedback.title)).to_be_visible()
    screenshot("diagnostics-feedback-inbox")
