"""Before/after snapshots in plain words, with names instead of ids.

A describer turns (before, after, names) into DescribedChange items: a sentence for the reviewer
("Changed the groups of the key 2 route of menu 'Billing' from 'Tier 1' to 'Tier 2'.") and the
field with its before and after value in words, for the detail page's table.

Each target type may plug its own describer:

    audit.register_describer("ivr", describe_ivr_change)

where `describe_ivr_change(*, before, after, names) -> list[DescribedChange]`. Without one, the
GenericDescriber walks the field-by-field diff (audit.diff) using a vocabulary of field labels:
audit.vocabulary holds users' and exports' (and a start for IVRs); the phone-number app
registers one built from its catalogue (numbers/audit_describer.py). `names` is the change
set's recorded names: {"group": {"123": "Tier 1"}, "schedule": {...}, "menu": {...}}.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from audit.diff import MISSING, FieldChange, ItemStep, diff_json

logger = logging.getLogger(__name__)

Names = Mapping[str, Mapping[str, str]]
Render = Callable[[Any, Names], str]


@dataclass(frozen=True)
class DescribedChange:
    sentence: str  # "" for a row that only belongs in the before/after table
    field: str = ""  # "Groups of the key 2 route of menu 'Billing'"; "" for a sentence only
    before: str = ""  # in words; "—" when there was nothing
    after: str = ""


class Describer(Protocol):
    def __call__(self, *, before: Any, after: Any, names: Names) -> list[DescribedChange]: ...


@dataclass(frozen=True)
class FieldWords:
    """How to speak of one field: its label, how to render its value, or to leave it out."""

    label: str
    render: Render | None = None
    hidden: bool = False  # read-only or derived fields that only echo another change


Vocabulary = Mapping[str, FieldWords]

# Id fields whose kind is not the field name minus "_id"/"_ids".
REFERENCE_KINDS = {
    "default_group_id": "group",
    "sms_group_id": "group",
    "textback_phone_number_id": "phone_number",
}
NOTHING = "—"


# --- Rendering values --------------------------------------------------------------------------
def humanize(key: str) -> str:
    return key.replace("_", " ").strip()


def join_words(words: list[str]) -> str:
    if not words:
        return "none"
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def quote(text: Any) -> str:
    return f"'{text}'"


def reference_kind(key: str) -> str | None:
    if key in REFERENCE_KINDS:
        return REFERENCE_KINDS[key]
    for suffix in ("_ids", "_id"):
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return None


def name_of(kind: str, identity: Any, names: Names) -> str:
    """'Tier 1' for group 123 when its name was recorded, else "#123 (name not recorded)"."""
    name = names.get(kind, {}).get(str(identity))
    return quote(name) if name else f"#{identity} (name not recorded)"


def reference(kind: str) -> Render:
    """Render an id (or a list of ids) of `kind` by the names recorded with the change set."""

    def render(value: Any, names: Names) -> str:
        if value is None or value == []:
            return "none"
        if isinstance(value, list):
            return join_words([name_of(kind, item, names) for item in value])
        return name_of(kind, value, names)

    return render


def on_off(value: Any, names: Names) -> str:
    return "on" if value else "off"


def choice(words: Mapping[Any, str]) -> Render:
    def render(value: Any, names: Names) -> str:
        return words.get(value, quote(value) if value is not None else "none")

    return render


def render_value(value: Any, key: str, names: Names) -> str:
    """Any JSON value in words, ids replaced by names where the key says what they are."""
    if value is MISSING:
        return NOTHING
    kind = reference_kind(key)
    if kind is not None and (isinstance(value, int | str | list) or value is None):
        return reference(kind)(value, names)
    if value is None:
        return "none"
    if isinstance(value, bool):
        return on_off(value, names)
    if isinstance(value, str):
        return quote(value) if value else "empty"
    if isinstance(value, list):
        return join_words([render_value(item, "", names) for item in value])
    if isinstance(value, dict):
        parts = [f"{humanize(k)} {render_value(v, k, names)}" for k, v in value.items()]
        return "; ".join(parts) if parts else "none"
    return str(value)


# --- The generic describer -------------------------------------------------------------------
class _NamesWithSnapshots(Mapping):
    """The recorded names, then names found in the snapshots (a menu route's target menu).

    The snapshots are only searched for a name that was not recorded, which is rare."""

    def __init__(self, recorded: Names, find: Callable[..., dict], *snapshots: Any) -> None:
        self._recorded, self._find, self._snapshots = recorded, find, snapshots
        self._found: dict[str, dict[str, str]] | None = None

    def found(self) -> dict[str, dict[str, str]]:
        if self._found is None:
            self._found = self._find(*self._snapshots)
        return self._found

    def __getitem__(self, kind: str) -> Mapping[str, str]:
        return _KindNames(self._recorded.get(kind, {}), lambda: self.found().get(kind, {}))

    def __iter__(self):
        return iter({*self._recorded, *self.found()})

    def __len__(self) -> int:
        return len({*self._recorded, *self.found()})


class _KindNames(Mapping):
    def __init__(self, recorded: Mapping[str, str], found: Callable[[], Mapping[str, str]]):
        self._recorded, self._found = recorded, found

    def __getitem__(self, key: str) -> str:
        if key in self._recorded:
            return self._recorded[key]
        return self._found()[key]

    def __iter__(self):
        return iter({*self._recorded, *self._found()})

    def __len__(self) -> int:
        return len({*self._recorded, *self._found()})


class GenericDescriber:
    """Describes any JSON snapshot field by field, with the labels of a vocabulary."""

    def __init__(self, vocabulary: Vocabulary | None = None, *, in_vocabulary_order: bool = False):
        self.vocabulary = vocabulary or {}
        self._rank = {words: rank for rank, words in enumerate(self.vocabulary.values())}
        # Flat objects (a phone number) read best in the vocabulary's order, as an admin thinks
        # of them; nested documents (an IVR) in their own order, menu by menu.
        self.in_vocabulary_order = in_vocabulary_order

    def __call__(self, *, before: Any, after: Any, names: Names) -> list[DescribedChange]:
        names = _NamesWithSnapshots(names, self._snapshot_names, before, after)
        last = len(self._rank)
        described = []
        for change in diff_json(before, after):
            if self._hidden(change):
                continue
            words = self._words_for(change)
            rank = self._rank.get(words, last) if words is not None else last
            described.append((rank, self._describe(change, words, names)))
        if self.in_vocabulary_order:
            described.sort(key=lambda ranked: ranked[0])
        return [change for _, change in described]

    def _snapshot_names(self, *snapshots: Any) -> dict[str, dict[str, str]]:
        """Names found in the snapshots themselves: objects in lists with an id and a name."""
        found: dict[str, dict[str, str]] = {}

        def collect(value: Any, key: str) -> None:
            if isinstance(value, dict):
                for child_key, child in value.items():
                    collect(child, child_key)
            elif isinstance(value, list):
                words = self.vocabulary.get(f"{key}[]")
                kind = (words.label if words else humanize(key).removesuffix("s")).replace(" ", "_")
                for item in value:
                    if isinstance(item, dict) and item.get("id") is not None and item.get("name"):
                        found.setdefault(kind, {})[str(item["id"])] = str(item["name"])
                    collect(item, key)

        for snapshot in snapshots:
            collect(snapshot, "")
        return found

    def _hidden(self, change: FieldChange) -> bool:
        """True when the field, or an object it belongs to, is left out of descriptions."""
        parts = change.pattern.split(".")
        return any(
            (words := self.vocabulary.get(".".join(parts[start:end]))) is not None and words.hidden
            for end in range(1, len(parts) + 1)
            for start in range(end)
        )

    def _words_for(self, change: FieldChange) -> FieldWords | None:
        """The most specific vocabulary entry: the whole path, then shorter tails of it."""
        parts = change.pattern.split(".")
        for start in range(len(parts)):
            words = self.vocabulary.get(".".join(parts[start:]))
            if words is not None:
                return words
        return None

    def _item_name(self, step: ItemStep, names: Names) -> str:
        words = self.vocabulary.get(f"{step.collection}[]")
        singular = words.label if words else humanize(step.collection).removesuffix("s")
        item = step.item if isinstance(step.item, dict) else {}
        if item.get("name"):
            return f"{singular} {quote(item['name'])}"
        if "keypress" in item:
            keypress = item["keypress"]
            return (
                f"the default {singular}"
                if keypress == "default"
                else (f"the key {keypress} {singular}")
            )
        recorded = names.get(singular.replace(" ", "_"), {}).get(str(step.identity))
        if recorded:
            return f"{singular} {quote(recorded)}"
        if isinstance(step.identity, int) and "id" not in item:
            return f"{singular} {step.identity + 1}"
        return f"{singular} #{step.identity}"

    def _owner(self, path: tuple, names: Names) -> str:
        """The list items on the path, innermost first: "the key 2 route of menu 'Billing'"."""
        items = [self._item_name(step, names) for step in path if isinstance(step, ItemStep)]
        return " of ".join(reversed(items))

    def _describe(
        self, change: FieldChange, words: FieldWords | None, names: Names
    ) -> DescribedChange:
        last = change.path[-1] if change.path else None
        if change.is_item and isinstance(last, ItemStep):  # is_item: the path ends on an item
            item = self._item_name(last, names)
            parent = self._owner(change.path[:-1], names)
            if change.before is MISSING:
                where = f" to {parent}" if parent else ""
                return DescribedChange(f"Added {item}{where}.", item.capitalize(), NOTHING, "added")
            where = f" from {parent}" if parent else ""
            return DescribedChange(f"Removed {item}{where}.", item.capitalize(), "existed", NOTHING)
        key = change.key
        label = words.label if words else self._default_label(key)
        owner = self._owner(change.path, names)
        render = words.render if words and words.render else None

        def text(value: Any) -> str:
            if value is MISSING:
                return NOTHING
            return render(value, names) if render else render_value(value, key, names)

        before, after = text(change.before), text(change.after)
        field = f"{label[:1].upper()}{label[1:]}" + (f" of {owner}" if owner else "")
        of_owner = f" of {owner}" if owner else ""
        if change.before is MISSING or change.before is None:
            sentence = f"Set the {label}{of_owner} to {after}."
        elif change.after is MISSING or change.after is None:
            sentence = f"Cleared the {label}{of_owner} (it was {before})."
        elif isinstance(change.after, bool) and isinstance(change.before, bool) and not render:
            for_owner = f" for {owner}" if owner else ""
            sentence = f"Turned {label} {after}{for_owner}."
        else:
            sentence = f"Changed the {label}{of_owner} from {before} to {after}."
        return DescribedChange(sentence, field, before, after)

    @staticmethod
    def _default_label(key: str) -> str:
        if not key:
            return "value"
        kind = reference_kind(key)
        if kind is not None:
            return humanize(kind) + ("s" if key.endswith("_ids") else "")
        return humanize(key)


# --- The registry ------------------------------------------------------------------------------
_registered: dict[str, Describer] = {}


def register_describer(target_type: str, describer: Describer) -> None:
    """Use `describer` for change sets of `target_type`; replaces the built-in one."""
    _registered[target_type] = describer


# The audit log's own describers (audit.vocabulary), set when the app is ready (audit/apps.py);
# an app's registered describer wins over them.
_built_in: dict[str, Describer] = {}


def set_built_in_describers(describers: dict[str, Describer]) -> None:
    _built_in.clear()
    _built_in.update(describers)


def describer_for(target_type: str) -> Describer:
    return _registered.get(target_type) or _built_in.get(target_type) or GenericDescriber()


def describe_changes(
    *, target_type: str, before: Any, after: Any, names: Names | None = None
) -> list[DescribedChange]:
    """What changed between two snapshots of a `target_type`, in plain words."""
    names = names or {}
    describer = describer_for(target_type)
    try:
        return describer(before=before, after=after, names=names)
    except Exception:
        # A broken plug-in must not hide the change from a reviewer: fall back to the generic.
        logger.exception("The %s describer failed; using the generic one", target_type)
        return GenericDescriber()(before=before, after=after, names=names)


def changes_in_words(
    *, target_type: str, before: Any, after: Any, names: Names | None = None
) -> str:
    """The sentences of describe_changes as one text: the CSV export's "What changed"."""
    changes = describe_changes(target_type=target_type, before=before, after=after, names=names)
    return " ".join(change.sentence for change in changes if change.sentence)
