"""Fixtures of the Talk client's tests: `budget_store` and `redis_url` (tests/talk/budgets.py)."""

from tests.talk.budgets import budget_store, redis_url  # noqa: F401
