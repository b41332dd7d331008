"""Refusals of change control, each with a plain message for the page."""


class ChangeControlRefusal(Exception):
    """A change-control service refused; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message


class NotAllowed(ChangeControlRefusal):
    """The person may not do this (their role, or they asked for or wrote the change)."""


class NotWaiting(ChangeControlRefusal):
    """The request was already decided, withdrawn or voided."""


class CannotAsk(ChangeControlRefusal):
    """Approval cannot be asked for this draft now (errors, conflicts, nothing to publish...)."""


class RequestVoided(ChangeControlRefusal):
    """The draft or Zendesk changed after approval was asked: it cannot be approved."""
