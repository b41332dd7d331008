"""Greetings and greeting categories: one typed method per endpoint, and the greeting's audio.

Zendesk's greeting is made in two steps (its "upload an audio file for a Talk greeting" quick
start): create it with a name and a category (201, `pending: true`, `audio_url: null`), then
upload its audio (MP3 or WAV, 10 MB at most); until then it stays pending and callers hear
nothing from it. A failure between the two steps leaves a pending greeting, which
`upload_greeting_audio` can complete later. Ids are mixed: Zendesk's default greetings have
string ids ("voicemail_en", "callback-confirmation_en"), the account's own integer ids.

Writes need an open audit change set, like every write; each forgets the cached greetings (and
a delete, the cached numbers, whose greetings Zendesk resets).
"""

from __future__ import annotations

from typing import IO
from urllib.parse import quote

from talk.audio import AudioStream, AudioUpload
from talk.audio_fetch import AUDIO_CHUNK_BYTES, open_audio
from talk.errors import NoAudio
from talk.pagination import Paginated
from talk.resources import Greeting, GreetingCategory, GreetingId, Page

GREETINGS_PATH = "/api/v2/channels/voice/greetings"
CATEGORIES_PATH = "/api/v2/channels/voice/greeting_categories"
# How the audio goes up: a multipart PUT to the greeting, the file in this field. Zendesk's
# stored quick start is cut before its upload request, so this follows its documented pattern
# for files on a record (user photos: PUT with user[photo][uploaded_data]); the greeting's
# upload_id field is that upload's. Unconfirmed on a live account: see sandbox/__init__.py.
UPLOAD_METHOD = "PUT"
UPLOAD_FIELD = "greeting[upload][uploaded_data]"


def _greeting(greeting_id: GreetingId) -> str:
    # Default greetings' ids are words with hyphens; quote() keeps them as they are.
    return f"{GREETINGS_PATH}/{quote(str(greeting_id), safe='')}"


class GreetingEndpoints(Paginated):
    """Greeting and greeting-category endpoints of TalkClient (the cached lists: lookups)."""

    def list_greetings_page(
        self, *, page: int = 1, per_page: int = 100, category_id: int | None = None
    ) -> Page[Greeting]:
        """One page of greetings, of one category when category_id is given (not cached)."""
        params = {"category_id": int(category_id)} if category_id is not None else None
        return self._list_page(
            GREETINGS_PATH, "greetings", Greeting, page=page, per_page=per_page, params=params
        )

    def get_greeting(self, greeting_id: GreetingId) -> Greeting:
        """One greeting, fresh from Zendesk; NotFound if it does not exist (any more)."""
        return self._one(self._get(_greeting(greeting_id)), "greeting", Greeting)

    def get_greeting_category(self, category_id: int) -> GreetingCategory:
        """One of the fixed greeting categories (1 voicemail ... 9 call_recording_opt_in)."""
        body = self._get(f"{CATEGORIES_PATH}/{int(category_id)}")
        return self._one(body, "greeting_category", GreetingCategory)

    def create_greeting(self, *, name: str, category_id: int) -> Greeting:
        """Create a greeting (both fields are required); it is pending until its audio is in."""
        fields = {"name": name, "category_id": int(category_id)}
        answer = self._write("POST", GREETINGS_PATH, {"greeting": fields})
        self._forget_lookups("greetings")
        return self._one(answer, "greeting", Greeting)

    def rename_greeting(self, greeting_id: GreetingId, *, name: str) -> Greeting:
        """Give a greeting a new name (its category can be set only when it is created)."""
        answer = self._write("PUT", _greeting(greeting_id), {"greeting": {"name": name}})
        self._forget_lookups("greetings")
        return self._one(answer, "greeting", Greeting)

    def delete_greeting(self, greeting_id: GreetingId) -> Greeting | None:
        """Delete a greeting; returns it as it was (None if Zendesk sent no body).

        Whatever used it falls back to Zendesk's default: check its uses first."""
        answer = self._write("DELETE", _greeting(greeting_id))
        self._forget_lookups("greetings", "lines")
        return self._deleted(answer, "greeting", Greeting)

    def upload_greeting_audio(
        self, greeting_id: GreetingId, *, audio: IO[bytes] | bytes, file_name: str
    ) -> Greeting:
        """Upload a greeting's audio (MP3 or WAV, 10 MB at most), replacing any it had.

        The file is checked first, by its bytes: UnusableAudio when it is empty, too large
        or not MP3 or WAV, and nothing is sent. The API-call ledger keeps
        the file's name, type, size and SHA-256, never its bytes. Returns the greeting as
        Zendesk now holds it (no longer pending, with its audio_url).
        """
        with AudioUpload.from_file(audio, field=UPLOAD_FIELD, file_name=file_name) as upload:
            answer = self._transport.request(
                UPLOAD_METHOD, _greeting(greeting_id), upload=upload
            ).body
        self._forget_lookups("greetings")
        return self._one(answer, "greeting", Greeting)

    def stream_greeting_audio(
        self, greeting: Greeting | GreetingId, *, chunk_size: int = AUDIO_CHUNK_BYTES
    ) -> AudioStream:
        """A greeting's audio, in chunks as Zendesk sends it, never read into memory whole.

        Given an id, the greeting is read first (one call) for its audio_url. Raises NoAudio
        when it has none (pending, or a "None" default), NotFound when Zendesk no longer has
        the greeting or its audio, Unavailable when Zendesk does not answer.
        """
        if not isinstance(greeting, Greeting):
            greeting = self.get_greeting(greeting)
        if not greeting.audio_url:
            raise NoAudio(
                "pending" if greeting.pending else "silent", path=_greeting(greeting.id or "")
            )
        return open_audio(self._transport, greeting.audio_url, chunk_size=chunk_size)
