"""Warnings at publish: the review page lists lint's warnings above the reason, each with a
link back to the draft, and a publish with warnings records them in its change set."""

from functools import partial

import pytest
from django.urls import reverse

from audit.models import ChangeSet
from ivr.engine.document import new_menu_key
from ivr.engine.edit import add_menu
from ivr.services import edit_draft, open_draft
from ivr.web.presenters.call_flow import menu_anchor
from tests.ivr.drafting import actor, ivr_id
from tests.ivr.page_html import html, text

pytestmark = pytest.mark.django_db


def _draft_with_a_menu_no_key_reaches(sandbox, editor) -> str:
    key = new_menu_key()
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    edit_draft(
        draft=draft,
        edit=partial(add_menu, name="Wording check", greeting_id=None, key=key),
        actor=actor(editor),
        expected_version=draft.version,
    )
    return key


def test_the_review_page_lists_warnings_above_the_reason_with_links(sandbox, editor, as_editor):
    key = _draft_with_a_menu_no_key_reaches(sandbox, editor)
    main = ivr_id(sandbox)

    page = html(as_editor.get(reverse("ivr:publish", args=[main])))

    warnings = page.select_one("#publish-warnings")
    assert warnings is not None
    assert "Wording check" in text(warnings)
    heading = text(warnings.select_one("h3"))
    assert heading.endswith("to look at before publishing")
    links = [a["href"] for a in warnings.select("a")]
    assert f"{reverse('ivr:detail', args=[main])}#{menu_anchor(key)}" in links
    form = page.select_one("form[action$='/publish/']")
    fields = [el.get("id") for el in form.select("#publish-warnings, #id_reason")]
    assert fields == ["publish-warnings", "id_reason"]  # the warnings come first
    assert not form.select_one("button[type=submit]").has_attr("disabled")


def test_publishing_with_warnings_records_them(sandbox, editor, as_editor):
    _draft_with_a_menu_no_key_reaches(sandbox, editor)
    main = ivr_id(sandbox)
    page = html(as_editor.get(reverse("ivr:publish", args=[main])))
    count = len(page.select("#publish-warnings li"))
    version = page.select_one("input[name=version]")["value"]

    as_editor.post(reverse("ivr:publish", args=[main]), {"version": version, "reason": "Menu"})

    change_set = ChangeSet.objects.filter(target_id=str(main)).latest("id")
    plural = "warning" if count == 1 else "warnings"
    assert f"Published with {count} {plural}: " in change_set.final_summary
    assert "Wording check" in change_set.final_summary.split("Published with")[1]
    assert change_set.authors == ["Bob Editor"]
