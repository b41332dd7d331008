"""Who changed what in a shared draft (DraftEdit), who closed it (ClosedDraft), and drafts
that undo a change set."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ivr", "0002_unconfirmed_creates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="draft",
            name="source",
            field=models.CharField(
                choices=[
                    ("edit", "Edited from the live IVR"),
                    ("revert", "Reverting to an earlier version"),
                    ("undo", "Undoing an earlier change"),
                    ("import", "Imported from a file"),
                ],
                default="edit",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="draft",
            name="source_change_set_id",
            field=models.BigIntegerField(
                blank=True,
                help_text="Revert: the change set whose result this draft restores. "
                "Undo: the change set this draft undoes. "
                "Import: the change set that recorded the import.",
                null=True,
            ),
        ),
        migrations.CreateModel(
            name="DraftEdit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("user_name", models.CharField(help_text="The admin's name at the time.", max_length=300)),
                ("made_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("version", models.PositiveIntegerField(help_text="The draft version this change made.")),
                ("words", models.TextField(help_text="The change in plain words.")),
                (
                    "parts",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text='The parts touched: ["ivr", "name"], ["menu", key], ["route", key, keypress].',
                    ),
                ),
                (
                    "draft",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="edits", to="ivr.draft"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["draft", "version", "pk"]},
        ),
        migrations.CreateModel(
            name="ClosedDraft",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("ivr_id", models.BigIntegerField(unique=True)),
                ("closed_by_id", models.BigIntegerField(blank=True, null=True)),
                ("closed_by_name", models.CharField(max_length=300)),
                ("closed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("published", models.BooleanField(help_text="Published (else discarded).")),
            ],
        ),
    ]
