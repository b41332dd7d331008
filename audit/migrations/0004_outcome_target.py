"""The outcome row records the id of a target the change created (a new IVR).

A change set that creates an IVR cannot name it in its intent, written before Zendesk gives
the IVR an id. Adding a column with a constant default changes no existing row (PostgreSQL
fires no UPDATE trigger for it), and the column is hashed only when it holds a value, so every
existing row keeps its hash (audit.models.ChainedRow.OPTIONAL_HASHED_FIELDS). The trial SQLite
database copies the table to add a column, so its append-only triggers are created again.
"""

import importlib

from django.db import migrations, models

append_only = importlib.import_module("audit.migrations.0002_append_only")


def reinstall_sqlite_triggers(apps, schema_editor):
    """SQLite rebuilt the outcome table to add the column, and lost its triggers with it."""
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            append_only.install_sqlite_triggers(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_word_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="changesetoutcome",
            name="target_id",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The id of what the change created (a new IVR), unknown when it began.",
                max_length=100,
            ),
        ),
        migrations.AddIndex(
            model_name="changesetoutcome",
            index=models.Index(
                condition=models.Q(("target_id", ""), _negated=True),
                fields=["target_id"],
                name="audit_outcome_target_idx",
            ),
        ),
        migrations.RunPython(reinstall_sqlite_triggers, migrations.RunPython.noop),
    ]
