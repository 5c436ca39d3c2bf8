"""The Redis cache backend (alignment/cache.py): Django's, reusing its redis-py client."""

import threading

import pytest
from django.core.cache import cache, caches

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


def test_threads_can_share_the_client(redis_cache):
    # Django gives each thread its own backend; one shared across threads still works.
    cache.set("shared", 0, 30)
    errors = []

    def add_many():
        try:
            for _ in range(200):
                redis_cache.incr("shared")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=add_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("shared") == 800
