"""Lends the project's shared rate budget (talk.pacing.RateBudget) to the Dialpad client.

dialpad/ may not import talk/ (the layer rules in pyproject.toml), yet the budget is not
Zendesk's own: a sliding window shared by every process (talk.config.budget_store_from_settings),
that honours a 429's pause everywhere. Until it moves to core/ (where dialpad/config.py would build
it directly and this module would go), the project layer builds it for Dialpad and translates its
one exception into dialpad.pacing's.
"""

from __future__ import annotations

from dialpad.pacing import Budget, BudgetExhausted
from talk.config import budget_store_from_settings
from talk.pacing import BudgetExhausted as TalkBudgetExhausted
from talk.pacing import RateBudget

# A 1-second window counted in tenths: fine enough for Dialpad's per-second limit, coarse enough
# for the clocks of several servers (assumed to agree to within a slot).
SLOTS_PER_WINDOW = 10


class LentBudget:
    """A RateBudget behind dialpad.pacing.Budget."""

    def __init__(self, budget: RateBudget):
        self.budget = budget

    def acquire(self, *, max_wait: float) -> float:
        try:
            return self.budget.acquire(max_wait=max_wait)
        except TalkBudgetExhausted as exhausted:
            raise BudgetExhausted(exhausted.wait_seconds) from None

    def block_for(self, seconds: float) -> None:
        self.budget.block_for(seconds)


def dialpad_budget(*, limit: int, window_seconds: float, namespace: str) -> Budget:
    """The budget dialpad.pacing.shared_budget() asks for, kept where Zendesk's is (the
    database by default), under its own account name."""
    return LentBudget(
        RateBudget(
            store=budget_store_from_settings(f"dialpad:{namespace}"),
            limit=limit,
            window_seconds=window_seconds,
            slots=SLOTS_PER_WINDOW,
        )
    )
