"""Bad input in the address of a page or an API read is a 400 naming the field, never a 500:
dates at the ends of the calendar in every date the pages and the calendar read from the
query, and a NUL character anywhere in the query string or the path."""

import pytest
from django.db import transaction

from alignment.dates import EARLIEST
from alignment.dates import LATEST

pytestmark = pytest.mark.xdist_group("page-bad-input")  # one seeded demo, in one process

EXTREMES = ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"]
# Every date a page or a calendar endpoint reads from its query string.
DATE_QUERIES = [
    ("/w/acme/launches/calendar/", "date", {}),
    ("/w/acme/launches/calendar/", "date", {"view": "week"}),
    ("/w/acme/metrics/", "from", {"to": "2026-01-31"}),
    ("/w/acme/metrics/", "to", {"from": "2026-01-01"}),
    ("/api/v1/workspaces/acme/calendar/", "from", {}),
    ("/api/v1/workspaces/acme/calendar/", "to", {}),
    ("/api/v1/workspaces/acme/calendar.ics", "from", {}),
    ("/api/v1/workspaces/acme/kpis/", "from", {"kpi": "roi", "to": "2026-01-31"}),
    ("/api/v1/workspaces/acme/kpis/", "to", {"kpi": "roi", "from": "2026-01-01"}),
]
NUL_QUERIES = [
    "/w/acme/search/?q=a%00b",
    "/w/acme/research/insights/?q=%00",
    "/w/acme/metrics/?channel=%00",
    "/api/v1/workspaces/acme/insights/?search=a%00b",
    "/api/v1/workspaces/acme/claims/?search=%00",
    "/api/v1/workspaces/acme/products/?a%00=1",
    "/w/ac%00me/",
]


@pytest.fixture
def admin_client(client, full_demo_token, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo-admin"))
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {full_demo_token}"
    return client


def _get(client, url, params=None):
    with transaction.atomic():
        answer = client.get(url, params or {})
        transaction.set_rollback(True)
    return answer


def test_the_span_is_wide_and_bounded():
    assert EARLIEST.year <= 1900 and LATEST.year >= 2199


@pytest.mark.parametrize("url,field,rest", DATE_QUERIES)
@pytest.mark.parametrize("value", EXTREMES)
def test_a_date_outside_the_span_is_a_400_naming_it(admin_client, url, field, rest, value):
    answer = _get(admin_client, url, {field: value, **rest})
    assert answer.status_code == 400, (url, field, value, answer.status_code)
    body = answer.content.decode()
    assert field in body or "date" in body.lower(), body[:500]


@pytest.mark.parametrize("url,field,rest", DATE_QUERIES)
def test_dates_at_the_ends_of_the_span_still_answer(admin_client, url, field, rest):
    for value in (EARLIEST.isoformat(), LATEST.isoformat()):
        answer = _get(admin_client, url, {field: value, **rest})
        assert answer.status_code < 500, (url, field, value, answer.status_code)


@pytest.mark.parametrize("url", NUL_QUERIES)
def test_a_nul_in_the_address_is_a_400(admin_client, url):
    answer = _get(admin_client, url)
    assert answer.status_code == 400, (url, answer.status_code)
    assert b"NUL" in answer.content
