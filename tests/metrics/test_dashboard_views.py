"""The shared dashboard: Home's overview and the analysis on Metrics, with its drill-downs:
numbers from the snapshot, filters in the URL, bounded queries, CSV export with formula
injection neutralised."""

import csv
import io
from datetime import date
from datetime import timedelta

import pytest
from django.urls import reverse

from alignment.exports import neutralise
from launches.models import Campaign
from metrics import services
from metrics.models import CampaignMetric
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import USAGE_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import run_import

pytestmark = pytest.mark.django_db
AS_OF = date.today() - timedelta(days=1)
DASHBOARD_MAX_QUERIES = 30  # session, membership, snapshot, engine reads, rankings
HOME_MAX_QUERIES = 25  # session, membership, snapshot, tile targets, objectives, panels


def day(offset: int) -> str:
    return (AS_OF - timedelta(days=offset)).isoformat()


def seed_facts(workspace, *, campaigns=2, days=3, prefix="C"):
    rows = []
    for offset in range(days):
        for index in range(campaigns):
            channel = "email" if index % 2 == 0 else "social"
            rows.append(
                f"{day(offset)},{prefix}{index},{channel},100,1000,50,40,10,4,{300 + index}"
            )
    run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, *rows))
    run_import(
        workspace,
        "usage",
        csv_bytes(USAGE_HEADER, f"{day(0)},P,,100,0,0,50", f"{day(0)},P,F,25,0,0,5"),
    )
    return services.dashboard_recompute(workspace=workspace)


@pytest.fixture
def facts(workspace):
    return seed_facts(workspace)


def home(workspace, **params):
    url = reverse("workspace_home", args=[workspace.slug])
    return url, params


def get(web, workspace, **params):
    url, params = home(workspace, **params)
    return web.get(url, params)


def analysis(web, workspace, **params):
    return web.get(reverse("metrics:index", args=[workspace.slug]), params)


def tile(response, name):
    return next(t for t in response.context["tiles"] if t["name"] == name)


def test_dashboard_shows_the_snapshot_numbers(web, workspace, facts):
    response = get(web, workspace)
    assert response.status_code == 200
    # 2 campaigns x 3 days x 100 spend in the last 30 days.
    assert tile(response, "spend")["value"] == "600.00"
    assert tile(response, "spend")["display"] == "$600"  # money in the workspace's currency
    assert tile(response, "adoption")["value"] == 0.25
    assert "No open diagnoses." in response.content.decode()
    # The charts are Metrics' alone; each tile links there for the same period.
    assert 'data-chart="' not in response.content.decode()
    assert tile(response, "spend")["analysis_url"].endswith("/metrics/?period=30")
    response = analysis(web, workspace)
    assert tile(response, "spend")["value"] == "600.00"
    funnel = dict(response.context["funnel"])
    assert funnel == {
        "Impressions": 6000,
        "Clicks": 300,
        "Visits": 240,
        "Leads": 60,
        "Purchases": 24,
    }
    assert {c["channel"] for c in response.context["channels"]} == {"email", "social"}
    body = response.content.decode()
    assert 'id="chart-money"' in body
    for chart in ("funnel", "channels", "adoption"):
        assert f'data-chart="{chart}"' in body
    # No survey data: the NPS chart says so and where to get it, instead of bare axes.
    assert 'data-chart="nps"' not in body and 'data-empty-chart="nps"' in body
    assert "/metrics/imports/new/?kind=survey" in body
    assert "Data table" in body


def test_period_and_filters_are_read_from_the_url(web, workspace, facts):
    week = analysis(web, workspace, period="7")
    assert week.context["filters"].period == "7"
    email = analysis(web, workspace, period="30", channel="email")
    assert tile(email, "spend")["value"] == "300.00"  # only C0 runs on email
    assert [c["channel"] for c in email.context["channels"]] == ["email"]
    assert "channel=email" in email.content.decode()  # the links keep the filter
    custom = analysis(web, workspace, **{"from": day(0), "to": day(0)})
    assert custom.context["filters"].period == "custom"
    assert tile(custom, "spend")["value"] == "200.00"
    assert tile(custom, "spend")["previous"] == "200.00"  # the day before
    assert tile(custom, "spend")["previous_display"] == "$200"


@pytest.mark.parametrize(
    "params",
    [
        {"product": "1"},
        {"channel": "email", "period": "90"},
        {"from": "2026-01-01", "to": "2026-01-31"},
        {"export": "series"},
    ],
)
def test_old_home_analysis_links_go_to_metrics(web, workspace, facts, params):
    response = get(web, workspace, **params)
    assert response.status_code == 302
    url = reverse("metrics:index", args=[workspace.slug])
    assert response["Location"].startswith(url + "?")
    for name, value in params.items():
        assert f"{name}={value}" in response["Location"]


def test_bad_filters_are_explained_not_500(web, workspace, facts):
    response = analysis(web, workspace, **{"from": "yesterday", "to": day(0)})
    assert response.status_code == 400
    assert "from" in response.context["filters"].errors
    assert tile(response, "spend")["value"] == "600.00"  # back to the 30 days
    reversed_range = analysis(web, workspace, **{"from": day(0), "to": day(5)})
    assert "to" in reversed_range.context["filters"].errors
    foreign = analysis(web, workspace, product="999999")
    assert "product" in foreign.context["filters"].errors
    too_long = analysis(web, workspace, **{"from": "2000-01-01", "to": day(0)})
    assert "from" in too_long.context["filters"].errors


def test_product_filter_scopes_campaign_kpis(web, workspace, facts):
    from alignment.models import Feature

    feature = Feature.objects.get(name="F")
    Campaign.objects.get(name="C1").features.add(feature)
    response = analysis(web, workspace, product=str(feature.product_id))
    assert response.status_code == 200
    assert tile(response, "spend")["value"] == "300.00"  # C1 promotes the product's feature


@pytest.mark.parametrize(
    "params", [{}, {"period": "90", "channel": "email"}, {"from": day(9), "to": day(0)}]
)
def test_dashboard_queries_are_bounded_whatever_the_data_size(
    web, workspace, django_assert_max_num_queries, params
):
    seed_facts(workspace, campaigns=2, days=2)
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        small = analysis(web, workspace, **params)
    assert small.status_code == 200
    seed_facts(workspace, campaigns=25, days=40, prefix="Big")
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        big = analysis(web, workspace, **params)
    assert big.status_code == 200


def test_home_queries_are_bounded_whatever_the_data_size(
    web, workspace, user, django_assert_max_num_queries
):
    seed_facts(workspace, campaigns=2, days=2)
    _target(workspace, user, "spend", "5000", direction="down", scope="workspace")
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        small = get(web, workspace)
    assert small.status_code == 200
    seed_facts(workspace, campaigns=25, days=40, prefix="Big")
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        big = get(web, workspace)
    assert big.status_code == 200


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_export_neutralises_formulas(web, workspace):
    # Imports refuse such names; a campaign created on the launches pages may still have one.
    for name, revenue in [('=HYPERLINK("http://x")', 500), ("@SUM(A1)", 10)]:
        CampaignMetric.objects.create(
            workspace=workspace,
            campaign=Campaign.objects.create(workspace=workspace, name=name, channel="email"),
            date=day(0),
            channel="email",
            spend=100,
            impressions=1000,
            clicks=50,
            visits=40,
            leads=10,
            purchases=4,
            revenue=revenue,
        )
    services.dashboard_recompute(workspace=workspace)
    response = analysis(web, workspace, export="top_campaigns")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ["Campaign", "ROI (fraction)", "Spend (USD)", "Revenue (USD)"]
    names = [row[0] for row in rows[1:]]
    assert names == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    assert rows[2][1] == "-0.9"  # a negative ROI stays a number


@pytest.mark.parametrize(
    "table",
    [
        "kpis",
        "series",
        "funnel",
        "channels",
        "adoption",
        "nps",
        "diagnostics",
        "launches",
        "tasks",
        "bottom_campaigns",
    ],
)
def test_every_dashboard_table_exports(web, workspace, facts, table):
    # The analysis's tables from Metrics, Home's panels from Home.
    page = get if table in ("diagnostics", "launches", "tasks") else analysis
    response = page(web, workspace, export=table)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert rows_of(response)[0]  # a header


def test_export_links_on_metrics_keep_the_filters(web, workspace, facts):
    body = analysis(web, workspace, period="30", channel="email").content.decode()
    assert "?period=30&amp;channel=email&amp;export=series" in body


def test_unknown_export_is_404(web, workspace, facts):
    assert get(web, workspace, export="nope").status_code == 404
    assert analysis(web, workspace, export="nope").status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (-1.5, -1.5),
        (None, ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_diagnostics_come_from_the_snapshot_key(web, workspace, facts):
    facts.data["diagnostics"] = [
        {
            "id": 1,
            "rule": "roi_drop",
            "severity": "high",
            "team": "marketing",
            "subject_type": "campaign",
            "subject_id": 1,
            "message": "ROI of C0 fell by half",
            "link": "/somewhere/",
        }
    ]
    facts.save()
    body = get(web, workspace).content.decode()
    assert "ROI of C0 fell by half" in body
    assert "No open diagnoses." not in body


def test_new_workspace_gets_the_onboarding_steps(web, workspace):
    body = get(web, workspace).content.decode()
    assert "Add a product" in body and "Import data" in body and "Plan a launch" in body
    assert 'data-chart="' not in body


def test_viewer_sees_no_write_buttons(client, viewer, workspace):
    client.force_login(viewer)
    body = client.get(reverse("workspace_home", args=[workspace.slug])).content.decode()
    assert "You are a viewer here" in body
    assert 'role="button">Add a product' not in body


def test_other_workspace_dashboard_is_404(web, other_workspace):
    assert web.get(reverse("workspace_home", args=[other_workspace.slug])).status_code == 404


def _target(workspace, user, kpi, target, **scope):
    from alignment.messaging.models import Objective
    from alignment.messaging.models import ObjectiveTarget

    objective = Objective.objects.create(
        workspace=workspace,
        title=f"Objective on {kpi}",
        product_owner=user,
        marketing_owner=user,
        period_start=AS_OF - timedelta(days=5),
        period_end=AS_OF + timedelta(days=30),
    )
    return ObjectiveTarget.objects.create(
        workspace=workspace, objective=objective, kpi=kpi, target=target, **scope
    )


def test_a_tile_carries_only_the_verdict_of_its_own_number(web, workspace, facts, user):
    # A target on the email channel judges email's spend, not the workspace's.
    _target(
        workspace, user, "spend", "5000", direction="down", scope="channel", scope_value="email"
    )
    assert tile(get(web, workspace), "spend")["target"] is None
    email = analysis(web, workspace, channel="email")
    badge = tile(email, "spend")["target"]
    assert badge["state"] == "on_track"
    assert badge["value_display"] == "$300"  # the number it judges, shown beside it
    assert 'data-target-state="on_track"' in email.content.decode()


def test_a_feature_target_never_sits_on_the_workspace_adoption_tile(web, workspace, facts, user):
    from alignment.models import Feature

    feature = Feature.objects.get(name="F")  # 25 of the product's 100 users: 25%
    _target(workspace, user, "adoption", "0.2", scope="feature", scope_id=feature.pk)
    response = get(web, workspace)
    assert tile(response, "adoption")["display"] == "25.0%"
    assert tile(response, "adoption")["target"] is None
    assert "data-target-state" not in response.content.decode()
    # It is judged in the objectives panel, under its own objective.
    (objective,) = response.context["objectives"]
    ((target, progress, scope_label),) = objective.target_rows
    assert (progress["state"], scope_label) == ("on_track", "Feature: P / F")


def test_a_workspace_target_judges_the_workspace_tile(web, workspace, facts, user):
    # 24 purchases of 240 visits: 10.00% over the period so far, against >= 35%.
    _target(workspace, user, "conversion_rate", "0.35", scope="workspace")
    response = get(web, workspace)
    badge = tile(response, "conversion_rate")["target"]
    assert (badge["state"], badge["value_display"]) == ("off_track", "10.00%")
    assert badge["target_display"] == "≥ 35.00%"
    assert "✗ off track" in response.content.decode()


def test_changes_read_in_points_for_ratios_and_scores(web, workspace, facts):
    from metrics.models import DashboardSnapshot

    snapshot = DashboardSnapshot.objects.get(workspace=workspace)
    headline = snapshot.data["headline"]["30"]
    headline["nps"] = {"value": 19.6, "previous": 3.1, "change": 5.3226}
    headline["conversion_rate"] = {"value": 0.0118, "previous": 0.0100, "change": 0.18}
    snapshot.save()
    response = get(web, workspace)
    assert tile(response, "nps")["change"].text == "+17 pts"
    assert tile(response, "conversion_rate")["change"].text == "+0.18 pp"
    body = response.content.decode()
    assert "+17 pts" in body and "vs +3" in body and "532" not in body


def test_home_metrics_and_drilldowns_print_a_kpi_alike(web, workspace, facts):
    import re

    home = tile(get(web, workspace), "roi")["display"]
    metrics = web.get(reverse("metrics:index", args=[workspace.slug])).content.decode()
    roi = re.search(
        r'data-kpi="roi">\s*<small>ROI</small>\s*<p class="tile-value">([^<]+)<', metrics
    )
    assert roi.group(1) == home == "200.5%"
    channels = web.get(reverse("metrics:channels", args=[workspace.slug]), {"days": "30"})
    body = channels.content.decode()
    assert "<td>10.00%</td>" in body and "0.1000" not in body  # conversion, as on Home
    assert "<td>$300</td>" in body  # spend, with its currency


def chart_json(response, element_id):
    import json
    import re

    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def test_money_charts_carry_the_workspace_currency(web, workspace, facts):
    workspace.currency = "EUR"
    workspace.save(update_fields=["currency"])
    metrics = chart_json(
        web.get(reverse("metrics:index", args=[workspace.slug])), "dashboard-series"
    )
    assert metrics["formats"]["spend"]["currency"] == "EUR"
    assert metrics["formats"]["revenue"]["prefix"] == "€"
    assert metrics["spend"]  # the series themselves, as before
    campaign = Campaign.objects.get(name="C0")
    drilldown = web.get(reverse("metrics:campaign", args=[workspace.slug, campaign.pk]))
    assert chart_json(drilldown, "dashboard-data")["formats"]["spend"]["prefix"] == "€"


# --- drill-downs ----------------------------------------------------------------------------


def test_campaign_performance_page(web, workspace, facts, django_assert_max_num_queries):
    campaign = Campaign.objects.get(name="C0")
    url = reverse("metrics:campaign", args=[workspace.slug, campaign.pk])
    with django_assert_max_num_queries(15):
        response = web.get(url)
    assert response.status_code == 200
    assert response.context["totals"]["spend"] == "300.00"
    assert dict(response.context["funnel"])["Purchases"] == 12
    export = web.get(url, {"export": "daily"})
    assert rows_of(export)[0] == [
        "Day",
        "Spend (USD)",
        "Revenue (USD)",
        "ROI (fraction)",
        "Conversion rate (fraction)",
    ]
    detail = web.get(reverse("launches:campaign_detail", args=[workspace.slug, campaign.pk]))
    assert url in detail.content.decode()


def test_feature_usage_page_with_before_after(web, workspace, facts, user):
    from alignment.models import Feature
    from launches.models import Launch

    feature = Feature.objects.get(name="F")
    launch = Launch.objects.create(
        workspace=workspace, name="F launch", launch_date=AS_OF, product=feature.product
    )
    launch.features.add(feature)
    response = web.get(reverse("metrics:feature", args=[workspace.slug, feature.pk]))
    assert response.status_code == 200
    assert response.context["totals"]["adoption"] == 0.25
    row = response.context["before_after"][0]
    assert row["before"]["active_users"] is None and row["after"]["active_users"] == 25.0
    assert (
        rows_of(
            web.get(
                reverse("metrics:feature", args=[workspace.slug, feature.pk]),
                {"export": "launches"},
            )
        )[1][0]
        == "F launch"
    )


def test_channel_comparison_page(web, workspace, facts):
    response = web.get(reverse("metrics:channels", args=[workspace.slug]), {"days": "30"})
    assert [c["channel"] for c in response.context["channels"]] == ["email", "social"]
    assert response.context["channels"][0]["spend"] == "300.00"


def test_drilldowns_of_another_workspace_are_404(web, other_workspace, workspace, facts):
    campaign = Campaign.objects.get(name="C0")
    assert (
        web.get(reverse("metrics:campaign", args=[other_workspace.slug, campaign.pk])).status_code
        == 404
    )
    other = seed_facts(other_workspace, prefix="O")
    foreign = Campaign.objects.get(workspace=other.workspace, name="O0")
    assert (
        web.get(reverse("metrics:campaign", args=[workspace.slug, foreign.pk])).status_code == 404
    )


# --- global search ---------------------------------------------------------------------------


def test_search_finds_rows_of_this_workspace_only(
    web, workspace, other_workspace, facts, django_assert_max_num_queries
):
    from alignment.models import Product

    Product.objects.create(workspace=workspace, name="Zephyr analytics")
    Product.objects.create(workspace=other_workspace, name="Zephyr secret")
    url = reverse("workspace_search", args=[workspace.slug])
    with django_assert_max_num_queries(20):
        response = web.get(url, {"q": "zephyr"})
    body = response.content.decode()
    assert "Zephyr analytics" in body and "Zephyr secret" not in body
    campaigns = web.get(url, {"q": "C0"})
    assert [g.label for g in campaigns.context["groups"]] == ["Campaigns"]
    assert "at least 2 characters" in web.get(url, {"q": "z"}).content.decode()
    assert "search" in web.get(reverse("workspace_home", args=[workspace.slug])).content.decode()


# --- one dashboard story: comparisons, periods, empty charts --------------------------------


def seed_two_periods(workspace):
    """7 days of campaign data and the 7 before them, with more purchases in the later week."""
    rows = [
        f"{day(offset)},C0,email,100,1000,50,40,10,{4 if offset < 7 else 2},300"
        for offset in range(14)
    ]
    run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, *rows))
    return services.dashboard_recompute(workspace=workspace)


def test_tiles_compare_with_the_previous_period_when_it_has_data(web, workspace):
    seed_two_periods(workspace)
    home = get(web, workspace, period="7")
    conversion = tile(home, "conversion_rate")
    assert (conversion["display"], conversion["previous_display"]) == ("10.00%", "5.00%")
    assert conversion["change"].text == "+5.00 pp"
    for name in ("roi", "roas", "ctr", "spend", "revenue"):
        assert tile(home, name)["change"] is not None, name
    metrics = web.get(reverse("metrics:index", args=[workspace.slug]), {"period": "7"})
    body = metrics.content.decode()
    assert "+5.00 pp vs 5.00%" in body
    assert "no comparison" not in home.content.decode()


def test_charts_cover_exactly_the_chosen_period(web, workspace):
    seed_two_periods(workspace)
    series = analysis(web, workspace, period="7").context["series"]
    assert (series["periods"][0], series["periods"][-1]) == (day(6), day(0))
    assert len(series["spend"]) == 7
    # 30 days chosen, data on 14 of them: the series starts on the first day with data,
    # not on 16 days of zeros before it.
    series = analysis(web, workspace, period="30").context["series"]
    assert (series["periods"][0], series["periods"][-1]) == (day(13), day(0))
    custom = analysis(web, workspace, **{"from": day(10), "to": day(3)})
    series = custom.context["series"]
    assert (series["periods"][0], series["periods"][-1]) == (day(10), day(3))
    metrics = web.get(reverse("metrics:index", args=[workspace.slug]), {"period": "7"})
    assert f'"periods": ["{day(6)}"' in metrics.content.decode()
    assert "Spend and revenue (7 days)" in metrics.content.decode()


def test_an_empty_chart_says_what_is_missing_and_links_to_the_import_page(web, workspace):
    seed_two_periods(workspace)  # campaign data only
    body = analysis(web, workspace).content.decode()
    import_url = reverse("metrics:import_create", args=[workspace.slug])
    assert 'data-empty-chart="adoption"' in body and 'data-chart="adoption"' not in body
    assert f'href="{import_url}?kind=usage"' in body
    assert f'href="{import_url}?kind=survey"' in body
    metrics = web.get(reverse("metrics:index", args=[workspace.slug])).content.decode()
    assert 'data-empty-chart="users"' in metrics and 'id="chart-users"' not in metrics
    assert f'href="{import_url}?kind=usage"' in metrics


def test_home_tiles_link_to_metrics_for_the_same_period(web, workspace):
    seed_two_periods(workspace)
    body = get(web, workspace, period="7").content.decode()
    assert f'href="{reverse("metrics:index", args=[workspace.slug])}?period=7"' in body


def test_a_kpi_reads_under_one_name_on_home_and_metrics(web, workspace, facts):
    home = {t["name"]: t["label"] for t in get(web, workspace).context["tiles"]}
    metrics = web.get(reverse("metrics:index", args=[workspace.slug])).content.decode()
    assert f"<small>{home['active_users']}</small>" in metrics


def test_favicon_is_linked_and_served(web, workspace, client):
    body = get(web, workspace).content.decode()
    assert 'rel="icon"' in body and "favicon.svg" in body
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")
