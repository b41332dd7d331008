"""The greeting use cases that change something: create (with its recording), upload again,
rename, delete, and change the words.

Each is one audit change set with its Talk API calls (the words, which Zendesk does not hold,
have none). A recording is checked before anything is sent (greetings.services.audio), and
its change set keeps the file's SHA-256, size and length, never its bytes. Bad input raises a
ValidationError keyed by the form field, refusals GreetingRefused (nothing sent); Zendesk's
failures raise its PhoneSystemError after the change set has recorded them.

Creating is Zendesk's two steps (create, then upload) in one change set: when the upload
fails the greeting exists without a recording, the change set ends "partly applied" and says
so, and UploadIncomplete tells the page, which lists the greeting as incomplete with "Try the
upload again" (upload_greeting_recording), so nothing is orphaned unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

import audit
import mirror.services as mirror
import talk
from audit.actor import Actor
from audit.models import ChangeSet
from audit.recording import ReasonRequired
from core.errors import PhoneSystemError
from greetings.models import SCRIPT_MAX_LENGTH, GreetingScript
from greetings.services.audio import AudioFacts, examine_audio, size_words
from greetings.services.categories import CATEGORIES, category_words
from greetings.services.errors import GreetingInUse, UploadIncomplete, ZendeskDefault
from greetings.services.uses import Use, uses_by_greeting
from talk.resources import Greeting, GreetingId

NAME_MAX_LENGTH = 255  # Zendesk's limit for a greeting's name


@dataclass(frozen=True, slots=True)
class GreetingSaved:
    greeting: Greeting  # as Zendesk holds it now
    change_set: ChangeSet | None  # None when nothing needed changing
    summary: str


def checked_name(name: str) -> str:
    """The name as it will be sent, or a ValidationError on "name"."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": ["Give the greeting a name your team will recognise."]})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": [f"Use at most {NAME_MAX_LENGTH} characters (this has {len(name)})."]}
        )
    return name


def _checked_category(category_id: int | None) -> int:
    if category_id not in CATEGORIES:
        raise ValidationError({"category": ["Choose when callers hear this greeting."]})
    return int(category_id)


def _recording_words(facts: AudioFacts) -> str:
    return f"{facts.length_words}, {facts.kind}, {size_words(facts.size)}"


def create_greeting(
    *,
    name: str,
    category_id: int | None,
    audio: IO[bytes],
    file_name: str,
    actor: Actor,
    script: str = "",
    reason: str = "",
) -> GreetingSaved:
    """Create a greeting in Zendesk and upload its recording, in one change set.

    Everything is checked first (name, category, the recording) and nothing is sent when one
    is wrong. Raises UploadIncomplete when Zendesk created the greeting but did not take the
    recording.
    """
    problems: dict[str, list[str]] = {}
    name = _collect(problems, lambda: checked_name(name)) or ""
    category_id = _collect(problems, lambda: _checked_category(category_id))
    facts = _collect(problems, lambda: examine_audio(audio, file_name=file_name))
    script = _checked_script(script, problems)
    if problems or category_id is None or facts is None:
        raise ValidationError(problems)
    kind = category_words(category_id)
    client = talk.get_client()
    with audit.change_set(
        actor=actor,
        action=audit.Action.CREATE_GREETING,
        target_type=audit.TargetType.GREETING,
        target_id=None,
        target_name=name,
        reason=reason,
        reason_required=False,
        summary=(
            f"Create the greeting '{name}' ({kind}) and upload its recording "
            f"({_recording_words(facts)})."
        ),
    ) as change:
        created = client.create_greeting(name=name, category_id=category_id)
        assert created.id is not None
        change.set_target(created.id)
        change.set_after(_snapshot(created, recording=None, script=script))
        mirror.record_lookup(mirror.GREETINGS, created.raw)
        try:
            uploaded = client.upload_greeting_audio(created.id, audio=audio, file_name=file_name)
        except PhoneSystemError as error:
            change.set_summary(
                f"Created the greeting '{name}' ({kind}), but Zendesk did not take its "
                f"recording ({_recording_words(facts)}): it stays incomplete, with no "
                "recording, until the upload is tried again."
            )
            _save_script(created.id, script, actor)
            raise UploadIncomplete(greeting_id=created.id, name=name, cause=error) from error
        _save_script(created.id, script, actor)
        mirror.record_lookup(mirror.GREETINGS, uploaded.raw)
        change.set_after(_snapshot(uploaded, recording=facts, script=script))
        summary = f"Uploaded the greeting '{name}' ({facts.length_words}) as a new {kind}."
        change.set_summary(summary)
    return GreetingSaved(greeting=uploaded, change_set=change.change_set, summary=summary)


def upload_greeting_recording(
    *, greeting_id: GreetingId, audio: IO[bytes], file_name: str, actor: Actor, reason: str = ""
) -> GreetingSaved:
    """Upload a recording for one of the account's greetings: the first one of an incomplete
    greeting, or a new one replacing what callers hear now.

    A greeting that is played somewhere changes for callers at once, so then a reason is
    required (ReasonRequired). Zendesk's defaults cannot be re-recorded (ZendeskDefault).
    """
    facts = examine_audio(audio, file_name=file_name)
    client = talk.get_client()
    greeting = _own(client.get_greeting(greeting_id))
    name = greeting.name or ""
    live = bool(_uses(greeting))
    if live and not (reason or "").strip():
        raise ReasonRequired()
    first = greeting.pending or not greeting.audio_url
    intent = "Upload the recording of" if first else "Replace the recording of"
    with audit.change_set(
        actor=actor,
        action=audit.Action.UPLOAD_GREETING,
        target_type=audit.TargetType.GREETING,
        target_id=greeting_id,
        target_name=name,
        reason=reason,
        reason_required=live,
        summary=f"{intent} the greeting '{name}' ({_recording_words(facts)}).",
        before=_snapshot(greeting, recording=None, script=None),
    ) as change:
        uploaded = client.upload_greeting_audio(greeting_id, audio=audio, file_name=file_name)
        mirror.record_lookup(mirror.GREETINGS, uploaded.raw)
        change.set_after(_snapshot(uploaded, recording=facts, script=None))
        summary = f"Uploaded the greeting '{name}' ({facts.length_words})."
        if not first:
            summary += " Callers hear the new recording from now on."
        change.set_summary(summary)
    return GreetingSaved(greeting=uploaded, change_set=change.change_set, summary=summary)


def rename_greeting(
    *, greeting_id: GreetingId, name: str, actor: Actor, reason: str = ""
) -> GreetingSaved:
    """Give one of the account's greetings a new name (callers hear no difference)."""
    name = checked_name(name)
    client = talk.get_client()
    greeting = _own(client.get_greeting(greeting_id))
    old = greeting.name or ""
    if old == name:
        return GreetingSaved(greeting=greeting, change_set=None, summary="")
    with audit.change_set(
        actor=actor,
        action=audit.Action.RENAME_GREETING,
        target_type=audit.TargetType.GREETING,
        target_id=greeting_id,
        target_name=old,
        reason=reason,
        reason_required=False,
        summary=f"Rename the greeting '{old}' to '{name}'.",
        before=_snapshot(greeting, recording=None, script=None),
    ) as change:
        renamed = client.rename_greeting(greeting_id, name=name)
        mirror.record_lookup(mirror.GREETINGS, renamed.raw)
        change.set_after(_snapshot(renamed, recording=None, script=None))
        summary = f"Renamed the greeting '{old}' to '{name}'."
        change.set_summary(summary)
    return GreetingSaved(greeting=renamed, change_set=change.change_set, summary=summary)


def delete_greeting(*, greeting_id: GreetingId, actor: Actor, reason: str) -> ChangeSet:
    """Delete one of the account's greetings, and its words, once nothing plays it.

    Refused with GreetingInUse (the uses listed) while a menu, a number or a draft plays it:
    Zendesk would quietly give those callers its default instead. Read fresh first.
    """
    if not (reason or "").strip():
        raise ReasonRequired()
    client = talk.get_client()
    client.forget_lookups("phone_numbers")  # which numbers choose it, as they are now
    greeting = _own(client.get_greeting(greeting_id))
    name = greeting.name or ""
    uses = _uses(greeting)
    if uses:
        raise GreetingInUse(name, uses)
    kind = category_words(greeting.category_id)
    script = GreetingScript.objects.filter(greeting_id=str(greeting_id)).first()
    with audit.change_set(
        actor=actor,
        action=audit.Action.DELETE_GREETING,
        target_type=audit.TargetType.GREETING,
        target_id=greeting_id,
        target_name=name,
        reason=reason,
        summary=f"Delete the greeting '{name}' ({kind}); nothing plays it.",
        before=_snapshot(greeting, recording=None, script=script.script if script else None),
    ) as change:
        client.delete_greeting(greeting_id)
        mirror.forget(mirror.GREETINGS, greeting_id)
        GreetingScript.objects.filter(greeting_id=str(greeting_id)).delete()
        change.set_summary(f"Deleted the greeting '{name}' ({kind}).")
    return change.change_set


def set_greeting_script(*, greeting_id: GreetingId, script: str, actor: Actor) -> ChangeSet | None:
    """Keep the words callers hear in a greeting ("" forgets them). No Talk API call: Zendesk
    keeps no text for a recording. Returns None when the words are already these."""
    problems: dict[str, list[str]] = {}
    script = _checked_script(script, problems)
    if problems:
        raise ValidationError(problems)
    greeting = talk.get_client().get_greeting(greeting_id)  # one that exists, by its name
    name = greeting.name or ""
    kept = GreetingScript.objects.filter(greeting_id=str(greeting_id)).first()
    old = kept.script if kept else ""
    if old == script:
        return None
    if not script:
        summary = f"Forgot the words of the greeting '{name}'."
    elif not old:
        summary = f"Wrote down the words of the greeting '{name}'."
    else:
        summary = f"Changed the words of the greeting '{name}'."
    with audit.change_set(
        actor=actor,
        action=audit.Action.CHANGE_GREETING_SCRIPT,
        target_type=audit.TargetType.GREETING,
        target_id=greeting_id,
        target_name=name,
        reason_required=False,
        summary=summary,
        before={"script": old},
    ) as change:
        _save_script(greeting_id, script, actor)
        change.set_after({"script": script})
    return change.change_set


def _collect[T](problems: dict[str, list[str]], check: Callable[[], T]) -> T | None:
    """The checked value, or None with its messages added to `problems`."""
    try:
        return check()
    except ValidationError as refusal:
        problems.update(refusal.message_dict)
        return None


def _checked_script(script: str, problems: dict[str, list[str]]) -> str:
    lines = [" ".join(line.split()) for line in (script or "").strip().splitlines()]
    cleaned = "\n".join(lines).strip()
    if len(cleaned) > SCRIPT_MAX_LENGTH:
        problems["script"] = [
            f"Keep the words to {SCRIPT_MAX_LENGTH} characters (these have {len(cleaned)})."
        ]
    return cleaned


def _save_script(greeting_id: GreetingId, script: str, actor: Actor) -> None:
    with transaction.atomic():
        if not script:
            GreetingScript.objects.filter(greeting_id=str(greeting_id)).delete()
            return
        GreetingScript.objects.update_or_create(
            greeting_id=str(greeting_id),
            defaults={
                "script": script,
                "updated_by_id": actor.user_id,
                "updated_by_name": actor.display_name or actor.username,
            },
        )


def _own(greeting: Greeting) -> Greeting:
    if greeting.default or not greeting.is_custom:
        raise ZendeskDefault(greeting.name or "This greeting")
    return greeting


def _uses(greeting: Greeting) -> tuple[Use, ...]:
    """Everywhere the greeting plays now: the IVRs read fresh, the numbers as just read."""
    client = talk.get_client()
    found = uses_by_greeting(
        greetings=[greeting], ivrs=client.list_ivrs(), numbers=client.cached_phone_numbers()
    )
    return found.get(greeting.id or "", ())


def _snapshot(greeting: Greeting, *, recording: AudioFacts | None, script: str | None) -> Any:
    """The change set's before or after: the greeting as Zendesk answered, with what
    TalkAdmin knows of its recording (never the bytes) and, when it changed, its words."""
    snapshot: dict[str, Any] = {"greeting": greeting.raw}
    if recording is not None:
        snapshot["recording"] = recording.for_audit()
    if script is not None:
        snapshot["script"] = script
    return snapshot
