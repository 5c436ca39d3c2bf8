"""The Redis cache backend (alignment/cache.py): Django's, reusing its redis-py client."""

import pytest
from django.core.cache import cache
from django.core.cache import caches

from alignment.cache import RedisCache


@pytest.fixture
def redis_cache():
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        pytest.skip("CACHE_URL is not set: the cache is this process's memory (CI sets it)")
    return backend


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client("any-key") is client
    cache.set("answer", {"value": 42}, 30)
    assert cache.add("counter", 1, 30)
    assert cache.incr("counter") == 2
    assert cache.get("answer") == {"value": 42}
    assert redis_cache._cache.get_client(write=True) is client
