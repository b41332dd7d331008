"""Writing Zendesk's answers into the copy, and saying what that changed.

Every function here takes the JSON Zendesk returned (a list read by a sync pass, or one object
a TalkAdmin write answered with) and brings the copy in line with it, returning the
differences it found (before and after each object's JSON) and sending them as the
`copy_changed` signal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import phone
from mirror.models import SyncedIvr, SyncedLookup, SyncedPhoneNumber
from mirror.services.state import copy_ready
from mirror.signals import copy_changed

IVRS = "ivrs"
PHONE_NUMBERS = "phone_numbers"
NUMBER_SETTINGS = "phone_number_settings"
GREETINGS = "greetings"
LOOKUP_KINDS = tuple(kind.value for kind in SyncedLookup.Kind)


@dataclass(frozen=True, slots=True)
class Difference:
    """One object whose JSON in Zendesk differs from what the copy last knew."""

    kind: str  # ivrs, phone_numbers, phone_number_settings, groups, greetings, ...
    zendesk_id: str
    name: str
    before: Any  # None: new to the copy
    after: Any  # None: gone from Zendesk

    @property
    def what(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "deleted"
        return "changed"


def announce(differences: list[Difference], *, source: str) -> None:
    """Send copy_changed once the transaction that saved them has committed."""
    if differences:
        transaction.on_commit(
            lambda: copy_changed.send(sender=Difference, differences=differences, source=source)
        )


# --- Columns from Zendesk's JSON ------------------------------------------------------------------


def _ivr_columns(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": str(raw.get("name") or "")[:255],
        "menu_count": len(raw.get("menus") or ()),
        "raw": raw,
    }


def _number_columns(raw: dict[str, Any]) -> dict[str, Any]:
    capabilities = raw.get("capabilities") or {}
    number = str(raw.get("number") or "")
    ivr_id = raw.get("ivr_id")
    return {
        "number": number[:32],
        "digits": "".join(character for character in number if character.isdigit())[:32],
        "display_number": str(raw.get("display_number") or "")[:64],
        "label": phone.short_label(**phone.label_parts(raw))[:255],
        "country_code": str(raw.get("country_code") or "")[:8],
        "ivr_zendesk_id": int(ivr_id) if isinstance(ivr_id, int) else None,
        "recorded": bool(raw.get("recorded")),
        "voice": bool(capabilities.get("voice")),
        "sms": bool(capabilities.get("sms")),
        "mms": bool(capabilities.get("mms")),
        "raw": {key: value for key, value in raw.items() if key != "settings"},
    }


# --- Whole collections (a sync pass) ----------------------------------------------------------


def replace_ivrs(items: Iterable[dict[str, Any]]) -> list[Difference]:
    """Make the copy's IVRs exactly Zendesk's list: add, change, delete."""
    return _replace(SyncedIvr, IVRS, items, _ivr_columns, lambda row: row.name)


def replace_phone_numbers(items: Iterable[dict[str, Any]]) -> list[Difference]:
    """Make the copy's phone numbers exactly Zendesk's list (their settings are kept)."""
    return _replace(SyncedPhoneNumber, PHONE_NUMBERS, items, _number_columns, lambda r: r.label)


def _replace(model, kind, items, columns, name_of) -> list[Difference]:  # type: ignore[no-untyped-def]
    now = timezone.now()
    incoming = {int(item["id"]): item for item in items if isinstance(item.get("id"), int)}
    differences: list[Difference] = []
    with transaction.atomic():
        known = {row.zendesk_id: row for row in model.objects.select_for_update()}
        new_rows, changed_rows = [], []
        for zendesk_id, item in incoming.items():
            values = columns(item)
            row = known.get(zendesk_id)
            if row is None:
                row = model(zendesk_id=zendesk_id, read_at=now, **values)
                new_rows.append(row)
                differences.append(Difference(kind, str(zendesk_id), name_of(row), None, row.raw))
                continue
            before = row.raw
            for field, value in values.items():
                setattr(row, field, value)
            row.read_at = now
            changed_rows.append(row)
            if before != row.raw:
                differences.append(Difference(kind, str(zendesk_id), name_of(row), before, row.raw))
        gone = [row for zendesk_id, row in known.items() if zendesk_id not in incoming]
        for row in gone:
            differences.append(Difference(kind, str(row.zendesk_id), name_of(row), row.raw, None))
        model.objects.bulk_create(new_rows, batch_size=500)
        if changed_rows:
            fields = [*columns(incoming[changed_rows[0].zendesk_id]), "read_at"]
            model.objects.bulk_update(changed_rows, fields, batch_size=500)
        if gone:
            model.objects.filter(pk__in=[row.pk for row in gone]).delete()
        announce(differences, source="sync" if copy_ready() else "first-sync")
    return differences


def replace_lookups(kind: str, items: Iterable[dict[str, Any]]) -> list[Difference]:
    """Make the copy's groups (or greetings, schedules, ...) exactly Zendesk's list."""
    now = timezone.now()
    incoming = {str(item["id"]): item for item in items if item.get("id") not in (None, "")}
    differences: list[Difference] = []
    with transaction.atomic():
        known = {row.zendesk_id: row for row in SyncedLookup.objects.filter(kind=kind)}
        new_rows, changed_rows = [], []
        for zendesk_id, item in incoming.items():
            name = str(item.get("name") or "")[:255]
            row = known.get(zendesk_id)
            if row is None:
                row = SyncedLookup(
                    kind=kind, zendesk_id=zendesk_id, name=name, raw=item, read_at=now
                )
                new_rows.append(row)
                differences.append(Difference(kind, zendesk_id, name, None, item))
                continue
            if row.raw != item:
                differences.append(Difference(kind, zendesk_id, name, row.raw, item))
            row.name, row.raw, row.read_at = name, item, now
            changed_rows.append(row)
        gone = [row for zendesk_id, row in known.items() if zendesk_id not in incoming]
        differences += [Difference(kind, r.zendesk_id, r.name, r.raw, None) for r in gone]
        SyncedLookup.objects.bulk_create(new_rows, batch_size=500)
        SyncedLookup.objects.bulk_update(changed_rows, ["name", "raw", "read_at"], batch_size=500)
        SyncedLookup.objects.filter(pk__in=[row.pk for row in gone]).delete()
        announce(differences, source="sync" if copy_ready() else "first-sync")
    return differences


# --- One object (a TalkAdmin write's answer, or Sync now) -------------------------------------


def record_ivr(raw: dict[str, Any], *, source: str = "talkadmin") -> list[Difference]:
    """Keep one IVR as Zendesk answered with it (menus and routes included)."""
    zendesk_id = int(raw["id"])
    with transaction.atomic():
        row = SyncedIvr.objects.select_for_update().filter(zendesk_id=zendesk_id).first()
        before = row.raw if row is not None else None
        values = _ivr_columns(raw)
        SyncedIvr.objects.update_or_create(
            zendesk_id=zendesk_id, defaults={**values, "read_at": timezone.now()}
        )
        differences = []
        if before != values["raw"]:
            differences.append(
                Difference(IVRS, str(zendesk_id), values["name"], before, values["raw"])
            )
        announce(differences, source=source)
    return differences


def record_phone_number(raw: dict[str, Any], *, source: str = "talkadmin") -> list[Difference]:
    """Keep one number as Zendesk answered with it; with its settings when the answer has them."""
    zendesk_id = int(raw["id"])
    now = timezone.now()
    with transaction.atomic():
        row = SyncedPhoneNumber.objects.select_for_update().filter(zendesk_id=zendesk_id).first()
        values = _number_columns(raw)
        differences = []
        before = row.raw if row is not None else None
        if before != values["raw"]:
            differences.append(
                Difference(PHONE_NUMBERS, str(zendesk_id), values["label"], before, values["raw"])
            )
        if isinstance(raw.get("settings"), dict):
            settings = raw["settings"]
            if row is not None and row.settings is not None and row.settings != settings:
                differences.append(
                    Difference(
                        NUMBER_SETTINGS, str(zendesk_id), values["label"], row.settings, settings
                    )
                )
            values.update(settings=settings, settings_read_at=now)
        SyncedPhoneNumber.objects.update_or_create(
            zendesk_id=zendesk_id, defaults={**values, "read_at": now}
        )
        announce(differences, source=source)
    return differences


def record_lookup(kind: str, raw: dict[str, Any], *, source: str = "talkadmin") -> list[Difference]:
    """Keep one greeting (group, ...) as Zendesk answered with it."""
    zendesk_id = str(raw["id"])
    name = str(raw.get("name") or "")[:255]
    with transaction.atomic():
        row = SyncedLookup.objects.filter(kind=kind, zendesk_id=zendesk_id).first()
        before = row.raw if row is not None else None
        SyncedLookup.objects.update_or_create(
            kind=kind,
            zendesk_id=zendesk_id,
            defaults={"name": name, "raw": raw, "read_at": timezone.now()},
        )
        differences = [Difference(kind, zendesk_id, name, before, raw)] if before != raw else []
        announce(differences, source=source)
    return differences


def forget(kind: str, zendesk_id: int | str, *, source: str = "talkadmin") -> list[Difference]:
    """Drop an object Zendesk no longer has (deleted here, or found gone)."""
    with transaction.atomic():
        rows: Any
        if kind == IVRS:
            rows = SyncedIvr.objects.filter(zendesk_id=int(zendesk_id))
        elif kind == PHONE_NUMBERS:
            rows = SyncedPhoneNumber.objects.filter(zendesk_id=int(zendesk_id))
        else:
            rows = SyncedLookup.objects.filter(kind=kind, zendesk_id=str(zendesk_id))
        differences = [Difference(kind, str(zendesk_id), str(row), row.raw, None) for row in rows]
        rows.delete()
        announce(differences, source=source)
    return differences


def record_number_settings(
    zendesk_id: int, settings: dict[str, Any], *, source: str = "sync"
) -> list[Difference]:
    """Keep the settings one number's GET returned (a sync pass reads them one by one)."""
    with transaction.atomic():
        row = SyncedPhoneNumber.objects.select_for_update().filter(zendesk_id=zendesk_id).first()
        if row is None:
            return []
        differences = []
        if row.settings is not None and row.settings != settings:
            differences.append(
                Difference(NUMBER_SETTINGS, str(zendesk_id), row.label, row.settings, settings)
            )
        row.settings, row.settings_read_at = settings, timezone.now()
        row.save(update_fields=["settings", "settings_read_at"])
        announce(differences, source=source)
    return differences


def record_numbers_answering(
    ivr_id: int, phone_number_ids: Iterable[int], *, source: str = "talkadmin"
) -> list[Difference]:
    """After Zendesk set which numbers answer with an IVR (its answer names them): those numbers
    answer with it, the others that did answer with none, and no other IVR lists them."""
    wanted = {int(number_id) for number_id in phone_number_ids}
    differences: list[Difference] = []
    with transaction.atomic():
        touched = SyncedPhoneNumber.objects.select_for_update().filter(
            Q(zendesk_id__in=wanted) | Q(ivr_zendesk_id=ivr_id)
        )
        for number in touched:
            now_ivr = ivr_id if number.zendesk_id in wanted else None
            if number.ivr_zendesk_id == now_ivr:
                continue
            before = number.raw
            number.raw = {**number.raw, "ivr_id": now_ivr}
            number.ivr_zendesk_id = now_ivr
            number.save(update_fields=["raw", "ivr_zendesk_id"])
            differences.append(
                Difference(PHONE_NUMBERS, str(number.zendesk_id), number.label, before, number.raw)
            )
        for other in SyncedIvr.objects.select_for_update().exclude(zendesk_id=ivr_id):
            listed = [int(i) for i in other.raw.get("phone_number_ids") or ()]
            kept = [i for i in listed if i not in wanted]
            if kept != listed:
                before = other.raw
                other.raw = {**other.raw, "phone_number_ids": kept}
                other.save(update_fields=["raw"])
                differences.append(
                    Difference(IVRS, str(other.zendesk_id), other.name, before, other.raw)
                )
        announce(differences, source=source)
    return differences
