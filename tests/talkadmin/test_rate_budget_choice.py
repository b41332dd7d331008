"""Which store keeps the Talk API rate budget for each configuration, and which ones refuse to
start because some process would not share it (talk/budget_choice.py, read by the settings)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from talk.budget_choice import rate_budget_store

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"
FILES = "django.core.cache.backends.filebased.FileBasedCache"
DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"
MEMCACHED = "django.core.cache.backends.memcached.PyMemcacheCache"


@pytest.mark.parametrize(
    ("asked", "cache_backend", "web_concurrency", "store"),
    [
        ("", LOCMEM, None, "database"),  # the default: shared, no extra server
        ("", LOCMEM, 4, "database"),
        ("", FILES, 4, "database"),  # the browser tests' and the benchmark's cache
        ("", REDIS, 4, "cache"),  # Redis when CACHE_URL points at it
        ("database", REDIS, 4, "database"),
        ("cache", MEMCACHED, 4, "cache"),  # shared and atomic, when asked for
        ("cache", LOCMEM, 1, "cache"),  # one single process: its memory is enough
    ],
)
def test_the_store_each_configuration_uses(asked, cache_backend, web_concurrency, store):
    assert (
        rate_budget_store(asked=asked, cache_backend=cache_backend, web_concurrency=web_concurrency)
        == store
    )


@pytest.mark.parametrize(
    ("asked", "cache_backend", "web_concurrency", "says"),
    [
        # locmem is each process's own memory: each worker would spend the whole budget
        ("cache", LOCMEM, None, "set WEB_CONCURRENCY=1"),  # make run's 2 workers, unsaid
        ("cache", LOCMEM, 2, "set WEB_CONCURRENCY=1"),
        # shared by the processes of one machine, but counted with a read then a write
        ("cache", FILES, 1, "cannot count requests atomically"),
        ("cache", DATABASE_CACHE, 1, "cannot count requests atomically"),
        ("redis", REDIS, 1, "set it to database (the default) or cache"),
    ],
)
def test_a_store_some_process_would_not_share_refuses_to_start(
    asked, cache_backend, web_concurrency, says
):
    with pytest.raises(ImproperlyConfigured) as refused:
        rate_budget_store(asked=asked, cache_backend=cache_backend, web_concurrency=web_concurrency)
    assert str(refused.value).startswith("TALK_RATE_BUDGET_STORE is")
    assert says in str(refused.value)
