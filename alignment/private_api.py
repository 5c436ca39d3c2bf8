"""The private Django APIs the app relies on, in one place, each with the reason.

Checked against the Django version pinned in requirements.txt; tests/alignment/
test_private_api.py fails when that pin moves, so whoever upgrades Django checks these.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache

CHECKED_WITH_DJANGO = (5, 2)


def redis_client(cache: RedisCache, key: str):
    """The redis-py client Django's Redis cache writes `key` through: the only way to
    one pipelined round trip (the API throttles' counters), which the public cache API
    does not offer. `key` is already made and validated by the cache."""
    return cache._cache.get_client(key, write=True)
