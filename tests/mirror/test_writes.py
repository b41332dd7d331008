"""Every TalkAdmin write refreshes the copy from Zendesk's answer at once (no sync pass needed),
and is announced as TalkAdmin's own change, not as drift."""

import pytest
from django.urls import reverse

from ivr.services import assign_ivr, create_ivr, delete_ivr, edit_draft, open_draft, publish_draft
from mirror.models import SyncedIvr, SyncedLookup, SyncedPhoneNumber
from mirror.services import FULL, run_pass
from mirror.signals import copy_changed
from tests.audio_files import wav_bytes
from tests.greetings.helpers import audio_file
from tests.ivr.drafting import ORDERS, actor, group_id, ivr_id, send_to_group
from tests.numbers.forms import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(sandbox):
    run_pass(FULL)
    sandbox.clear_requests()
    return sandbox


@pytest.fixture
def sources():
    heard: list[str] = []

    def listen(*, differences, source, **kwargs):
        heard.append(source)

    copy_changed.connect(listen, weak=False)
    yield heard
    copy_changed.disconnect(listen)


def _route(ivr: SyncedIvr, menu_name: str, keypress: str) -> dict:
    menu = next(m for m in ivr.raw["menus"] if m["name"] == menu_name)
    return next(r for r in menu["routes"] if r["keypress"] == keypress)


def test_a_publish_refreshes_the_ivr_in_the_copy(
    synced, editor, sources, django_capture_on_commit_callbacks
):
    main = ivr_id(synced)
    draft = open_draft(ivr_id=main, actor=actor(editor))
    draft = edit_draft(
        draft=draft,
        edit=send_to_group(synced, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=draft.version,
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_draft(draft=draft, actor=actor(editor), reason="Returns moved to Sales")

    copied = SyncedIvr.objects.get(zendesk_id=main)
    assert _route(copied, ORDERS, "2")["options"]["group_ids"] == [group_id(synced, "Sales")]
    assert "talkadmin" in sources


def test_creating_assigning_and_deleting_an_ivr_keep_the_copy(synced, admin):
    new_id = create_ivr(name="Holiday line", actor=actor(admin), reason="Christmas")
    assert SyncedIvr.objects.get(zendesk_id=new_id).name == "Holiday line"

    london = synced.state.number_named("UK Support London")["id"]
    assign_ivr(
        ivr_id=new_id, phone_number_ids=[london], actor=actor(admin), reason="Xmas", move_taken=True
    )
    assert SyncedPhoneNumber.objects.get(zendesk_id=london).ivr_zendesk_id == new_id
    assert london in SyncedIvr.objects.get(zendesk_id=new_id).raw["phone_number_ids"]
    assert all(
        london not in (ivr.raw.get("phone_number_ids") or [])
        for ivr in SyncedIvr.objects.exclude(zendesk_id=new_id)
    )

    delete_ivr(ivr_id=new_id, actor=actor(admin), reason="Over", confirm_name="Holiday line")
    assert not SyncedIvr.objects.filter(zendesk_id=new_id).exists()
    assert SyncedPhoneNumber.objects.get(zendesk_id=london).ivr_zendesk_id is None


def test_saving_a_numbers_settings_refreshes_it_in_the_copy(synced, as_admin):
    london = synced.state.number_named("UK Support London")["id"]
    assert SyncedPhoneNumber.objects.get(zendesk_id=london).raw["recorded"] is True
    response = submit(as_admin, london, "recording", {"recorded": False})
    assert response.status_code in (302, 303)
    assert synced.state.phone_numbers[london]["recorded"] is False
    copied = SyncedPhoneNumber.objects.get(zendesk_id=london)
    assert copied.recorded is False
    assert copied.settings == synced.state.phone_numbers[london]["settings"]


def test_getting_and_releasing_a_number_keep_the_copy(synced, as_admin):
    token = next(
        a["token"] for a in synced.state.available_numbers if a["number"] == "+14155550142"
    )
    form = {"country": "US", "kind": "local", "area_code": "415", "token": token}
    as_admin.post("/numbers/new/", {**form, "reason": "New west-coast line"})
    got = next(n for n in synced.state.phone_numbers.values() if n["number"] == "+14155550142")
    assert SyncedPhoneNumber.objects.get(zendesk_id=got["id"]).number == "+14155550142"

    london = synced.state.number_named("UK Support London")["id"]
    form = {"confirm_digits": "+44 20 7946 0321", "reason": "Office closed"}
    assert as_admin.post(f"/numbers/{london}/release/", form).status_code == 303
    assert london not in synced.state.phone_numbers
    assert not SyncedPhoneNumber.objects.filter(zendesk_id=london).exists()


def test_greeting_writes_keep_the_copy(synced, as_admin):
    greetings = SyncedLookup.objects.filter(kind="greetings")
    response = as_admin.post(
        reverse("greetings:new"),
        {"name": "Returns menu", "category": "5", "script": "", "audio": audio_file(wav_bytes(1))},
    )
    assert response.status_code == 303
    made = next(g for g in synced.state.greetings.values() if g["name"] == "Returns menu")
    copied = greetings.get(zendesk_id=str(made["id"]))
    assert copied.raw["pending"] is False  # the upload's answer, not the create's

    url = reverse("greetings:rename", args=[made["id"]])
    assert as_admin.post(url, {"name": "Returns (new)"}).status_code == 303
    assert greetings.get(zendesk_id=str(made["id"])).name == "Returns (new)"

    url = reverse("greetings:delete", args=[made["id"]])
    assert as_admin.post(url, {"reason": "Not needed"}).status_code == 303
    assert not greetings.filter(zendesk_id=str(made["id"])).exists()
