"""Objective targets read their current value from the metrics engine."""

import datetime

import pytest

from alignment.messaging.selectors import kpi_current_value
from alignment.messaging.selectors import objective_target_progress
from metrics.services import import_rows
from tests.alignment.factories import ObjectiveTargetFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 2, 15)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def campaign_row(day, channel, visits, purchases, campaign="Spring"):
    return {
        "date": day.isoformat(),
        "campaign": campaign,
        "channel": channel,
        "spend": "100",
        "impressions": 1000,
        "clicks": 100,
        "visits": visits,
        "leads": 10,
        "purchases": purchases,
        "revenue": "250",
    }


def import_campaign_rows(workspace, *rows):
    import_rows(actor=None, workspace=workspace, kind="campaign", rows=list(rows))


@pytest.fixture
def target(workspace):
    return ObjectiveTargetFactory(workspace=workspace, kpi="conversion_rate", target="0.05")


def test_no_data_yet_without_facts(target):
    assert objective_target_progress(target)["label"] == "no data yet"


def test_value_over_the_period_so_far_in_the_channel_scope(workspace, target):
    import_campaign_rows(
        workspace,
        campaign_row(datetime.date(2026, 1, 10), "email", 1000, 60),
        campaign_row(datetime.date(2026, 2, 10), "email", 1000, 40),
        campaign_row(datetime.date(2026, 2, 20), "email", 1000, 0),  # after "today"
        campaign_row(datetime.date(2026, 1, 10), "social", 1000, 0),  # another channel
        campaign_row(datetime.date(2025, 12, 31), "email", 1000, 0),  # before the period
    )
    assert kpi_current_value(target, today=TODAY) == pytest.approx(0.05)
    end_of_period = datetime.date(2026, 3, 31)
    assert kpi_current_value(target, today=end_of_period) == pytest.approx(1 / 30, abs=1e-4)


def test_state_follows_the_direction(workspace, target):
    import_campaign_rows(workspace, campaign_row(datetime.date(2026, 1, 10), "email", 1000, 30))
    progress = objective_target_progress(target)  # the period is over: its whole range counts
    assert progress["value"] == pytest.approx(0.03)
    assert progress["state"] == "off_track"


def test_a_kpi_the_scope_cannot_have_is_no_value(workspace):
    wrong = ObjectiveTargetFactory(workspace=workspace, kpi="adoption", scope="channel")
    assert kpi_current_value(wrong, today=TODAY) is None


def test_the_api_shows_progress_on_the_objective_not_in_lists(api, workspace, target):
    import_campaign_rows(workspace, campaign_row(datetime.date(2026, 1, 10), "email", 1000, 60))
    base = f"/api/v1/workspaces/{workspace.slug}/objectives/"
    detail = api.get(f"{base}{target.objective_id}/").json()
    assert detail["targets"][0]["progress"]["state"] == "on_track"
    assert api.get(base).json()["results"][0]["targets"][0]["progress"] is None


def test_the_objective_page_shows_progress_and_the_list_links_to_it(web, workspace, target):
    import_campaign_rows(workspace, campaign_row(datetime.date(2026, 1, 10), "email", 1000, 60))
    detail = web.get(target.objective.get_absolute_url()).content.decode()
    assert "on track" in detail and "6.00%" in detail and "≥ 5.00%" in detail
    listing = web.get(f"/w/{workspace.slug}/messaging/objectives/").content.decode()
    assert "See progress" in listing and "on track" not in listing


def test_a_rate_on_too_few_visits_is_not_judged_yet(workspace, target):
    import_campaign_rows(workspace, campaign_row(datetime.date(2026, 1, 10), "email", 40, 0))
    progress = objective_target_progress(target)
    assert (progress["state"], progress["label"]) == ("not_enough_data", "not enough data yet")
    assert progress["sample"] == 40 and "needs at least 100 visits" in progress["detail"]


def test_a_total_is_pro_rated_on_the_page_as_in_the_diagnosis(workspace, target):
    # Revenue ≥ 900 for Jan 1 – Mar 31 (90 days); on Jan 10, 100 is due: 250 is on track.
    target.kpi, target.target = "revenue", "900"
    target.save()
    import_campaign_rows(workspace, campaign_row(datetime.date(2026, 1, 10), "email", 1000, 60))
    progress = objective_target_progress(target, today=datetime.date(2026, 1, 10))
    assert progress["state"] == "on_track" and progress["due"] == "100.00"
    assert progress["value_display"] == "$250" and progress["due_display"] == "$100"
