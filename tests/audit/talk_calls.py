"""Talk API calls as the client reports them, and a change set as the IVR service opens one."""

from audit.actor import Actor
from talk.recording import WRITE_METHODS, ApiCallRecord, OutgoingCall, active_recorder


def talk_call(method: str = "GET", path: str = "/api/v2/channels/voice/ivr/1", **fields):
    """Report one Talk API call to the active recorder, the way talk/transport.py does: a write
    first as it is about to be sent, then with its answer."""
    recorder = active_recorder()
    assert recorder is not None, "no change set is recording calls"
    sequence = None
    if method.upper() in WRITE_METHODS:
        outgoing = OutgoingCall(method, path, fields.get("request_body"))
        sequence = recorder.record_sending(outgoing)
    record = ApiCallRecord(
        method=method,
        path=path,
        request_body=fields.pop("request_body", None),
        status=fields.pop("status", 200),
        zendesk_request_id=fields.pop("zendesk_request_id", "zd-1"),
        duration_ms=fields.pop("duration_ms", 12),
        attempts=fields.pop("attempts", 1),
        error=fields.pop("error", ""),
        response_body=fields.pop("response_body", None),
        sequence=sequence,
    )
    assert not fields, f"unknown fields {fields}"
    recorder.record_call(record)
    return record


def open_publish(actor: Actor, **overrides):
    """A change set as the IVR publish service opens it."""
    import audit

    fields = {
        "actor": actor,
        "action": audit.Action.PUBLISH_IVR,
        "target_type": audit.TargetType.IVR,
        "target_id": 360001,
        "target_name": "Main line",
        "reason": "Billing moved to Tier 2",
        "summary": "Publish 1 change to IVR 'Main line'",
        "before": {"id": 360001, "name": "Main line"},
    }
    fields.update(overrides)
    return audit.change_set(**fields)
