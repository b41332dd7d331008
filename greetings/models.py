"""The words of a greeting, as an admin typed them: Zendesk keeps a recording and no text.

One row per greeting that has words, keyed by Zendesk's greeting id as text (the account's own
greetings have integer ids, Zendesk's defaults string ids such as "voicemail_en"). The IVR pages
show the words as what the caller hears, and lint checks a menu's keys against them.
"""

from django.conf import settings
from django.db import models

SCRIPT_MAX_LENGTH = 2000


class GreetingScript(models.Model):
    greeting_id = models.CharField(
        max_length=64, unique=True, help_text="Zendesk's id of the greeting, as text."
    )
    script = models.TextField(
        max_length=SCRIPT_MAX_LENGTH, help_text="What callers hear, as the admin typed it."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by_name = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["greeting_id"]

    def __str__(self) -> str:
        return f"Words of greeting {self.greeting_id}"
