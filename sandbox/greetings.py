"""Greetings and greeting categories: Zendesk's Greetings API, and the audio behind audio_url.

    GET    /greetings[?category_id=N]   every greeting (Zendesk's defaults first), offset pages
    POST   /greetings                   {"greeting": {"name", "category_id"}}: 201, pending: true,
                                        audio_url: null, until its audio is uploaded
    GET    /greetings/{id}              one greeting (ids are mixed: "voicemail_en", 2197...)
    PUT    /greetings/{id}              JSON {"greeting": {"name"}} renames; multipart/form-data
                                        with the file in greeting[upload][uploaded_data]
                                        uploads its audio (MP3 or WAV, 10 MB at most)
    DELETE /greetings/{id}              200 with the greeting as it was
    GET    /greeting_categories[/{id}]  the nine fixed categories

Audio: the account's own greetings at /system/voice/uploads/{upload_id}/{audio_name} (with the
API's credentials), Zendesk's defaults at {assets}/voice/assets/{file} (no credentials, like
Zendesk's CDN). The 422 texts are ours, in Zendesk's envelope, keyed by the field.
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
from typing import Any

from sandbox.audio import MAX_AUDIO_BYTES, audio_type
from sandbox.http import Answer, ApiError, Request, invalid, not_found, offset_page
from sandbox.render import greeting_json, greetings_played
from sandbox.state import SandboxState

UPLOAD_FIELD = "greeting[upload][uploaded_data]"
CATEGORY_IDS = range(1, 10)


def _greeting(state: SandboxState, greeting_id: int | str) -> dict[str, Any]:
    greeting = state.greetings.get(greeting_id)
    if greeting is None:
        raise not_found()
    return greeting


def _shown(state: SandboxState, request: Request, greeting: dict[str, Any]) -> dict[str, Any]:
    return greeting_json(state, greeting, assets_url=request.assets_url or request.base_url)


def _own(greeting: dict[str, Any]) -> dict[str, Any]:
    """Zendesk's default greetings cannot be renamed, re-recorded or deleted."""
    if greeting.get("default"):
        raise invalid({"base": "Zendesk's default greetings cannot be changed or deleted"})
    return greeting


def _name(fields: dict[str, Any]) -> str:
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise invalid({"name": "can't be blank"})
    if len(name) > 255:
        raise invalid({"name": "is too long (maximum is 255 characters)"})
    return name.strip()


# --- greetings ----------------------------------------------------------------------------------
def list_greetings(state: SandboxState, request: Request) -> Answer:
    wanted = request.query.get("category_id")
    # Zendesk's defaults (string ids) first, then the account's own by id.
    ordered = sorted(
        state.greetings.values(),
        key=lambda g: (isinstance(g["id"], int), g["id"] if isinstance(g["id"], int) else 0),
    )
    if wanted is not None:
        ordered = [g for g in ordered if str(g["category_id"]) == wanted]
    played = {n["id"]: greetings_played(state, n) for n in state.phone_numbers.values()}
    assets_url = request.assets_url or request.base_url
    greetings = [greeting_json(state, g, assets_url=assets_url, played=played) for g in ordered]
    return Answer(200, offset_page(request, greetings, "greetings"))


def show_greeting(state: SandboxState, request: Request, greeting_id: int | str) -> Answer:
    return Answer(200, {"greeting": _shown(state, request, _greeting(state, greeting_id))})


def create_greeting(state: SandboxState, request: Request) -> Answer:
    fields = request.envelope("greeting")
    name = _name(fields)
    category_id = fields.get("category_id")
    if category_id is None:
        raise invalid({"category_id": "can't be blank"})
    if isinstance(category_id, bool) or category_id not in CATEGORY_IDS:
        raise invalid({"category_id": "must be the id of a greeting category (1 to 9)"})
    # Everything else Zendesk derives: a new greeting is pending until its audio is uploaded.
    greeting = state.add_greeting(name, category_id=category_id, recording=None)
    return Answer(201, {"greeting": _shown(state, request, greeting)})


def update_greeting(state: SandboxState, request: Request, greeting_id: int | str) -> Answer:
    greeting = _own(_greeting(state, greeting_id))
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        _store_upload(state, request, greeting)
    else:
        fields = request.envelope("greeting")
        if "name" in fields:
            greeting["name"] = _name(fields)
        # category_id is writable on create only: like Zendesk's read-only fields, ignored.
    return Answer(200, {"greeting": _shown(state, request, greeting)})


def delete_greeting(state: SandboxState, request: Request, greeting_id: int | str) -> Answer:
    greeting = _own(_greeting(state, greeting_id))
    shown = _shown(state, request, greeting)
    # Whatever used it falls back to Zendesk's default: menus play none, numbers the category's.
    for menu in state.menus.values():
        if menu.get("greeting_id") == greeting_id:
            menu["greeting_id"] = None
    for number in state.phone_numbers.values():
        number["greeting_ids"] = [g for g in number.get("greeting_ids") or [] if g != greeting_id]
        chosen = number.get("categorised_greetings") or {}
        for category in [c for c, g in chosen.items() if g == greeting_id]:
            del chosen[category]
    del state.greetings[greeting_id]
    state.forget_unused_audio()
    return Answer(200, {"greeting": shown})


def _store_upload(state: SandboxState, request: Request, greeting: dict[str, Any]) -> None:
    if request.too_large:
        raise ApiError(Answer.text(413, "Request Entity Too Large"))
    file_name, content = _uploaded_file(request)
    if content is None:
        raise invalid({"upload": "can't be blank: send the audio file as " + UPLOAD_FIELD})
    if not content:
        raise invalid({"upload": "is empty"})
    if len(content) > MAX_AUDIO_BYTES:
        raise invalid({"upload": "is too large (the maximum is 10 MB)"})
    content_type = audio_type(content)
    if content_type is None:
        raise invalid({"upload": "must be an MP3 or WAV audio file"})
    key = state.audio.put(content, content_type)
    greeting["audio"] = {
        "key": key,
        "content_type": content_type,
        "size": len(content),
        "sha256": key.split("/", 1)[1].split(".", 1)[0],
        "upload_id": state.new_id(),
    }
    base_name = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    greeting["audio_name"] = base_name or f"greeting.{key.rsplit('.', 1)[-1]}"
    state.forget_unused_audio()


def _parts(request: Request) -> list[tuple[str, str | None, str, bytes]]:
    """(field name, file name, content type, content) of each part of a multipart body."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    if not message.is_multipart():
        raise ApiError(Answer.text(400, "Bad Request: the multipart body could not be read."))
    parts = []
    for part in message.iter_parts():
        content = part.get_payload(decode=True)
        parts.append(
            (
                str(part.get_param("name", "", header="content-disposition")),
                part.get_filename(),
                part.get_content_type(),
                content if isinstance(content, bytes) else b"",
            )
        )
    return parts


def _uploaded_file(request: Request) -> tuple[str | None, bytes | None]:
    """(file name, content) of the multipart part UPLOAD_FIELD; (None, None) without one."""
    for field, file_name, _, content in _parts(request):
        if field == UPLOAD_FIELD:
            return file_name, content
    return None, None


def describe_multipart(request: Request) -> dict[str, Any]:
    """What a multipart request held, for the sandbox's request log (never the audio itself)."""
    if request.too_large:
        return {"multipart": "not read: over the size limit"}
    try:
        parts = _parts(request)
    except ApiError:
        return {"multipart": "unreadable"}
    return {
        "multipart": [
            {"name": name, "filename": file_name, "content_type": kind, "size": len(content)}
            for name, file_name, kind, content in parts
        ]
    }


# --- categories ---------------------------------------------------------------------------------
def list_greeting_categories(state: SandboxState, request: Request) -> Answer:
    categories = copy.deepcopy(state.greeting_categories)
    return Answer(200, offset_page(request, categories, "greeting_categories"))


def show_greeting_category(state: SandboxState, request: Request, category_id: int) -> Answer:
    category = next((c for c in state.greeting_categories if c["id"] == category_id), None)
    if category is None:
        raise not_found()
    return Answer(200, {"greeting_category": copy.deepcopy(category)})


# --- audio --------------------------------------------------------------------------------------
def uploaded_audio(state: SandboxState, upload_id: int, file_name: str) -> Answer:
    """An account's own greeting's audio, by the upload id and name in its audio_url."""
    greeting = next(
        (
            g
            for g in state.greetings.values()
            if g.get("audio") and g["audio"].get("upload_id") == upload_id and not g.get("default")
        ),
        None,
    )
    return _audio(state, greeting if greeting and greeting["audio_name"] == file_name else None)


def default_audio(state: SandboxState, file_name: str) -> Answer:
    """A default greeting's audio, by the file name in its audio_url."""
    greeting = next(
        (
            g
            for g in state.greetings.values()
            if g.get("default") and g.get("audio") and g["audio"]["key"] == f"demo/{file_name}"
        ),
        None,
    )
    return _audio(state, greeting)


def _audio(state: SandboxState, greeting: dict[str, Any] | None) -> Answer:
    audio = greeting.get("audio") if greeting else None
    chunks = state.audio.chunks(audio["key"]) if audio else None
    if audio is None or chunks is None:
        return Answer(404, {"error": "RecordNotFound", "description": "Not found"})
    return Answer.stream(chunks, content_type=audio["content_type"], length=audio["size"])
