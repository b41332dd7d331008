"""The tables of the shared Talk API rate budget (talk.pacing, talk.budget_database).

Written and read only with the few SQL statements of talk.budget_database, each atomic on its
own; nothing else touches them. Rows are short-lived: slots and reservations older than a
window are deleted as new ones are written.
"""

from django.db import models


class BudgetSlot(models.Model):
    """Requests counted in one short slot of an account's sliding window."""

    pk = models.CompositePrimaryKey("account", "slot")
    account = models.CharField(max_length=300)  # the Talk API's base URL
    slot = models.BigIntegerField()  # floor(Unix time / slot length)
    spent = models.IntegerField()

    class Meta:
        db_table = "talk_budget_slot"

    def __str__(self) -> str:
        return f"{self.spent} requests to {self.account} in slot {self.slot}"


class BudgetPause(models.Model):
    """Zendesk answered 429: no process of TalkAdmin sends to this account before `until`."""

    account = models.CharField(max_length=300, primary_key=True)
    blocked_until = models.FloatField()  # Unix time

    class Meta:
        db_table = "talk_budget_pause"

    def __str__(self) -> str:
        return f"{self.account} paused until {self.blocked_until}"


class BudgetReservation(models.Model):
    """Calls set aside for one piece of work (a publish), counted as spent for everyone else
    until they are spent, released, or the reservation lapses after `expires_slot`."""

    account = models.CharField(max_length=300)
    calls_left = models.IntegerField()
    expires_slot = models.BigIntegerField()

    class Meta:
        db_table = "talk_budget_reservation"
        indexes = [models.Index(fields=["account", "expires_slot"], name="talk_budget_live")]

    def __str__(self) -> str:
        return f"{self.calls_left} calls held for {self.account} until slot {self.expires_slot}"
