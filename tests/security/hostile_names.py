"""Names that try to break a page, as anyone with access to Zendesk's Admin Center could type
them, and the check that a page shows them as plain text.

Seed them into the in-process sandbox with `seed_hostile_names(sandbox.state)`; a page's test
then renders the page and calls `assert_shown_as_text(html, names, where=url)`. Pages add
themselves to the shared check in tests/security/test_hostile_names.py (HOSTILE_PAGES).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from sandbox.state import SandboxState

SCRIPT = '<script>document.title="pwned"</script>Sales line'
ATTRIBUTE = '"><img src=x onerror="document.title=\'pwned\'"> Support'
QUOTES = "O'Brien & \"Sons\" <b>Billing</b> 'menu'"
# U+202E turns the rest of a paragraph right-to-left unless the name is isolated.
RIGHT_TO_LEFT = "\u202eenil niam\u202c Returns"
LONG = "Customer care for every region and every product line " * 6
HOSTILE_NAMES: tuple[str, ...] = (SCRIPT, ATTRIBUTE, QUOTES, RIGHT_TO_LEFT, LONG.strip())
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Elements whose text cannot reorder the text around it: <bdi>, and those shown on their own
# (a list's options, the window title, a text box).
_OWN_PARAGRAPH = frozenset({"bdi", "option", "title", "textarea"})


@dataclass
class HostileAccount:
    """The sandbox records that carry hostile names, by kind, as raw Talk API JSON."""

    ivrs: list[dict[str, Any]] = field(default_factory=list)
    menus: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    greetings: list[dict[str, Any]] = field(default_factory=list)
    phone_numbers: list[dict[str, Any]] = field(default_factory=list)


def seed_hostile_names(state: SandboxState) -> HostileAccount:
    """Add one IVR, menu, group, greeting and phone number per hostile name to the sandbox.

    Keys of the first hostile IVR lead to each hostile menu, whose default key queues for a
    hostile group.
    The menus belong to the first hostile IVR; each number uses a hostile group as its default
    group and the hostile IVR, so pages that show a number's group or IVR meet them too.
    """
    account = HostileAccount()
    category_id = state.greeting_categories[0]["id"] if state.greeting_categories else 1
    for name in HOSTILE_NAMES:
        account.ivrs.append(state.add_ivr(name, default_menu_name=f"{name} (main)"))
        account.groups.append(state.add_group(name, description=name))
        account.greetings.append(state.add_greeting(name, category_id=category_id))
    first_ivr = account.ivrs[0]["id"]
    for name in HOSTILE_NAMES:
        account.menus.append(state.add_menu(first_ivr, name))
    # Keys of the first IVR lead to each hostile menu and group, so the call flow shows them.
    first_menu = state.default_menu(first_ivr)["id"]
    for key, (menu, group) in enumerate(zip(account.menus, account.groups, strict=True)):
        state.add_route(first_menu, str(key), "menu", {"menu_id": menu["id"]})
        state.add_route(menu["id"], "default", "group", {"group_ids": [group["id"]]})
    for index, (name, group) in enumerate(zip(HOSTILE_NAMES, account.groups, strict=True)):
        account.phone_numbers.append(
            state.add_phone_number(
                number=f"+1415555{index:04d}",
                display_number=f"+1 (415) 555-{index:04d}",
                nickname=name,
                group_ids=[group["id"]],
                default_group_id=group["id"],
                ivr_id=first_ivr,
            )
        )
    return account


class _Page(HTMLParser):
    """Collects a page's text (per element) and the markup a hostile name could have injected."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.problems: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, isolates bidirectional text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        handlers = sorted(name for name in names if name.startswith("on"))
        if handlers:
            self.problems.append(f"<{tag}> carries event handlers {handlers}")
        if tag == "script" and "src" not in names:
            self.problems.append("an inline <script> element")
        for name, value in attrs:
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"a javascript: URL in {name}")
        if tag not in ("br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"):
            isolates = (
                tag in _OWN_PARAGRAPH
                or "dir" in names
                or any(isolated for _, isolated in self._open)
            )
            self._open.append((tag, isolates))

    def handle_endtag(self, tag: str) -> None:
        for position in range(len(self._open) - 1, -1, -1):
            if self._open[position][0] == tag:
                del self._open[position:]
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        isolated = any(isolates for _, isolates in self._open)
        if BIDI_CONTROLS & set(data) and not isolated:
            self.problems.append(
                f"right-to-left text {data.strip()[:40]!r} outside a <bdi> or dir= element"
            )


def assert_shown_as_text(page_html: str, names: list[str] | tuple[str, ...], *, where: str):
    """Every name in `names` appears on the page as text, exactly as typed, and no name turned
    into markup: no inline script, no event handler, no element a name smuggled in, and text
    with right-to-left controls kept inside an isolating element (<bdi> or dir="auto")."""
    page = _Page()
    page.feed(page_html)
    page.close()
    text = "".join(page.text)
    missing = [name for name in names if name not in text]
    assert not missing, f"{where} does not show, as text: {missing}"
    assert not page.problems, f"{where}: " + "; ".join(dict.fromkeys(page.problems))
    for name in names:
        if "<" in name:
            assert name not in page_html, f"{where} has {name!r} unescaped"
            assert html.escape(name, quote=False) in page_html or name in text
