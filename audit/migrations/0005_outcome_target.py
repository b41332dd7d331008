"""The outcome row records the id of a target the change created (a new IVR).

A change set that creates an IVR cannot name it in its intent, written before Zendesk gives
the IVR an id. The outcome now carries it (hashed with the row when set, see
ChainedRow.ADDED_HASHED_FIELDS); every other outcome, and every outcome written before, keeps
NULL and its hash. The partial index finds a new IVR's creation by its id (its history).
"""

import importlib

from django.db import migrations, models


def keep_sqlite_triggers(apps, schema_editor):
    # Adding a nullable column is a plain ALTER TABLE on SQLite, which keeps the append-only
    # triggers; installing them again (IF NOT EXISTS) makes sure of it.
    if schema_editor.connection.vendor == "sqlite":
        append_only = importlib.import_module("audit.migrations.0002_append_only")
        with schema_editor.connection.cursor() as cursor:
            append_only.install_sqlite_triggers(cursor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_outcome_changes_in_words")]

    operations = [
        migrations.AddField(
            model_name="changesetoutcome",
            name="target_id",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The id of the target the change created (a new IVR), which Zendesk gave "
                    "only after the intent was written. NULL for every other change."
                ),
                max_length=100,
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="changesetoutcome",
            index=models.Index(
                condition=models.Q(("target_id__isnull", False)),
                fields=["target_id"],
                name="audit_outcome_target_idx",
            ),
        ),
        migrations.RunPython(keep_sqlite_triggers, migrations.RunPython.noop),
    ]
