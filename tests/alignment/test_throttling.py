"""The API's per-user and anonymous rate limits (alignment/api/throttling.py), counted in
the project's cache: Redis on CI (CACHE_URL), this process's memory otherwise."""

import pytest
from rest_framework.request import Request
from rest_framework.test import APIClient
from rest_framework.test import APIRequestFactory

from alignment.api.throttling import AnonRateThrottle
from alignment.api.throttling import UserRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/workspaces/"
START = 1_800_000_000.0  # a window boundary for a 60-second window


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(UserRateThrottle, "timer", clock)
    monkeypatch.setattr(AnonRateThrottle, "timer", clock)
    monkeypatch.setattr(UserRateThrottle, "rate", "10/minute", raising=False)
    monkeypatch.setattr(AnonRateThrottle, "rate", "4/minute", raising=False)
    return clock


def statuses(client, count):
    return [client.get(URL).status_code for _ in range(count)]


def signed_in():
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


def test_a_user_gets_the_rate_then_429_with_retry_after(clock):
    client = signed_in()
    assert statuses(client, 10) == [200] * 10
    clock.now += 30
    response = client.get(URL)
    assert response.status_code == 429
    # Nothing in the previous window: one more fits once this window is over, and then
    # 10 * (1 - 9/10) seconds into the next, when the 10 weigh 9.
    assert int(response["Retry-After"]) == 30 + 6
    clock.now += 35
    assert statuses(client, 1) == [429]
    clock.now += 1
    assert statuses(client, 2) == [200, 429]


def test_each_user_has_their_own_allowance(clock):
    first, second = signed_in(), signed_in()
    assert statuses(first, 11)[-1] == 429
    assert statuses(second, 10) == [200] * 10


def test_the_previous_window_still_counts_by_its_overlap(clock):
    client = signed_in()
    assert statuses(client, 10) == [200] * 10
    clock.now += 60 + 15  # 15 s into the next window: 3/4 of the last one still counts
    assert statuses(client, 2) == [200, 200]  # 7.5 + 2 fits
    response = client.get(URL)  # 7.5 + 3 does not
    assert response.status_code == 429
    # It fits once the 10 weigh 7, at 18 s: Retry-After rounds the 3 s up.
    assert int(response["Retry-After"]) in (3, 4)
    clock.now += 2.9
    assert statuses(client, 1) == [429]
    clock.now += 0.2
    assert statuses(client, 2) == [200, 429]
    clock.now = START + 60 + 30  # half of the last window now: 5 + 3 + 2 more
    assert statuses(client, 3) == [200, 200, 429]


def test_a_burst_across_the_window_boundary_is_still_limited(clock):
    client = signed_in()
    clock.now += 59
    assert statuses(client, 10) == [200] * 10
    clock.now += 2  # a new window has begun, but the burst was a second ago
    assert statuses(client, 1) == [429]


def test_refused_requests_do_not_use_up_the_allowance(clock):
    client = signed_in()
    assert statuses(client, 10) == [200] * 10
    assert statuses(client, 50) == [429] * 50
    clock.now += 120  # both windows over: the refusals were not counted
    assert statuses(client, 10) == [200] * 10
    assert statuses(client, 1) == [429]


def test_anonymous_requests_are_limited_per_address(clock):
    # Every API route but the token endpoint (its own `auth` limit) refuses anonymous
    # callers before throttling, so the anonymous limit is checked on the throttle itself.
    def allowed(address):
        request = Request(APIRequestFactory().get(URL, REMOTE_ADDR=address))
        return AnonRateThrottle().allow_request(request, view=None)

    assert [allowed("10.0.0.1") for _ in range(5)] == [True] * 4 + [False]
    assert allowed("10.0.0.2")


TOKEN_URL = "/api/v1/auth/token/"


def _token_attempts(client, forwarded_for):
    return [
        client.post(
            TOKEN_URL, {"username": "someone", "password": "a guess"}, HTTP_X_FORWARDED_FOR=value
        ).status_code
        for value in forwarded_for
    ]


def test_a_rotating_forwarded_for_does_not_escape_the_token_throttle():
    # No proxy is trusted by default: the header is the client's to choose, so it is not
    # the client's identity. The 11th guess within the minute is refused (auth: 10/minute).
    answers = _token_attempts(APIClient(), [f"203.0.113.{n}" for n in range(11)])
    assert answers == [400] * 10 + [429]


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The proxy appends the address it saw; what the client wrote before it is ignored.
    spoofed = _token_attempts(APIClient(), [f"198.51.100.{n}, 203.0.113.7" for n in range(11)])
    assert spoofed == [400] * 10 + [429]
    other_client = _token_attempts(APIClient(), ["203.0.113.8"])
    assert other_client == [400]


def test_the_login_lockout_counts_by_the_same_address(client):
    from django.conf import settings as django_settings

    UserFactory(username="locked-pm")
    limit = django_settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        client.post(
            "/accounts/login/",
            {"username": "locked-pm", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    answer = client.post(
        "/accounts/login/",
        {"username": "locked-pm", "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    assert answer.status_code == 429  # locked out, although every try named a new address
