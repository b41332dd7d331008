"""A greeting's audio streamed from its audio_url: in chunks, in bounded memory, with the
credentials only where Zendesk itself serves it, and plain errors when it cannot be had."""

import tracemalloc

import pytest

from talk.errors import NoAudio, NotFound, TalkError, Unavailable
from talk.wsgi_transport import WsgiAdapter
from tests.audio_files import demo_mp3, wav_bytes, wav_of_size
from tests.talk.recorder import change_set

CDN = "https://static.zdassets.test"


class SeenHeaders:
    """A WSGI app in front of the sandbox that notes, per path, whether credentials came."""

    def __init__(self, app):
        self.app = app
        self.credentials: dict[str, bool] = {}

    def __call__(self, environ, start_response):
        self.credentials[environ["PATH_INFO"]] = "HTTP_AUTHORIZATION" in environ
        return self.app(environ, start_response)


def uploaded(sandbox, content: bytes, name: str = "greeting.wav"):
    with change_set():
        created = sandbox.client.create_greeting(name="Streamed", category_id=5)
        return sandbox.client.upload_greeting_audio(created.id, audio=content, file_name=name)


def test_the_audio_comes_in_chunks_with_its_type_and_length(sandbox):
    greeting = uploaded(sandbox, wav_of_size(300_000))
    stream = sandbox.client.stream_greeting_audio(greeting, chunk_size=32 * 1024)
    assert (stream.content_type, stream.content_length) == ("audio/wav", 300_000)
    chunks = list(stream)
    assert len(chunks) == 10 and {len(c) for c in chunks[:-1]} == {32 * 1024}
    assert sum(map(len, chunks)) == 300_000


def test_streaming_ten_megabytes_holds_only_a_few_chunks_in_memory(sandbox):
    size = 10 * 1024 * 1024
    greeting = uploaded(sandbox, wav_of_size(size))
    received = chunks = 0
    tracemalloc.start()
    try:
        for chunk in sandbox.client.stream_greeting_audio(greeting):
            received += len(chunk)
            chunks += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (received, chunks) == (size, 160)
    assert peak < 1024 * 1024, f"{peak:,} bytes at the peak for a {size:,}-byte file"


def test_zendesks_own_host_gets_the_credentials_its_cdn_does_not(sandbox):
    seen = SeenHeaders(sandbox.app)
    sandbox.app.assets_url = CDN  # the defaults' audio is said to be on Zendesk's CDN
    sandbox.client.transport.mount(WsgiAdapter(seen))
    sandbox.client.transport.mount(WsgiAdapter(seen), prefix=f"{CDN}/")
    default = sandbox.client.get_greeting("voicemail_en")
    assert default.audio_url == f"{CDN}/voice/assets/default-voicemail.mp3"
    assert b"".join(sandbox.client.stream_greeting_audio(default)) == demo_mp3(
        "default-voicemail.mp3"
    )
    own = uploaded(sandbox, wav_bytes())
    assert own.audio_url.startswith("/system/voice/uploads/")  # a path on Zendesk's host
    b"".join(sandbox.client.stream_greeting_audio(own))
    assert seen.credentials["/voice/assets/default-voicemail.mp3"] is False
    assert seen.credentials[own.audio_url] is True


def test_the_cdn_fetch_costs_none_of_the_api_budget(sandbox, settings):
    sandbox.app.assets_url = CDN
    sandbox.client.transport.mount(WsgiAdapter(sandbox.app), prefix=f"{CDN}/")
    default = sandbox.client.get_greeting("hold_en")
    budget = sandbox.client.transport.budget
    before = budget.room()
    b"".join(sandbox.client.stream_greeting_audio(default))
    assert budget.room() == before


def test_a_pending_or_silent_greeting_has_nothing_to_stream_and_nothing_is_fetched(sandbox):
    with change_set():
        pending = sandbox.client.create_greeting(name="Not yet", category_id=5)
    sandbox.clear_requests()
    with pytest.raises(NoAudio) as nothing:
        sandbox.client.stream_greeting_audio(pending)
    assert "no recording in Zendesk yet" in nothing.value.user_message
    with pytest.raises(NoAudio) as silent:
        sandbox.client.stream_greeting_audio(sandbox.client.get_greeting("ivr_none"))
    assert "silence" in silent.value.user_message
    assert [r.path for r in sandbox.requests] == ["/api/v2/channels/voice/greetings/ivr_none"]


def test_audio_zendesk_no_longer_has_is_a_plain_not_found(sandbox):
    greeting = uploaded(sandbox, wav_bytes())
    with sandbox.state.lock:
        sandbox.state.greetings[greeting.id]["audio"]["upload_id"] += 1  # as if replaced
    with pytest.raises(NotFound) as gone:
        sandbox.client.stream_greeting_audio(greeting)
    assert "Zendesk no longer has this" in gone.value.user_message


def test_a_deleted_greeting_asked_by_id_is_not_found(sandbox):
    greeting = uploaded(sandbox, wav_bytes())
    with change_set():
        sandbox.client.delete_greeting(greeting.id)
    with pytest.raises(NotFound):
        sandbox.client.stream_greeting_audio(greeting.id)


def test_a_5xx_on_the_audio_is_retried_then_given_up_plainly(sandbox):
    greeting = uploaded(sandbox, wav_bytes())
    sandbox.fail("GET", "/system/voice/uploads/*", status=503, times=1)
    with change_set() as recorded:
        assert b"".join(sandbox.client.stream_greeting_audio(greeting)) == wav_bytes()
    assert (recorded.calls[0].status, recorded.calls[0].attempts) == (200, 2)
    sandbox.fail("GET", "/system/voice/uploads/*", status=502)
    with pytest.raises(Unavailable) as failed:
        sandbox.client.stream_greeting_audio(greeting)
    assert "not answering" in failed.value.user_message


def test_a_connection_that_breaks_mid_stream_raises_unavailable_from_the_iteration(sandbox):
    greeting = uploaded(sandbox, wav_of_size(500_000))

    def breaking(environ, start_response):
        chunks = iter(sandbox.app(environ, start_response))
        yield next(chunks)
        raise ConnectionResetError("the connection broke")

    sandbox.client.transport.mount(WsgiAdapter(breaking))
    stream = sandbox.client.stream_greeting_audio(greeting)
    with pytest.raises(Unavailable) as broke:
        list(stream)
    assert broke.value.status is None and "not answering" in broke.value.user_message


def test_an_audio_url_on_a_plain_http_host_elsewhere_is_not_fetched(sandbox):
    greeting = uploaded(sandbox, wav_bytes())
    elsewhere = type(greeting).from_json({**greeting.raw, "audio_url": "http://example.test/a"})
    with pytest.raises(TalkError) as refused:
        sandbox.client.stream_greeting_audio(elsewhere)
    assert "does not fetch" in refused.value.description


def test_the_served_sandbox_streams_audio_over_real_http(settings, sandbox_server):
    settings.TALK_BASE_URL = sandbox_server.base_url
    settings.TALK_EMAIL = sandbox_server.email
    settings.TALK_API_TOKEN = sandbox_server.api_token
    from talk import get_client

    client = get_client()
    content = wav_of_size(2_000_000)
    with change_set():
        created = client.create_greeting(name="Over HTTP", category_id=5)
        client.upload_greeting_audio(created.id, audio=content, file_name="http.wav")
    stream = client.stream_greeting_audio(created.id, chunk_size=16 * 1024)
    assert stream.content_length == len(content)
    chunks = list(stream)
    assert b"".join(chunks) == content and len(chunks) > 100
    default = client.get_greeting("voicemail_en")
    assert default.audio_url.startswith(sandbox_server.base_url)
    assert b"".join(client.stream_greeting_audio(default))[:2] == b"\xff\xe3"
