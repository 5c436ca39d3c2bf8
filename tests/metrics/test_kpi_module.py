"""The KPI module: one display, one change, one verdict per KPI (no database)."""

from decimal import Decimal

import pytest

from metrics import kpis
from metrics.kpis import KPIS
from metrics.kpis import format_kpi
from metrics.kpis import judge
from metrics.kpis import kpi_change


@pytest.mark.parametrize(
    ("name", "value", "currency", "expected"),
    [
        ("roi", 0.3863, "USD", "38.6%"),
        ("roi", -0.9, "USD", "-90.0%"),
        ("conversion_rate", 0.0118, "USD", "1.18%"),
        ("conversion_rate", 0.0019, "USD", "0.19%"),
        ("ctr", 0.0378, "USD", "3.78%"),
        ("roas", 2.3456, "USD", "2.35×"),
        ("cpa", "103.61", "USD", "$103.61"),
        ("cpa", "103.61", "EUR", "€103.61"),
        ("cpa", "103.61", "CHF", "103.61 CHF"),
        ("spend", "12345.60", "GBP", "£12,346"),
        ("revenue", "-50.00", "USD", "-$50"),
        ("revenue", "1234567", "JPY", "¥1,234,567"),
        ("visits", 12345, "USD", "12,345"),
        ("nps", 31.6, "USD", "+32"),
        ("nps", -4.5, "USD", "-5"),
        ("nps", 0.2, "USD", "0"),
        ("csat", 0.8, "USD", "80.0%"),
        ("adoption", 0.308, "USD", "30.8%"),
        ("active_users", 1234.4, "USD", "1,234"),
        ("roi", None, "USD", "–"),
    ],
)
def test_every_kpi_reads_with_its_display(name, value, currency, expected):
    assert format_kpi(name, value, currency=currency) == expected


def test_every_kpi_is_defined_with_a_kind_a_direction_and_a_display():
    for name, kpi in KPIS.items():
        assert kpi.kind in (kpis.ADDITIVE, kpis.RATIO, kpis.SCORE, kpis.AVERAGE), name
        assert kpi.direction in (kpis.UP, kpis.DOWN), name
        assert kpi.formula and kpi.label, name
        assert kpi.additive or kpi.min_sample > 0, name  # no verdict on a handful
    additive = {name for name, kpi in KPIS.items() if kpi.additive}
    assert additive == {"spend", "revenue", "visits", "purchases"}
    assert KPIS["cpa"].direction == kpis.DOWN and not KPIS["cpa"].additive


@pytest.mark.parametrize(
    ("name", "current", "previous", "text", "good"),
    [
        ("nps", 19.6, 3.1, "+17 pts", True),  # never "+532.3 %"
        ("conversion_rate", 0.0118, 0.0100, "+0.18 pp", True),
        ("roi", 0.30, 0.353, "-5.3 pp", False),
        ("roas", 2.5, 2.0, "+0.50×", True),
        ("spend", "1100.00", "1000.00", "+10.0%", False),  # spending more is not good news
        ("cpa", "90.00", "100.00", "-10.0%", True),
        ("revenue", "100.00", "100.00", "+0.0%", None),
    ],
)
def test_changes_read_in_the_kpis_own_unit(name, current, previous, text, good):
    change = kpi_change(name, current, previous)
    assert (change.text, change.good) == (text, good)


def test_no_change_without_both_values_or_from_zero():
    assert kpi_change("nps", None, 3) is None
    assert kpi_change("revenue", "10.00", "0.00") is None
    assert kpi_change("nps", 5, 0).text == "+5 pts"  # points need no division


@pytest.mark.parametrize(
    ("target", "direction", "value", "state"),
    [
        ("0.05", "up", 0.06, "on_track"),
        ("0.05", "up", 0.05, "on_track"),
        ("0.05", "up", 0.046, "at_risk"),
        ("0.05", "up", 0.03, "off_track"),
        ("120", "down", "100.00", "on_track"),
        ("120", "down", "130.00", "at_risk"),
        ("120", "down", "150.00", "off_track"),
        ("0.05", "up", None, None),
    ],
)
def test_a_ratio_is_judged_on_its_current_value(target, direction, value, state):
    name = "cpa" if direction == "down" else "conversion_rate"
    verdict = judge(name, target=target, direction=direction, value=value, sample=10_000)
    assert verdict.state == state


def test_a_ratio_target_is_never_pro_rated():
    # CPA ≤ 150 at 103.61, a third into the period: on track (a pro-rated 50 was the bug).
    verdict = judge(
        "cpa",
        target="150",
        direction="down",
        value="103.61",
        sample=500,
        elapsed_days=31,
        period_days=91,
    )
    assert verdict.state == "on_track" and verdict.due == Decimal("150")


def test_a_total_is_pro_rated_by_the_period_gone():
    verdict = judge(
        "revenue",
        target="4000",
        direction="up",
        value="1000.00",
        elapsed_days=31,
        period_days=91,
    )
    assert verdict.due == Decimal("1362.6374")
    assert verdict.state == "off_track" and verdict.gap == pytest.approx(0.2661, abs=1e-4)
    assert "$1,363 due after 31 of 91 days" in verdict.detail()


def test_no_verdict_before_the_minimum_sample():
    few = judge("nps", target="30", direction="up", value=80.0, sample=29)
    assert (few.state, few.label) == ("not_enough_data", "not enough data yet")
    assert judge("nps", target="30", direction="up", value=80.0, sample=30).state == "on_track"


def test_csv_headers_say_the_unit():
    assert kpis.csv_header("conversion_rate") == "Conversion rate (fraction)"
    assert kpis.csv_header("spend", currency="EUR") == "Spend (EUR)"
    assert kpis.csv_header("nps") == "NPS (score -100 to 100)"
    assert kpis.csv_value("spend", "12.50") == Decimal("12.50")


def test_targets_are_typed_as_they_read():
    assert kpis.target_from_input("conversion_rate", Decimal("3.5")) == Decimal("0.035")
    assert kpis.target_from_input("cpa", Decimal("150")) == Decimal("150")
    assert kpis.input_unit("conversion_rate") == "%"
    assert kpis.input_unit("cpa", currency="eur") == "EUR"


def test_charts_get_the_money_rule_of_the_currency():
    assert kpis.chart_format("spend", currency="EUR") == {
        "display": "money",
        "decimals": 0,
        "currency": "EUR",
        "prefix": "€",
        "suffix": "",
    }
    # The prefix or suffix and the decimals are format_money's: charts read as pages do.
    chf = kpis.money_format("chf")
    assert (chf["prefix"], chf["suffix"], chf["decimals"]) == ("", " CHF", 2)
    assert kpis.format_money(1234, "CHF") == "1,234.00 CHF"
    assert kpis.money_format("JPY")["decimals"] == 0
    assert kpis.chart_formats(currency="GBP")["cpa"]["prefix"] == "£"
    assert "prefix" not in kpis.chart_formats()["roi"]
