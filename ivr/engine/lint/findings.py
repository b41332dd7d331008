"""What lint reports: one finding per problem, in words an admin understands, with a fix."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # blocks publishing: callers would be stranded or Zendesk would refuse
    WARNING = "warning"  # worth a look; publishing stays possible


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str  # a stable name for the check, e.g. "duplicate-keypress"
    severity: Severity
    message: str  # what is wrong, for a non-technical admin
    fix: str  # what to do about it
    menu_key: str | None = None  # the menu concerned, if any
    keypress: str | None = None  # the route concerned (within menu_key), if any

    @property
    def blocks_publishing(self) -> bool:
        return self.severity is Severity.ERROR


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.blocks_publishing for finding in findings)
