"""Fixtures of the Talk client's tests: `budget_store` (tests/talk/budgets.py)."""

from tests.talk.budgets import budget_store  # noqa: F401
