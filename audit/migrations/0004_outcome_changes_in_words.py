"""Freeze "what changed" in words into the outcome row when a change set closes.

The CSV export read every change set's snapshots and described them in Python, which made it
three times slower than JSON Lines. Outcomes now carry the words (hashed with the row when set;
see ChainedRow.ADDED_HASHED_FIELDS), so PostgreSQL can write the CSV itself. Outcomes written
before keep NULL and their hashes; the export describes those as before. The partial index finds
the newest of them at once (it stays empty for new rows).
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
    dependencies = [("audit", "0003_word_search")]

    operations = [
        migrations.AddField(
            model_name="changesetoutcome",
            name="changes_in_words",
            field=models.TextField(
                blank=True,
                help_text=(
                    "What changed between the before and after snapshots in plain words, "
                    "written when the change set closed (the CSV export's \"What changed\"). "
                    "NULL on outcomes written before this column existed: those are described "
                    "when exported."
                ),
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="changesetoutcome",
            index=models.Index(
                condition=models.Q(("changes_in_words__isnull", True)),
                fields=["change_set"],
                name="audit_outcome_undescribed_idx",
            ),
        ),
        migrations.RunPython(keep_sqlite_triggers, migrations.RunPython.noop),
    ]
