"""Every audit row is signed: the id of the key that signed it and its HMAC-SHA256 tag.

Both columns are NULL on rows written before (see audit.signing): `signing_key_id` is an added
hashed field (ChainedRow.ADDED_HASHED_FIELDS), left out of the hash while NULL, so those rows
keep their hashes and are reported as written before signing was turned on. `signature` is not
hashed: it is taken over the hashed content. The new action records when signing was turned on
(written after migrating, see audit.apps).
"""

import importlib

from django.db import migrations, models


def keep_sqlite_triggers(apps, schema_editor):
    # Adding nullable columns is a plain ALTER TABLE on SQLite, which keeps the append-only
    # triggers; installing them again (IF NOT EXISTS) makes sure of it.
    if schema_editor.connection.vendor == "sqlite":
        append_only = importlib.import_module("audit.migrations.0002_append_only")
        with schema_editor.connection.cursor() as cursor:
            append_only.install_sqlite_triggers(cursor)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_outcome_target'),
    ]

    operations = [
        migrations.AddField(
            model_name='apicall',
            name='signature',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='apicall',
            name='signing_key_id',
            field=models.CharField(blank=True, max_length=32, null=True),
        ),
        migrations.AddField(
            model_name='changeset',
            name='signature',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='changeset',
            name='signing_key_id',
            field=models.CharField(blank=True, max_length=32, null=True),
        ),
        migrations.AddField(
            model_name='changesetoutcome',
            name='signature',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='changesetoutcome',
            name='signing_key_id',
            field=models.CharField(blank=True, max_length=32, null=True),
        ),
        migrations.AlterField(
            model_name='changeset',
            name='action',
            field=models.CharField(choices=[('publish_ivr', 'Published IVR changes'), ('revert_ivr', 'Reverted an IVR'), ('import_ivr', 'Imported an IVR'), ('create_ivr', 'Created an IVR'), ('delete_ivr', 'Deleted an IVR'), ('assign_ivr', 'Changed which phone numbers use an IVR'), ('update_phone_number', 'Changed phone number settings'), ('provision_phone_number', 'Got a new phone number'), ('release_phone_number', 'Released a phone number'), ('add_user', 'Added a user'), ('change_role', "Changed a user's role"), ('deactivate_user', 'Deactivated a user'), ('reactivate_user', 'Reactivated a user'), ('export_audit_log', 'Exported the audit log'), ('sign_in_throttled', 'Sign-in attempts throttled'), ('start_row_signing', 'Turned on audit row signing')], max_length=40),
        ),
        migrations.RunPython(keep_sqlite_triggers, migrations.RunPython.noop),
    ]
