"""alignment/private_api.py holds every private Django API the app calls: pinned to the
Django version it was checked with, and each still there in the installed one."""

import re
from pathlib import Path

import django
import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property

from alignment import private_api

ROOT = Path(__file__).resolve().parents[2]


def test_the_checked_django_version_is_the_pinned_one():
    pinned = re.search(r"^Django==(\d+)\.(\d+)\.", (ROOT / "requirements.txt").read_text(), re.M)
    assert pinned, "requirements.txt pins Django"
    version = tuple(int(part) for part in pinned.groups())
    assert version == private_api.CHECKED_WITH_DJANGO == django.VERSION[:2], (
        "Django moved: check alignment/private_api.py against it, then update the pin here"
    )


def test_the_private_attributes_it_uses_exist():
    assert isinstance(RedisCache.__dict__["_cache"], cached_property)
    assert callable(RedisCacheClient.get_client)


def test_no_other_module_calls_the_cache_client_privately():
    apps = ("alignment", "research", "launches", "metrics")
    callers = [
        str(path.relative_to(ROOT))
        for app in apps
        for path in (ROOT / app).rglob("*.py")
        if "._cache." in path.read_text() and path.name != "private_api.py"
    ]
    assert callers == []


@pytest.mark.skipif(
    not isinstance(caches["default"], RedisCache),
    reason="CACHE_URL is not Redis: the cache is this process's memory (CI sets it)",
)
def test_the_client_it_returns_talks_to_the_cache():
    cache = caches["default"]
    key = cache.make_and_validate_key("private-api-probe")
    client = private_api.redis_client(cache, key)
    client.set(key, 7, ex=10)
    assert cache.get("private-api-probe") == 7
