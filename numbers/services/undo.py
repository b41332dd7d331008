"""Undoing a number's settings change: the settings it changed put back as they were before it.

    preview = undo_preview(number_id=7, change_set_id=42, names=names)   # what would go back
    saved = undo_number_change(number_id=7, change_set_id=42, names=names, actor=a, reason="…")

The undo is an ordinary settings save (numbers.services.settings), so it is checked the same
way: a setting changed again since that change (in TalkAdmin or Zendesk) is a SettingsConflict,
never silently overwritten. Its change set says "Undo of change #42".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from audit.actor import Actor
from audit.constants import Action, Outcome, TargetType
from audit.models import ChangeSet
from numbers.catalogue import SETTINGS, SETTINGS_BY_KEY
from numbers.services.settings import SettingsSaved, change_number_settings, settings_summary
from numbers.wording import Names


class CannotUndo(ValidationError):
    """That change set is not a settings change of this number that can be undone."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message


@dataclass(frozen=True)
class UndoPreview:
    change_set: ChangeSet
    section: str
    restore: dict[str, Any]  # setting key -> the value before the change
    changed_to: dict[str, Any]  # setting key -> the value the change set
    sentence: str  # what the undo would do, in words


def undo_preview(*, number_id: int, change_set_id: int, names: Names) -> UndoPreview:
    """What undoing that change would send (nothing is sent). Raises CannotUndo."""
    change_set = (
        ChangeSet.objects.select_related("outcome_row")
        .filter(
            pk=change_set_id,
            action=Action.UPDATE_PHONE_NUMBER,
            target_type=TargetType.PHONE_NUMBER,
            target_id=str(int(number_id)),
        )
        .first()
    )
    if change_set is None:
        raise CannotUndo(
            f"Change #{change_set_id} is not a settings change of this number, so it cannot "
            "be undone here."
        )
    before, after = change_set.before, change_set.after
    if change_set.status == Outcome.FAILED or not isinstance(before, dict):
        raise CannotUndo(f"Change #{change_set_id} changed nothing, so there is nothing to undo.")
    if not isinstance(after, dict):
        raise CannotUndo(
            f"Change #{change_set_id} did not record the number afterwards, so TalkAdmin "
            "cannot tell what to put back."
        )
    changed = [s for s in SETTINGS if s.read(before) != s.read(after)]
    sections = {setting.section for setting in changed}
    if len(sections) != 1:
        raise CannotUndo(f"Change #{change_set_id} changed no setting TalkAdmin can put back.")
    restore = {setting.key: setting.read(before) for setting in changed}
    changed_to = {setting.key: setting.read(after) for setting in changed}
    return UndoPreview(
        change_set=change_set,
        section=sections.pop(),
        restore=restore,
        changed_to=changed_to,
        sentence=settings_summary(after, restore, names),
    )


def undo_number_change(
    *, number_id: int, change_set_id: int, names: Names, actor: Actor, reason: str
) -> SettingsSaved:
    """Put back the settings change set #N changed, as they were before it, in one audited
    save ("Undo of change #N: …"). Raises CannotUndo, SettingsConflict when one of those
    settings changed again since, ReasonRequired, and Zendesk's errors as a settings save."""
    preview = undo_preview(number_id=number_id, change_set_id=change_set_id, names=names)
    for key in preview.restore:
        assert key in SETTINGS_BY_KEY
    return change_number_settings(
        number_id=number_id,
        section=preview.section,
        submitted=preview.restore,
        loaded=preview.changed_to,
        names=names,
        actor=actor,
        reason=reason,
        undo_of=change_set_id,
    )
