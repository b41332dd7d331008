"""Playing a greeting: TalkAdmin relays Zendesk's recording in chunks, with byte ranges so the
player can seek; a greeting with nothing to play, or gone, gets a page in words."""

import pytest
from django.urls import reverse

from greetings.web.ranges import ByteRange, Unsatisfiable, requested_range, sliced
from tests.audio_files import demo_mp3
from tests.greetings.helpers import greeting_named
from tests.ivr.page_html import html, text


def audio_url(greeting_id) -> str:
    return reverse("greetings:audio", args=[greeting_id])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_recording_is_streamed_as_zendesk_holds_it(as_viewer, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    response = as_viewer.get(audio_url(welcome["id"]))
    assert response.status_code == 200
    assert response.streaming  # relayed in chunks, never read whole
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Accept-Ranges"] == "bytes"
    expected = demo_mp3("welcome-to-northwind.mp3")
    assert response["Content-Length"] == str(len(expected))
    assert body(response) == expected


def test_a_range_lets_the_player_seek(as_viewer, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    expected = demo_mp3("welcome-to-northwind.mp3")
    response = as_viewer.get(audio_url(welcome["id"]), headers={"Range": "bytes=1000-1999"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(expected)}"
    assert response["Content-Length"] == "1000"
    assert body(response) == expected[1000:2000]
    tail = as_viewer.get(audio_url(welcome["id"]), headers={"Range": "bytes=-10"})
    assert body(tail) == expected[-10:]


def test_a_range_past_the_end_is_refused(as_viewer, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    size = len(demo_mp3("welcome-to-northwind.mp3"))
    response = as_viewer.get(audio_url(welcome["id"]), headers={"Range": f"bytes={size}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_zendesk_defaults_play_too(as_viewer, sandbox):
    default = sandbox.state.greetings["voicemail_en"]
    response = as_viewer.get(audio_url("voicemail_en"))
    assert response.status_code == 200
    assert body(response) == demo_mp3(default["audio"]["key"].rsplit("/", 1)[-1])


def test_a_pending_greeting_says_there_is_nothing_to_play(as_viewer, sandbox):
    pending = sandbox.state.add_greeting("Returns menu", category_id=5, recording=None)
    response = as_viewer.get(audio_url(pending["id"]))
    assert response.status_code == 404
    assert "no recording yet" in text(html(response))


def test_a_greeting_zendesk_no_longer_has_says_so(as_viewer, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    as_viewer.get(reverse("greetings:list"))  # its audio address is now cached
    with sandbox.state.lock:
        del sandbox.state.greetings[welcome["id"]]
    response = as_viewer.get(audio_url(welcome["id"]))
    assert response.status_code == 404
    assert "Zendesk no longer has this" in text(html(response))


def test_a_new_recording_is_found_although_the_old_address_was_cached(as_viewer, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    as_viewer.get(reverse("greetings:list"))
    with sandbox.state.lock:
        welcome["audio"]["upload_id"] += 1  # re-recorded in Admin Center: a new audio_url
    response = as_viewer.get(audio_url(welcome["id"]))
    assert response.status_code == 200
    assert body(response) == demo_mp3("welcome-to-northwind.mp3")


def test_outsiders_cannot_listen(as_outsider, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    assert as_outsider.get(audio_url(welcome["id"])).status_code == 403


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("", 100, None),
        ("bytes=0-", 100, ByteRange(0, 99, 100)),
        ("bytes=10-19", 100, ByteRange(10, 19, 100)),
        ("bytes=90-500", 100, ByteRange(90, 99, 100)),
        ("bytes=-5", 100, ByteRange(95, 99, 100)),
        ("bytes=-500", 100, ByteRange(0, 99, 100)),
        ("bytes=0-1,5-6", 100, None),  # several ranges: the whole file
        ("bytes=5-1", 100, None),
        ("items=0-1", 100, None),
        ("bytes=0-10", None, None),  # size unknown: the whole file
    ],
)
def test_ranges_are_read_as_http_says(header, size, expected):
    assert requested_range(header, size=size) == expected


def test_a_range_that_starts_past_the_end_cannot_be_served():
    with pytest.raises(Unsatisfiable):
        requested_range("bytes=100-", size=100)


def test_slicing_reads_no_further_than_the_range():
    read = []

    def chunks():
        for start in range(0, 100, 10):
            read.append(start)
            yield bytes(range(start, start + 10))

    assert b"".join(sliced(chunks(), ByteRange(15, 34, 100))) == bytes(range(15, 35))
    assert read == [0, 10, 20, 30]
