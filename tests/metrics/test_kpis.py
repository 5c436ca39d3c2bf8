"""The KPI engine against hand-computed values, zero denominators included."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from launches.models import Campaign
from metrics.kpis import KPIS
from metrics.kpis import Scope
from metrics.kpis import evaluate
from metrics.kpis import kpi_compute
from metrics.kpis import kpi_value
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import SURVEY_HEADER
from tests.metrics.helpers import USAGE_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import run_import

pytestmark = pytest.mark.django_db
D1, D2, D9 = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 9)  # Fri, Sat, next Sat


@pytest.fixture
def campaigns(workspace):
    # date, campaign, channel, spend, impressions, clicks, visits, leads, purchases, revenue
    run_import(
        workspace,
        "campaign",
        csv_bytes(
            CAMPAIGN_HEADER,
            "2024-03-01,A,email,100,1000,50,40,10,4,300",
            "2024-03-02,A,email,50,500,20,10,5,0,0",
            "2024-03-01,B,social,0,2000,0,0,0,0,0",
            "2024-03-09,B,social,200,1000,100,50,20,5,100",
        ),
    )
    return {c.name: c for c in Campaign.objects.in_workspace(workspace)}


def value(workspace, kpi, start=D1, end=D9, **scope):
    return kpi_value(workspace, kpi, start, end, **scope)


def test_campaign_kpis_by_hand(workspace, campaigns):
    # spend 350, revenue 400, impressions 4500, clicks 170, visits 100, leads 35, purchases 9
    assert value(workspace, "spend") == "350.00"
    assert value(workspace, "revenue") == "400.00"
    assert value(workspace, "roi") == round((400 - 350) / 350, 4)
    assert value(workspace, "roas") == round(400 / 350, 4)
    assert value(workspace, "ctr") == round(170 / 4500, 4)
    assert value(workspace, "conversion_rate") == round(9 / 100, 4)
    assert value(workspace, "lead_conversion_rate") == round(9 / 35, 4)
    assert value(workspace, "cpa") == "38.89"
    assert value(workspace, "visits") == 100
    assert value(workspace, "purchases") == 9


def test_zero_denominators_give_null(workspace, campaigns):
    brand = campaigns["B"]
    # Campaign B on March 1st: no spend, no clicks, no visits, no purchases.
    for kpi in ("roi", "roas", "conversion_rate", "lead_conversion_rate", "cpa"):
        assert value(workspace, kpi, D1, D1, campaign=brand) is None, kpi
    assert value(workspace, "ctr", D1, D1, campaign=brand) == 0.0
    # No rows at all in the range.
    assert value(workspace, "roi", date(2023, 1, 1), date(2023, 1, 2)) is None
    assert value(workspace, "nps") is None
    assert evaluate("roi", {"spend": 0, "revenue": 5}) is None


def test_scopes(workspace, campaigns):
    assert value(workspace, "spend", channel="social") == "200.00"
    assert value(workspace, "spend", campaign=campaigns["A"]) == "150.00"
    feature = FeatureFactory(workspace=workspace)
    campaigns["A"].features.add(feature)
    assert value(workspace, "spend", feature=feature) == "150.00"
    assert value(workspace, "spend", product=feature.product) == "150.00"
    assert value(workspace, "spend", product=ProductFactory(workspace=workspace)) is None


def test_granularities(workspace, campaigns):
    daily = kpi_compute(workspace=workspace, kpi="spend", start=D1, end=D2, granularity="day")
    assert daily["series"] == [
        {"period": "2024-03-01", "value": "100.00"},
        {"period": "2024-03-02", "value": "50.00"},
    ]
    weekly = kpi_compute(workspace=workspace, kpi="roi", start=D1, end=D9, granularity="week")
    # Weeks start on Monday: Feb 26 (A: 150 spent, 300 back), Mar 4 (B: 200 spent, 100 back).
    assert weekly["series"] == [
        {"period": "2024-02-26", "value": 1.0},
        {"period": "2024-03-04", "value": -0.5},
    ]
    assert weekly["value"] == round(50 / 350, 4)
    monthly = kpi_compute(
        workspace=workspace, kpi="visits", start=D1, end=date(2024, 4, 30), granularity="month"
    )
    assert monthly["series"] == [
        {"period": "2024-03-01", "value": 100},
        {"period": "2024-04-01", "value": None},
    ]
    assert kpi_compute(workspace=workspace, kpi="visits", start=D1, end=D9, granularity="day")[
        "series"
    ][3] == {"period": "2024-03-04", "value": None}


@pytest.fixture
def usage(workspace):
    product = ProductFactory(workspace=workspace, name="Insights")
    other = ProductFactory(workspace=workspace, name="Pulse")
    run_import(
        workspace,
        "usage",
        csv_bytes(
            USAGE_HEADER,
            # Day 1: product totals given. Day 2: none, so the largest feature counts.
            "2024-03-01,Insights,,1000,0,0,600",
            "2024-03-01,Insights,Funnels,400,0,0,100",
            "2024-03-01,Insights,Cohorts,200,0,0,50",
            "2024-03-02,Insights,Funnels,300,0,0,150",
            "2024-03-02,Insights,Cohorts,100,0,0,0",
            "2024-03-01,Pulse,,500,0,0,0",
        ),
    )
    funnels = product.features.get(name="Funnels")
    return product, other, funnels


def test_usage_kpis_by_hand(workspace, usage):
    product, other, funnels = usage
    # Funnels: 400 + 300 active over product days 1000 + 300 (largest feature on day 2).
    assert value(workspace, "adoption", D1, D2, feature=funnels) == round(700 / 1300, 4)
    assert value(workspace, "retention", D1, D2, feature=funnels) == round(250 / 700, 4)
    assert value(workspace, "active_users", D1, D2, feature=funnels) == 350.0
    assert value(workspace, "active_users", D1, D2, product=product) == (1000 + 300) / 2
    assert value(workspace, "retention", D1, D2, product=product) == round(750 / 1300, 4)
    # Whole workspace: both products' daily actives added, averaged over days.
    assert value(workspace, "active_users", D1, D2) == (1000 + 500 + 300) / 2
    assert value(workspace, "retention", D1, D1, product=other) == 0.0
    series = kpi_compute(
        workspace=workspace,
        kpi="adoption",
        start=D1,
        end=D2,
        granularity="day",
        scope=Scope(feature=funnels),
    )["series"]
    assert [point["value"] for point in series] == [0.4, 1.0]


def test_survey_kpis(workspace):
    run_import(
        workspace,
        "survey",
        csv_bytes(
            SURVEY_HEADER,
            "2024-03-01T10:00:00Z,a,NPS,10,",
            "2024-03-01T10:00:00Z,b,NPS,9,",
            "2024-03-01T10:00:00Z,c,NPS,7,",
            "2024-03-02T10:00:00Z,d,NPS,3,",
            "2024-03-02T10:00:00Z,e,Support CSAT,5,",
            "2024-03-02T10:00:00Z,f,Support CSAT,2,",
        ),
    )
    assert value(workspace, "nps", D1, D2) == 25.0  # 2 promoters, 1 detractor, 4 answers
    assert value(workspace, "csat", D1, D2) == 0.5
    assert value(workspace, "nps", D1, D1) == round(100 * 2 / 3, 1)
    assert value(workspace, "csat", D1, D1) is None


@pytest.mark.parametrize(
    "kpi, scope, field",
    [
        ("unknown", {}, "kpi"),
        ("adoption", {}, "feature"),
        ("retention", {"channel": "email"}, "channel"),
        ("nps", {"channel": "email"}, "channel"),
    ],
)
def test_bad_queries_name_the_field(workspace, kpi, scope, field):
    with pytest.raises(ValidationError) as error:
        kpi_compute(workspace=workspace, kpi=kpi, start=D1, end=D2, scope=Scope(**scope))
    assert field in error.value.message_dict


def test_range_and_granularity_checks(workspace):
    with pytest.raises(ValidationError) as error:
        kpi_compute(workspace=workspace, kpi="roi", start=D2, end=D1)
    assert "to" in error.value.message_dict
    with pytest.raises(ValidationError):
        kpi_compute(workspace=workspace, kpi="roi", start=date(2000, 1, 1), end=date(2024, 1, 1))


def test_every_api_kpi_exists():
    assert set(KPIS) == {
        "roi",
        "roas",
        "conversion_rate",
        "lead_conversion_rate",
        "ctr",
        "cpa",
        "spend",
        "revenue",
        "visits",
        "purchases",
        "adoption",
        "retention",
        "active_users",
        "nps",
        "csat",
    }


def test_tenancy_of_the_engine(workspace, other_workspace, campaigns):
    assert value(other_workspace, "spend") is None
