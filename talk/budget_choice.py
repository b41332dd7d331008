"""Which store keeps the Talk API rate budget, and which configurations must refuse to start.

Read by talkadmin/settings.py at start-up (no Django imports beyond the exception, so settings
can use it). The budget and a 429's pause must be shared by every process of the installation
(web workers, the background worker, commands that call Zendesk):

- "database" (the default): the talk_budget_* tables of DATABASE_URL's database.
- "cache" (the default when CACHE_URL is Redis): CACHE_URL's cache. Only a cache that is shared
  and counts atomically is trusted with it: Redis or Memcached. The per-process memory cache
  (locmem) is allowed only with WEB_CONCURRENCY=1, which declares that one single process calls
  Zendesk; other caches (file, database, dummy) count with a read then a write and are refused.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

STORES = ("database", "cache")
SHARED_ATOMIC_CACHES = frozenset(
    {
        "django.core.cache.backends.redis.RedisCache",
        "django_redis.cache.RedisCache",
        "django.core.cache.backends.memcached.PyMemcacheCache",
        "django.core.cache.backends.memcached.PyLibMCCache",
    }
)
PER_PROCESS_CACHE = "django.core.cache.backends.locmem.LocMemCache"


def rate_budget_store(*, asked: str, cache_backend: str, web_concurrency: int | None) -> str:
    """The store to use ("database" or "cache"); ImproperlyConfigured for one that some
    process would not share. `asked` is TALK_RATE_BUDGET_STORE ("" when unset)."""
    store = asked or ("cache" if cache_backend.endswith("RedisCache") else "database")
    if store not in STORES:
        raise ImproperlyConfigured(
            f"TALK_RATE_BUDGET_STORE is {store!r}: set it to database (the default) or cache "
            "(CACHE_URL's cache, e.g. Redis), or leave it unset."
        )
    if store == "database" or cache_backend in SHARED_ATOMIC_CACHES:
        return store
    if cache_backend != PER_PROCESS_CACHE:
        raise ImproperlyConfigured(
            "TALK_RATE_BUDGET_STORE is cache, but the cache of CACHE_URL cannot count requests "
            "atomically for several processes. Point CACHE_URL at Redis, or unset "
            "TALK_RATE_BUDGET_STORE: the database then keeps the budget."
        )
    if web_concurrency != 1:
        raise ImproperlyConfigured(
            "TALK_RATE_BUDGET_STORE is cache and CACHE_URL is the per-process memory cache, so "
            "each worker would spend the whole Zendesk API budget on its own. Unset "
            "TALK_RATE_BUDGET_STORE (the database then keeps the budget, shared by every "
            "process), point CACHE_URL at Redis, or, when exactly one process calls Zendesk, "
            "set WEB_CONCURRENCY=1."
        )
    return store
