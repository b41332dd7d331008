"""Fetching a greeting's audio from the audio_url Zendesk gives, as a stream of chunks.

With the API's credentials when the audio is on Zendesk's own host (a path such as
/system/voice/uploads/..., which is resolved against the base URL), and without any anywhere
else (Zendesk's CDN, static.zdassets.com, or a storage link a redirect leads to), so the
credentials only ever go to the configured host. The browser never sees them: TalkAdmin relays
the chunks. Only a fetch from Zendesk's host takes its place in the rate budget.
"""

from __future__ import annotations

import time
from urllib.parse import urljoin, urlsplit

import requests

from talk.audio import AudioStream
from talk.errors import RateLimited, TalkError
from talk.failures import describe_failure, error_for_answer, error_for_failure, parse_body
from talk.pacing import BudgetExhausted
from talk.recording import ApiCallRecord, active_recorder
from talk.transport import Attempts, Transport, Unmetered, current_call

AUDIO_CHUNK_BYTES = 64 * 1024


def open_audio(
    transport: Transport,
    audio_url: str,
    *,
    chunk_size: int = AUDIO_CHUNK_BYTES,
    max_wait: float | None = None,
) -> AudioStream:
    """Start fetching a greeting's audio; its chunks come as the AudioStream is read.

    Redirects are followed (requests drops the credentials when one leads to another host).
    Raises the TalkError of a refused or failed fetch (NotFound when Zendesk no longer has the
    audio) before any chunk; a failure later comes from the iteration as Unavailable.
    """
    url, own_host = _audio_url(transport.base_url, audio_url)
    parts = urlsplit(url)
    shown = parts.path if own_host else f"{parts.netloc}{parts.path}"  # never a signed query
    max_wait = transport.max_wait if max_wait is None else max_wait
    budget = transport.budget if own_host else Unmetered()
    attempts = Attempts(budget=budget, max_wait=max_wait)
    recorder = active_recorder()
    started = time.monotonic()
    status: int | None = None
    request_id = ""
    failure: TalkError | None = None
    try:
        try:
            budget.acquire(max_wait=max_wait)
        except BudgetExhausted as exhausted:
            attempts.count = 0
            raise RateLimited(
                "TalkAdmin's share of the Zendesk API budget is used up for now; "
                "the audio was not fetched.",
                retry_after=exhausted.wait_seconds,
                method="GET",
                path=shown,
            ) from None
        session = transport.session if own_host else transport.public_session
        token = current_call.set(attempts)
        try:
            response = session.get(
                url,
                stream=True,
                timeout=transport.timeout,
                allow_redirects=True,
                headers={"Accept": "audio/mpeg, audio/wav, audio/*;q=0.9, */*;q=0.1"},
            )
        except BudgetExhausted as exhausted:
            raise RateLimited(
                "Zendesk asked TalkAdmin to slow down and the retry could not wait.",
                retry_after=exhausted.wait_seconds,
                method="GET",
                path=shown,
            ) from None
        except requests.exceptions.RequestException as error:
            raise error_for_failure("GET", shown, error) from None
        finally:
            current_call.reset(token)
        status = response.status_code
        request_id = response.headers.get("X-Zendesk-Request-Id", "")
        if status >= 300:
            try:
                raise error_for_answer("GET", shown, response, parse_body(response))
            finally:
                response.close()
        length = response.headers.get("Content-Length", "")
        return AudioStream(
            response=response,
            chunk_size=chunk_size,
            content_type=response.headers.get("Content-Type") or "application/octet-stream",
            content_length=int(length) if length.isdigit() else None,
            on_failure=lambda error: error_for_failure("GET", shown, error),
        )
    except TalkError as error:
        failure = error
        raise
    finally:
        duration_ms = round((time.monotonic() - started) * 1000)
        transport.log("GET", shown, status, duration_ms, attempts.count, request_id, failure)
        if recorder is not None:
            recorder.record_call(
                ApiCallRecord(
                    method="GET",
                    path=shown,
                    request_body=None,
                    status=status,
                    zendesk_request_id=request_id,
                    duration_ms=duration_ms,
                    attempts=attempts.count,
                    error=describe_failure(failure),
                )
            )


def _audio_url(base_url: str, audio_url: str) -> tuple[str, bool]:
    """(absolute URL, whether it is on the base URL's host) of an audio_url."""
    base = urlsplit(base_url)
    target = urlsplit(urljoin(base_url + "/", audio_url))
    own_host = (target.scheme, target.netloc) == (base.scheme, base.netloc)
    if not own_host and target.scheme not in {"https", base.scheme}:
        raise TalkError(
            "Zendesk gave an address for the audio that TalkAdmin does not fetch.",
            path=f"{target.netloc}{target.path}",
        )
    return target.geturl(), own_host
