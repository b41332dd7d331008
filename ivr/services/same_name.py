"""A menu of the same name added in Zendesk during a draft: use it instead of a second one.

The publish page shows each such menu (ivr.engine.same_name) as a change made meanwhile; the
admin either publishes keeping both (recorded with the publish: `publish_draft(keep_both=...)`)
or calls `use_zendesk_menu`, which makes the draft's new menu the one Zendesk has: the draft's
base takes that menu in as Zendesk holds it (so its other keys are Zendesk's, kept), and the
draft's keys go into it. Nothing reaches Zendesk until the draft is published.
"""

import copy

from audit.actor import Actor
from ivr.engine.same_name import same_name_menus, take_over_menu
from ivr.models import Draft
from ivr.services.drafts import edit_in_place
from ivr.services.errors import MenuNoLongerThere
from ivr.services.live import fetch_live_ivr


def use_zendesk_menu(
    *, draft: Draft, menu_key: str, zendesk_menu_id: int, actor: Actor, expected_version: int
) -> Draft:
    """The draft's new menu `menu_key` becomes Zendesk's menu `zendesk_menu_id` of the same
    name, added there since the draft began. Raises MenuNoLongerThere if Zendesk no longer has
    it (or it is no longer one of those), StaleDraft/DraftBusy/DraftGone as every edit does."""
    live = fetch_live_ivr(draft.ivr_id)
    found = {
        (same.draft_menu.key, same.zendesk_menu_id): same
        for same in same_name_menus(
            base=draft.base_document(), live=live.document, draft=draft.ivr_document()
        )
    }
    same = found.get((menu_key, zendesk_menu_id))
    if same is None:
        raise MenuNoLongerThere()
    zendesk_json = next(m for m in live.json["menus"] if m.get("id") == zendesk_menu_id)

    def take_over(row: Draft) -> None:
        row.base = {**row.base, "menus": [*row.base.get("menus", []), copy.deepcopy(zendesk_json)]}
        row.document = take_over_menu(
            row.ivr_document(), draft_key=menu_key, zendesk_menu=same.zendesk_menu
        ).to_json()

    return edit_in_place(
        draft=draft, change=take_over, actor=actor, expected_version=expected_version
    )
