"""The client's greetings against the sandbox: list, show, create, rename, delete, categories,
and the two-step create-then-upload with what goes wrong between the steps."""

import hashlib
import json
from pathlib import Path

import pytest

from talk.errors import Invalid, NotFound, Unavailable, UnusableAudio
from talk.greetings import UPLOAD_FIELD
from talk.recording import WriteOutsideChangeSet
from talk.resources import Greeting, GreetingCategory
from tests.audio_files import demo_mp3, wav_bytes, wav_of_size
from tests.talk.recorder import change_set

GREETINGS = "/api/v2/channels/voice/greetings"


def test_greetings_of_one_category_come_from_the_one_cached_list(sandbox):
    ivr = sandbox.client.list_greetings(category_id=5)
    assert {g.category_id for g in ivr} == {5} and "Sales welcome" in {g.name for g in ivr}
    assert len(sandbox.client.list_greetings()) == 27
    assert len(sandbox.requests_to("GET", GREETINGS)) == 1


def test_a_page_of_one_category_is_asked_of_zendesk(sandbox):
    page = sandbox.client.list_greetings_page(category_id=1, per_page=2)
    assert [g.category_id for g in page.items] == [1, 1] and page.next_page == 2
    (request,) = sandbox.requests_to("GET", GREETINGS)
    assert request.query["category_id"] == "1"


def test_a_greeting_is_shown_fresh_by_either_kind_of_id(sandbox):
    default = sandbox.client.get_greeting("callback-confirmation_en")
    assert (default.category_id, default.is_custom, default.has_audio) == (7, False, True)
    welcome = next(g for g in sandbox.client.list_greetings() if g.name == "Sales welcome")
    assert sandbox.client.get_greeting(welcome.id) == welcome
    with pytest.raises(NotFound):
        sandbox.client.get_greeting(404)


def test_a_greeting_category_is_shown(sandbox):
    category = sandbox.client.get_greeting_category(5)
    assert (category.id, category.name) == (5, "ivr")
    with pytest.raises(NotFound):
        sandbox.client.get_greeting_category(12)


def test_a_new_greeting_is_pending_until_its_audio_is_uploaded(sandbox):
    with change_set() as recorded:
        created = sandbox.client.create_greeting(name="Returns menu", category_id=5)
    assert (created.pending, created.audio_url, created.has_audio) == (True, None, False)
    assert created.usable_for_menu
    listed = {g.id: g for g in sandbox.client.list_greetings()}
    assert listed[created.id].pending  # the cached list was forgotten, so it is there
    content = wav_bytes(2)
    with change_set() as uploaded:
        after = sandbox.client.upload_greeting_audio(
            created.id, audio=content, file_name="returns.wav"
        )
    assert (after.pending, after.audio_name, after.has_audio) == (False, "returns.wav", True)
    assert not sandbox.client.get_greeting(created.id).pending
    assert b"".join(sandbox.client.stream_greeting_audio(after)) == content
    assert [call.status for call in recorded.calls + uploaded.calls] == [201, 200]


def test_the_ledger_keeps_what_was_uploaded_not_the_audio(sandbox):
    content = wav_bytes(1)
    with change_set() as recorded:
        created = sandbox.client.create_greeting(name="Returns menu", category_id=5)
        sandbox.client.upload_greeting_audio(created.id, audio=content, file_name="returns.wav")
    create, upload = recorded.calls
    assert create.request_body == {"greeting": {"name": "Returns menu", "category_id": 5}}
    assert (upload.method, upload.path) == ("PUT", f"{GREETINGS}/{created.id}")
    assert upload.request_body == {
        UPLOAD_FIELD: {
            "file_name": "returns.wav",
            "content_type": "audio/wav",
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    }
    assert upload.response_body["greeting"]["pending"] is False


def test_an_mp3_is_uploaded_from_a_file_and_named_as_the_admins_file(sandbox, tmp_path):
    path = tmp_path / "Welcome (final).mp3"
    path.write_bytes(demo_mp3())
    with change_set():
        created = sandbox.client.create_greeting(name="Welcome", category_id=5)
        with path.open("rb") as file:
            after = sandbox.client.upload_greeting_audio(
                created.id, audio=file, file_name="C:\\fakepath\\Welcome (final).mp3"
            )
    assert after.audio_name == "Welcome (final).mp3"
    assert b"".join(sandbox.client.stream_greeting_audio(after.id)) == demo_mp3()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "The file is empty."),
        (b"ID\x00 this is a text file called greeting.mp3", "not MP3 or WAV"),
        (wav_of_size(10 * 1024 * 1024 + 2), "larger than Zendesk's limit of 10 MB"),
    ],
    ids=["empty", "not audio", "over the limit"],
)
def test_a_file_that_cannot_be_a_greeting_is_refused_before_anything_is_sent(
    sandbox, content, reason
):
    with change_set():
        created = sandbox.client.create_greeting(name="Returns", category_id=5)
    sandbox.clear_requests()
    with change_set() as recorded, pytest.raises(UnusableAudio) as refused:
        sandbox.client.upload_greeting_audio(created.id, audio=content, file_name="greeting.mp3")
    assert reason in refused.value.user_message
    assert refused.value.user_message.endswith("Nothing was sent to Zendesk.")
    assert [label for label, _ in refused.value.field_messages()] == ["Audio file"]
    assert sandbox.requests == [] and recorded.calls == []


def test_a_file_at_exactly_the_limit_is_uploaded(sandbox):
    with change_set():
        created = sandbox.client.create_greeting(name="Long hold music", category_id=4)
        after = sandbox.client.upload_greeting_audio(
            created.id, audio=wav_of_size(10 * 1024 * 1024), file_name="hold.wav"
        )
    assert not after.pending


@pytest.mark.parametrize(
    ("fields", "field", "label"),
    [({"name": ""}, "name", "Name"), ({"category_id": 42}, "category_id", "Category")],
)
def test_zendesks_422_comes_back_keyed_by_field(sandbox, fields, field, label):
    with change_set(), pytest.raises(Invalid) as refused:
        sandbox.client.create_greeting(**{"name": "Returns", "category_id": 5, **fields})
    assert list(refused.value.details) == [field]
    assert [shown for shown, _ in refused.value.field_messages()] == [label]
    assert "Nothing was changed" in refused.value.user_message


def test_a_rename_keeps_the_category_and_forgets_the_cached_names(sandbox):
    before = next(g for g in sandbox.client.list_greetings() if g.name == "Sales welcome")
    with change_set():
        renamed = sandbox.client.rename_greeting(before.id, name="Sales menu")
    assert (renamed.name, renamed.category_id) == ("Sales menu", 5)
    assert "Sales menu" in {g.name for g in sandbox.client.list_greetings()}
    with change_set(), pytest.raises(Invalid) as refused:
        sandbox.client.rename_greeting("voicemail_en", name="Mine")
    assert list(refused.value.details) == ["base"]


def test_a_delete_returns_the_greeting_and_forgets_greetings_and_numbers(sandbox):
    after_hours = next(
        g for g in sandbox.client.list_greetings() if g.name == "After-hours voicemail"
    )
    numbers = sandbox.client.cached_phone_numbers()
    number = next(n for n in numbers if n.nickname == "US After-hours")
    assert after_hours.id in number.greeting_ids
    with change_set():
        deleted = sandbox.client.delete_greeting(after_hours.id)
    assert deleted is not None and deleted.name == "After-hours voicemail"
    assert after_hours.id not in {g.id for g in sandbox.client.list_greetings()}
    number = next(n for n in sandbox.client.cached_phone_numbers() if n.id == number.id)
    assert after_hours.id not in number.greeting_ids


def test_greeting_writes_need_a_change_set(sandbox):
    with pytest.raises(WriteOutsideChangeSet):
        sandbox.client.create_greeting(name="Sneaky", category_id=5)
    with pytest.raises(WriteOutsideChangeSet):
        sandbox.client.upload_greeting_audio("voicemail_en", audio=wav_bytes(), file_name="x.wav")
    assert sandbox.requests == []


# --- Zendesk failing between the two steps ----------------------------------------------------
def test_zendesk_failing_after_the_create_leaves_a_pending_greeting_that_can_be_completed(sandbox):
    sandbox.fail("PUT", f"{GREETINGS}/*", status=500, times=4)
    with change_set() as recorded:
        created = sandbox.client.create_greeting(name="Returns menu", category_id=5)
        with pytest.raises(Unavailable) as failed:
            sandbox.client.upload_greeting_audio(created.id, audio=wav_bytes(), file_name="r.wav")
    assert failed.value.may_have_applied  # a 500: Zendesk may have kept it; read to know
    assert [(c.method, c.status, c.attempts) for c in recorded.calls] == [
        ("POST", 201, 1),
        ("PUT", 500, 4),  # an upload replaces the audio: safe to try again, and it was
    ]
    pending = next(g for g in sandbox.client.list_greetings() if g.id == created.id)
    assert pending.pending  # listed, incomplete, not orphaned out of sight
    with change_set():
        done = sandbox.client.upload_greeting_audio(
            created.id, audio=wav_bytes(), file_name="r.wav"
        )
    assert not done.pending


def test_an_upload_retried_after_a_503_sends_the_whole_file_again(sandbox):
    with change_set():
        created = sandbox.client.create_greeting(name="Returns menu", category_id=5)
    sandbox.fail("PUT", f"{GREETINGS}/*", status=503, times=1)
    content = wav_of_size(2_500_000)  # past the spool's memory: rewound from disk
    with change_set() as recorded:
        sandbox.client.upload_greeting_audio(created.id, audio=content, file_name="r.wav")
    assert [r.status for r in sandbox.requests_to("PUT")] == [503, 200]
    assert recorded.calls[0].attempts == 2
    assert b"".join(sandbox.client.stream_greeting_audio(created.id)) == content


def test_an_upload_whose_answer_was_lost_is_found_done_on_a_fresh_read(sandbox):
    with change_set():
        created = sandbox.client.create_greeting(name="Returns menu", category_id=5)
    sandbox.time_out("PUT", f"{GREETINGS}/*", times=4, after_applying=True)
    with change_set(), pytest.raises(Unavailable) as lost:
        sandbox.client.upload_greeting_audio(created.id, audio=wav_bytes(), file_name="r.wav")
    assert lost.value.may_have_applied
    assert not sandbox.client.get_greeting(created.id).pending


# --- Zendesk's own examples -------------------------------------------------------------------
def test_the_references_example_and_real_answers_read_as_greetings():
    examples = json.loads(
        (Path(__file__).parents[1] / "sandbox" / "zendesk_greeting_examples.json").read_text()
    )
    premium = Greeting.from_json(examples["reference_greeting"])
    assert (premium.id, premium.name, premium.category_id, premium.active) == (
        123, "Premium Support", 1, True
    )  # fmt: skip
    assert premium.is_custom and premium.audio_url.startswith("/system/voice/uploads/")
    created = Greeting.from_json(examples["observed_create_response"]["greeting"])
    assert (created.pending, created.has_audio, created.has_sub_settings) == (True, False, True)
    assert created.to_json() == examples["observed_create_response"]["greeting"]
    defaults = [Greeting.from_json(g) for g in examples["observed_defaults"]]
    assert not any(g.is_custom or g.usable_for_menu for g in defaults)
    assert {g.id for g in defaults if not g.has_audio} == {
        "voicemail_none", "available_none", "ivr_none", "callback_none",
        "callback-confirmation_none",
    }  # fmt: skip
    category = GreetingCategory.from_json(examples["reference_category"])
    assert (category.id, category.name) == (1, "voicemail")
