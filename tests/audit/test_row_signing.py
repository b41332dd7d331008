"""Every audit row is signed with a key the database does not hold, so a row added by anyone
else, even with a perfect hash, is named by `audit_verify` and the audit pages."""

import hashlib
import hmac

import pytest
from django.core.management import CommandError, call_command

from audit.after_migrate import after_migrate
from audit.chain import row_content
from audit.models import CHAINED_MODELS, ChangeSet, ChangeSetOutcome
from audit.signing import SigningKey, SigningKeys
from audit.verify import verify_chain
from tests.audit.forging import forge_approval, insert_row
from tests.audit.talk_calls import open_publish, talk_call

pytestmark = pytest.mark.django_db

OLD_KEY = SigningKey("2025-01", "old-secret-" + "o" * 40)
NEW_KEY = SigningKey("2026-06", "new-secret-" + "n" * 40)


def publish(actor, number: int = 1) -> ChangeSet:
    with open_publish(actor, target_id=number) as change:
        talk_call("GET", f"/api/v2/channels/voice/ivr/{number}")
    return change.change_set


def all_rows():
    rows = [row for model in CHAINED_MODELS for row in model.objects.all()]
    return sorted(rows, key=lambda row: row.chain_position)


def verify_output(capsys) -> tuple[str, str]:
    """(what audit_verify printed, its error or "" when it found the log intact)."""
    try:
        call_command("audit_verify")
        error = ""
    except CommandError as failure:
        error = str(failure)
    return capsys.readouterr().out, error


def test_every_row_is_signed_over_the_content_its_hash_covers(ana, settings):
    publish(ana)
    key = settings.AUDIT_HMAC_KEYS.current
    rows = all_rows()
    assert len(rows) == 3  # intent, call, outcome
    for row in rows:
        content = row_content(row.CHAIN_KIND, {n: getattr(row, n) for n in row.HASHED_FIELDS})
        assert row.signing_key_id == key.key_id
        assert row.row_hash == hashlib.sha256(content).hexdigest()
        assert row.signature == hmac.new(key.secret.encode(), content, "sha256").hexdigest()
        assert f'"signing_key_id":"{key.key_id}"' in content.decode()  # the hash covers the id


def test_a_change_set_forged_with_insert_rights_alone_is_named(ana, capsys):
    publish(ana)
    forged = forge_approval()  # chains perfectly: the hash needs no key

    verdict = verify_chain()
    assert verdict.chain_intact  # what the chain alone would say...
    assert not verdict.intact  # ...and what the signatures say
    out, error = verify_output(capsys)
    assert f"Row 4 of the chain (change set #{forged} (its intent)) has no signature" in out
    assert f"Row 5 of the chain (the outcome of change set #{forged}) has no signature" in out
    assert "The audit log is NOT intact. 2 row(s) listed above lack a valid signature" in error


def test_a_made_up_signature_or_key_id_is_named_too(ana, settings, capsys):
    publish(ana)
    current = settings.AUDIT_HMAC_KEYS.current.key_id
    first = forge_approval(signing_key_id=current, signature="0" * 64)
    second = forge_approval(signing_key_id="ceo-key", signature="f" * 64)

    out, error = verify_output(capsys)
    assert (
        f"(change set #{first} (its intent)) has a signature that does not match its content: "
        "it was not written by TalkAdmin."
    ) in out
    assert (
        f"(change set #{second} (its intent)) is signed with key 'ceo-key', which is not among "
        "the configured keys"
    ) in out
    assert "4 row(s) listed above lack a valid signature" in error


def test_the_check_page_names_forged_rows_and_their_change_set_page_warns(as_admin, as_viewer, ana):
    genuine = publish(ana)
    forged = forge_approval()

    page = as_admin.get("/audit/verify/").content.decode()
    assert "The audit log is NOT intact." in page
    assert "2 rows of the" in page and "lack a valid signature" in page
    assert f"(change set #{forged} (its intent)) has no signature" in page
    assert f'href="/audit/{forged}/"' in page
    warning = "TalkAdmin did not write rows of this change set."
    forged_page = as_viewer.get(f"/audit/{forged}/").content.decode()
    assert warning in forged_page
    assert "Approved by the CEO" in forged_page  # shown, but under the warning
    assert warning not in as_viewer.get(f"/audit/{genuine.pk}/").content.decode()


def test_an_edited_signature_is_named_even_where_the_hash_still_matches(ana, capsys):
    from tests.database_role import as_database_owner

    change_set = publish(ana)
    with as_database_owner() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE audit_changeset SET signature = repeat('1', 64) WHERE id = %s", [change_set.pk]
        )
    out, error = verify_output(capsys)
    assert "(change set #1 (its intent)) has a signature that does not match" in out
    assert error


def test_rotating_keys_keeps_older_rows_verifiable(ana, settings, capsys):
    settings.AUDIT_HMAC_KEYS = SigningKeys([OLD_KEY])
    publish(ana, 1)
    settings.AUDIT_HMAC_KEYS = SigningKeys([NEW_KEY, OLD_KEY])  # the new key signs from now on
    newer = publish(ana, 2)

    assert {row.signing_key_id for row in all_rows()} == {"2025-01", "2026-06"}
    assert ChangeSet.objects.get(pk=newer.pk).signing_key_id == "2026-06"
    out, error = verify_output(capsys)
    assert error == ""
    assert "The audit log is intact: 6 rows" in out

    settings.AUDIT_HMAC_KEYS = SigningKeys([NEW_KEY])  # the old key dropped too early
    out, error = verify_output(capsys)
    assert out.count("is signed with key '2025-01', which is not among the configured keys") == 3
    assert "if that key was retired, add it back" in out
    assert "3 row(s) listed above" in error


def write_as_before_signing(number: int) -> int:
    """A change set as TalkAdmin wrote it before audit migration 0006: no key id, no signature
    (its hash, without the NULL key id, is exactly the hash written then)."""
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    position = insert_row(
        ChangeSet,
        {
            "created_at": now,
            "must_finish_by": now + timedelta(minutes=15),
            "actor_user_id": 41,
            "actor_username": "ana",
            "actor_display_name": "Ana Silva",
            "client_address": "",
            "user_agent": "",
            "request_id": "",
            "action": "update_phone_number",
            "target_type": "phone_number",
            "target_id": str(number),
            "target_name": f"Line {number}",
            "reason": "Before signing",
            "summary": f"Change line {number}",
            "before": {"id": number},
            "names": {},
        },
    )
    return ChangeSet.objects.get(chain_position=position).pk


def test_rows_from_before_signing_are_reported_apart_and_not_as_forgeries(
    ana, capsys, settings, request
):
    old = [write_as_before_signing(number) for number in (1, 2)]
    after_migrate()  # what `manage.py migrate` does once the signing columns exist
    after_migrate()  # once only
    marker = ChangeSet.objects.get(action="start_row_signing")
    key_id = settings.AUDIT_HMAC_KEYS.current.key_id
    assert marker.summary == (
        f"Turned on audit row signing: every row from here on is signed with key '{key_id}'. "
        "The 2 rows before were written without a signature."
    )
    assert ChangeSetOutcome.objects.get(change_set=marker).signing_key_id
    publish(ana, 3)
    as_viewer = request.getfixturevalue("as_viewer")  # signed in once signing was turned on

    out, error = verify_output(capsys)
    assert error == ""
    assert (
        "Rows 1 to 2 were written before row signing was turned on: their hashes are checked, "
        "but no key vouches for who wrote them."
    ) in out
    warning = "TalkAdmin did not write"
    assert warning not in as_viewer.get(f"/audit/{old[0]}/").content.decode()

    forged = forge_approval()  # unsigned like the old rows, but after signing began
    out, error = verify_output(capsys)
    assert f"(change set #{forged} (its intent)) has no signature, yet rows before it" in out
    assert "Rows 1 to 2 were written before row signing" in out
    assert error
    assert warning in as_viewer.get(f"/audit/{forged}/").content.decode()


def test_a_log_that_began_signed_needs_no_marker(ana):
    after_migrate()  # an empty log
    publish(ana)
    after_migrate()  # its last row is signed
    assert not ChangeSet.objects.filter(action="start_row_signing").exists()


def test_a_signing_key_that_slips_into_a_body_is_masked_in_the_ledger(ana, settings):
    secret = settings.AUDIT_HMAC_KEYS.current.secret
    with open_publish(ana) as change:
        talk_call(
            "PUT", "/api/v2/channels/voice/ivr/1", request_body={"note": f"the key is {secret}"}
        )
    stored = change.change_set.api_calls.get().request_body
    assert stored == {"note": "the key is [masked]"}
