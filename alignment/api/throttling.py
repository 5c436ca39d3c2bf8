"""API rate limits counted in two integers per client, not a list of timestamps.

DRF's own throttles keep each client's request times as a list in the cache, read and
written back whole on every request: two cache round trips, and up to API_THROTTLE_USER
(3000) timestamps to unpickle and pickle again for a busy integration. These count
requests per fixed window and weigh the previous window by how much of it still overlaps
the last `duration` seconds (a sliding-window estimate): one round trip on Redis, and a
burst across a window boundary is still limited.

The token endpoint keeps DRF's exact ScopedRateThrottle (`auth`): it is rarely called and
guards against password guessing, where an exact count matters more than speed.
"""

from __future__ import annotations

import contextlib

from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling

from alignment.private_api import redis_client


def client_address(request) -> str:
    """The client's address as the API throttles and the login lockout count it: the
    connection's, or with NUM_PROXIES trusted proxies, the one the outermost proxy saw."""
    return throttling.BaseThrottle().get_ident(request)


def _count_request(current_key: str, previous_key: str, timeout: int) -> tuple[int, int]:
    """Adds one to the current window's counter: (current count, previous window's)."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(cache, RedisCache):
        current_key = cache.make_and_validate_key(current_key)
        previous_key = cache.make_and_validate_key(previous_key)
        # The counters are plain integers, which Django's Redis serializer reads back as such.
        client = redis_client(cache, current_key)
        pipe = client.pipeline(transaction=False)
        pipe.incr(current_key)
        pipe.expire(current_key, timeout)
        pipe.get(previous_key)
        current, _, previous = pipe.execute()
        return int(current), int(previous or 0)
    cache.add(current_key, 0, timeout)
    return cache.incr(current_key), int(cache.get(previous_key, 0))


def _uncount_request(current_key: str) -> None:
    # A refused request does not use up the allowance, as with DRF's throttles: a client
    # retrying too fast still gets its full rate through.
    with contextlib.suppress(ValueError):  # the window's key expired meanwhile
        caches[DEFAULT_CACHE_ALIAS].decr(current_key)


class SlidingWindowCounterMixin:
    """For a SimpleRateThrottle: `allow_request` and `wait` from two window counters."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window, elapsed = divmod(self.now, self.duration)
        current_key = f"{self.key}:{int(window)}"
        self.current, self.previous = _count_request(
            current_key, f"{self.key}:{int(window) - 1}", timeout=2 * self.duration
        )
        self.overlap = 1 - elapsed / self.duration  # share of the previous window still in
        if self.previous * self.overlap + self.current <= self.num_requests:
            return True
        _uncount_request(current_key)
        self.current -= 1
        return False

    def wait(self):
        """Seconds until one more request fits, if the client sends nothing meanwhile."""
        room = self.num_requests - 1  # what the counts must fall to for one more to fit
        elapsed = (1 - self.overlap) * self.duration
        if self.current <= room and self.previous:
            # Within this window: the previous window's weight falls off linearly.
            until = self.duration * (1 - (room - self.current) / self.previous)
            return max(until - elapsed, 0)
        # Into the next window, where this window's count is the one falling off.
        until = self.duration * (1 - room / self.current) if self.current else 0
        return max(self.duration - elapsed + until, 0)


class UserRateThrottle(SlidingWindowCounterMixin, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(SlidingWindowCounterMixin, throttling.AnonRateThrottle):
    pass
