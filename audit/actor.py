"""Who made a change, as they were at that moment (names change later; the log must not)."""

from dataclasses import dataclass

from django.http import HttpRequest

from core.request_context import client_address, current_request_id

# Long enough for any real browser's User-Agent; longer strings are cut, never refused.
USER_AGENT_MAX_LENGTH = 500


def _request_id() -> str:
    """The current request's id, or "" outside a request (a command, a task)."""
    request_id = current_request_id()
    return "" if request_id == "-" else request_id


@dataclass(frozen=True)
class Actor:
    """The person (or command) behind a change set, with where the request came from.

    `user_id` is None for commands (`Actor.system`) and for visitors who are not signed in.
    Every service that changes something takes an `actor: Actor` keyword argument.
    """

    user_id: int | None
    username: str
    display_name: str
    client_address: str = ""
    user_agent: str = ""
    request_id: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> "Actor":
        """The signed-in user of `request` (or an anonymous visitor), with address and ids."""
        user = request.user
        if user.is_authenticated:
            user_id = user.pk
            username = user.get_username()
            display_name = user.get_full_name() or username
        else:
            user_id, username, display_name = None, "", "Someone not signed in"
        return cls(
            user_id=user_id,
            username=username,
            display_name=display_name,
            client_address=client_address(request),
            user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_MAX_LENGTH],
            request_id=getattr(request, "request_id", None) or _request_id(),
        )

    @classmethod
    def for_user(cls, user, *, client_address: str = "", user_agent: str = "") -> "Actor":
        """A signed-in user acting outside a request (a background task started on their behalf)."""
        username = user.get_username()
        return cls(
            user_id=user.pk,
            username=username,
            display_name=user.get_full_name() or username,
            client_address=client_address,
            user_agent=user_agent[:USER_AGENT_MAX_LENGTH],
            request_id=_request_id(),
        )

    @classmethod
    def system(cls, name: str) -> "Actor":
        """A command run on the server, e.g. `Actor.system("manage.py adduser")`."""
        return cls(user_id=None, username="", display_name=name, request_id=_request_id())

    @property
    def is_person(self) -> bool:
        return self.user_id is not None

    @property
    def label(self) -> str:
        """How the audit pages name this actor: "Alice Admin (alice)"."""
        if self.username and self.username != self.display_name:
            return f"{self.display_name} ({self.username})"
        return self.display_name
