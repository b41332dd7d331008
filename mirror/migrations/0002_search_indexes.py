"""Trigram indexes for the lists' searches (PostgreSQL only; the SQLite trial searches the same
way, without them). The searches are case-insensitive substring matches (Django's icontains:
UPPER(column) LIKE UPPER('%words%'), and LIKE '%digits%'), which pg_trgm's GIN indexes serve."""

from django.db import migrations

INDEXES = {
    "mirror_ivr_name_trgm": ("mirror_syncedivr", "UPPER(name) gin_trgm_ops"),
    "mirror_number_label_trgm": ("mirror_syncedphonenumber", "UPPER(label) gin_trgm_ops"),
    "mirror_number_display_trgm": (
        "mirror_syncedphonenumber",
        "UPPER(display_number) gin_trgm_ops",
    ),
    "mirror_number_digits_trgm": ("mirror_syncedphonenumber", "digits gin_trgm_ops"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("mirror", "0001_copy")]

    operations = [migrations.RunPython(create, drop)]
