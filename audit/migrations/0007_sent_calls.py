"""A ledger row before each write: audit_sentcall, append-only like the other audit tables.

A write's row is committed before it is sent, its answer (audit_apicall, same change set and
sequence) after; a write with no answer row was sent and its answer is unknown. The table gets
the same triggers as the others (audit migration 0002): UPDATE, DELETE and TRUNCATE refused.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "audit_sentcall"


def install_triggers(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            # audit_reject_change() was created by migration 0002.
            cursor.execute(
                f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "
                f"{TABLE} FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change()"
            )
        else:
            for operation in ("UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{operation.lower()} "
                    f"BEFORE {operation} ON {TABLE} BEGIN "
                    f"SELECT RAISE(ABORT, 'The audit log is append-only: {operation} on {TABLE} "
                    "is not allowed.'); END"
                )


def uninstall_triggers(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0006_row_signing'),
    ]

    operations = [
        migrations.CreateModel(
            name='SentCall',
            fields=[
                ('id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('chain_position', models.BigIntegerField(unique=True)),
                ('previous_hash', models.CharField(max_length=64)),
                ('row_hash', models.CharField(max_length=64)),
                ('signing_key_id', models.CharField(blank=True, max_length=32, null=True)),
                ('signature', models.CharField(blank=True, max_length=64, null=True)),
                ('sequence', models.PositiveIntegerField(help_text='The sequence its answer (ApiCall) takes.')),
                ('sent_at', models.DateTimeField(help_text='Database clock just before the write was sent.')),
                ('method', models.CharField(max_length=10)),
                ('path', models.TextField()),
                ('request_body', models.JSONField(blank=True, null=True)),
                ('change_set', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sent_calls', to='audit.changeset')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('change_set', 'sequence'), name='audit_sent_order_uniq')],
            },
        ),
        migrations.RunPython(install_triggers, uninstall_triggers),
    ]
