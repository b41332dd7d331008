"""Yeastar's answer envelope: HTTP 200 and `errcode` 0 on success, a non-zero errcode otherwise.

The shapes are those of Yeastar's "Response Result" page: `{"errcode": 0, "errmsg": "SUCCESS"}`
plus the endpoint's fields; `{"errcode": -1, "errmsg": "FAILURE", "invalid_param_list": [{"field":
"username or password", "value": "error"}]}` for refused credentials; `{"errcode": 40002, "errmsg":
"PARAMETER ERROR", "invalid_param_list": [{"field": "name", "validation_type": "required"}]}` for a
bad parameter. The expired-token errcode is an assumption (see sandbox/yeastar/__init__.py).
"""

from __future__ import annotations

from typing import Any

from sandbox.http import Answer, ApiError

PARAMETER_ERROR = 40002
TOKEN_EXPIRED = 10004


def success(**fields: Any) -> Answer:
    return Answer(200, {"errcode": 0, "errmsg": "SUCCESS", **fields})


def failure(errcode: int, errmsg: str, **fields: Any) -> ApiError:
    """An error answer (always HTTP 200, as the PBX sends them), to raise from a handler."""
    return ApiError(Answer(200, {"errcode": errcode, "errmsg": errmsg, **fields}))


def invalid(field: str, validation_type: str = "invalid", value: Any = None) -> dict[str, Any]:
    """One entry of invalid_param_list."""
    entry: dict[str, Any] = {"field": field, "validation_type": validation_type}
    if value is not None:
        entry["value"] = str(value)
    return entry


def parameter_error(
    invalid_params: list[dict[str, Any]] | None = None,
    duplicates: list[dict[str, Any]] | None = None,
) -> ApiError:
    fields: dict[str, Any] = {}
    if invalid_params:
        fields["invalid_param_list"] = invalid_params
    if duplicates:
        fields["duplicate_field_list"] = duplicates
    return failure(PARAMETER_ERROR, "PARAMETER ERROR", **fields)


def no_such_id(value: Any) -> ApiError:
    """An id that names nothing (an assumption: the documents do not show this answer)."""
    return parameter_error([invalid("id", "invalid", value)])


def token_expired() -> Answer:
    return Answer(200, {"errcode": TOKEN_EXPIRED, "errmsg": "TOKEN EXPIRED"})


def json_body(body: bytes) -> dict[str, Any]:
    """The request's JSON object, or a PARAMETER ERROR."""
    import json

    try:
        parsed = json.loads(body or b"{}")
    except ValueError:
        raise parameter_error() from None
    if not isinstance(parsed, dict):
        raise parameter_error()
    return parsed
