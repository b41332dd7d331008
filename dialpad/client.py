"""DialpadClient: every Dialpad endpoint TalkAdmin uses, as typed methods.

Get the process's one client with `dialpad.get_client()`; never build requests yourself.
Reads return typed resources (dialpad.resources); every failure is a DialpadError
(dialpad.errors). Writes (upload, update, assign, unassign) must run inside an audit change set,
or they raise WriteOutsideChangeSet before anything is sent. Values Dialpad's documents rule out
(a WAV file, a name over 100 characters, `select_option` outside a call centre's recording
notice, an upload for a room) raise NotSendable before anything is sent.

Lists are paged by Dialpad with a `cursor`: the client follows it until an answer has none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from dialpad.audio import RecordingFile
from dialpad.errors import NotSendable, Unavailable
from dialpad.resources import (
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    UPLOAD_TARGET_TYPES,
    CallCenter,
    Department,
    Named,
    Office,
    Recording,
    SelectOption,
    SituationRecordings,
    Target,
    TargetRecordings,
    TargetType,
    User,
    takes_select_option,
)
from dialpad.situations import IvrType
from dialpad.transport import CallKind, Transport

Item = TypeVar("Item")
API = "/api/v2"


class DialpadClient:
    """The API of one Dialpad company, as its API key sees it."""

    def __init__(self, *, transport: Transport, max_pages: int = 100):
        self._transport = transport
        self.max_pages = max_pages

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def transport(self) -> Transport:
        return self._transport

    def __repr__(self) -> str:
        return f"DialpadClient({self.base_url})"

    def check_reachable(self, *, timeout: tuple[float, float] = (2.0, 3.0)) -> None:
        """One quick authenticated read (the first page of offices), with no retry and no wait
        for the budget; raises DialpadError when Dialpad cannot be reached or refuses the key."""
        self._transport.call(
            "GET", f"{API}/offices", kind=CallKind.READ, timeout=timeout, retry=False, max_wait=0
        )

    # --- custom IVRs --------------------------------------------------------------------------
    def list_recordings(self, target: Target) -> TargetRecordings:
        """Every recording of one target, by situation (`GET /api/v2/customivrs`, all pages)."""
        params = {"target_type": target.type.value, "target_id": target.id}
        items = self._all(f"{API}/customivrs", params, dict)
        return TargetRecordings.from_items(target, items)

    def upload_recording(
        self,
        *,
        target: Target,
        ivr_type: IvrType,
        recording: RecordingFile,
        name: str,
        description: str = "",
    ) -> Recording:
        """Upload an MP3 recording for one target and situation (`POST /api/v2/customivrs`).

        Dialpad's example answers it `selected: true`: take it that callers hear the new
        recording at once (dialpad.resources). Never sent twice (dialpad.transport)."""
        if target.type not in UPLOAD_TARGET_TYPES:
            kinds = ", ".join(sorted(kind.value for kind in UPLOAD_TARGET_TYPES))
            problem = f"Dialpad takes uploads only for these kinds of target: {kinds}"
            raise NotSendable(problem, details={"target_type": [problem]})
        body: dict[str, Any] = {
            "file": recording.base64(),
            "ivr_type": IvrType(ivr_type).value,
            "target_type": target.type.value,
            "target_id": target.id,
            "name": _single_line("name", name, NAME_MAX_LENGTH, required=True),
        }
        if description:
            body["description"] = _single_line("description", description, DESCRIPTION_MAX_LENGTH)
        answer = self._transport.call(
            "POST", f"{API}/customivrs", kind=CallKind.CREATE, body=body, upload=recording
        )
        return Recording.from_json(_object(answer))

    def update_recording(
        self, recording_id: int, *, name: str | None = None, description: str | None = None
    ) -> Recording:
        """Rename a recording or change its description (`PATCH /api/v2/customivrs/{id}`);
        which recording plays does not change."""
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = _single_line("name", name, NAME_MAX_LENGTH, required=True)
        if description is not None:
            body["description"] = _single_line("description", description, DESCRIPTION_MAX_LENGTH)
        if not body:
            raise ValueError("nothing to change: give a name or a description")
        answer = self._transport.call(
            "PATCH", f"{API}/customivrs/{int(recording_id)}", kind=CallKind.UPDATE, body=body
        )
        return Recording.from_json(_object(answer))

    def assign_recording(
        self,
        *,
        target: Target,
        ivr_type: IvrType,
        recording_id: int,
        select_option: SelectOption | None = None,
    ) -> SituationRecordings:
        """Make an uploaded recording the one that plays for a target's situation (`PATCH
        /api/v2/customivrs/{target_type}/{target_id}/{ivr_type}`), replacing whatever played.
        select_option (inbound or outbound; default both) only for a call centre's
        AUTO_RECORDING. Returns the situation as Dialpad holds it afterwards."""
        answer = self._transport.call(
            "PATCH",
            _situation_path(target, ivr_type),
            kind=CallKind.UPDATE,
            body=_choice(target, ivr_type, recording_id, select_option),
        )
        return SituationRecordings.from_json(_object(answer))

    def unassign_recording(
        self,
        *,
        target: Target,
        ivr_type: IvrType,
        recording_id: int,
        select_option: SelectOption | None = None,
    ) -> Recording:
        """Delete a recording from a target's situation and un-assign it (`DELETE .../{ivr_type}`
        with the ivr_id): if it was playing, Dialpad's default plays instead. To play it again
        it must be uploaded again. Never sent twice (dialpad.transport)."""
        answer = self._transport.call(
            "DELETE",
            _situation_path(target, ivr_type),
            kind=CallKind.DELETE,
            body=_choice(target, ivr_type, recording_id, select_option),
        )
        return Recording.from_json(_object(answer))

    # --- who plays them -----------------------------------------------------------------------
    def list_offices(self, *, active_only: bool = False) -> list[Office]:
        params = {"active_only": "true"} if active_only else {}
        return self._all(f"{API}/offices", params, Office.from_json)

    def get_office(self, office_id: int) -> Office:
        return Office.from_json(self._get(f"{API}/offices/{int(office_id)}"))

    def list_departments(
        self, *, office_id: int | None = None, name_search: str | None = None
    ) -> list[Department]:
        params = {"office_id": office_id, "name_search": name_search}
        return self._all(f"{API}/departments", params, Department.from_json)

    def get_department(self, department_id: int) -> Department:
        return Department.from_json(self._get(f"{API}/departments/{int(department_id)}"))

    def list_call_centers(
        self, *, office_id: int | None = None, name_search: str | None = None
    ) -> list[CallCenter]:
        params = {"office_id": office_id, "name_search": name_search}
        return self._all(f"{API}/callcenters", params, CallCenter.from_json)

    def get_call_center(self, call_center_id: int) -> CallCenter:
        return CallCenter.from_json(self._get(f"{API}/callcenters/{int(call_center_id)}"))

    def list_users(self, *, state: str = "active") -> list[User]:
        return self._all(f"{API}/users", {"state": state}, User.from_json)

    def get_user(self, user_id: int) -> User:
        return User.from_json(self._get(f"{API}/users/{int(user_id)}"))

    def get_target(self, target: Target) -> Named:
        """The office, department, call centre or user a target names (NotFound if gone)."""
        getters: dict[TargetType, Callable[[int], Named]] = {
            TargetType.OFFICE: self.get_office,
            TargetType.DEPARTMENT: self.get_department,
            TargetType.CALL_CENTER: self.get_call_center,
            TargetType.USER: self.get_user,
        }
        if target.type not in getters:
            raise ValueError(f"TalkAdmin reads no {target.type.value} by id")
        return getters[target.type](target.id)

    # --- helpers ------------------------------------------------------------------------------
    def _get(self, path: str) -> dict[str, Any]:
        return _object(self._transport.call("GET", path, kind=CallKind.READ))

    def _all(
        self, path: str, params: Mapping[str, Any], build: Callable[[dict[str, Any]], Item]
    ) -> list[Item]:
        found: list[Item] = []
        cursor: str | None = None
        for _ in range(self.max_pages):
            answer = _object(
                self._transport.call(
                    "GET", path, kind=CallKind.READ, params={**params, "cursor": cursor}
                )
            )
            items = answer.get("items") or []
            if not isinstance(items, list):
                raise Unavailable("Dialpad's answer has no list of items", method="GET", path=path)
            found.extend(build(item) for item in items if isinstance(item, dict))
            cursor = answer.get("cursor") or None
            if cursor is None:
                return found
        raise Unavailable(
            f"Dialpad kept sending pages past {self.max_pages}", method="GET", path=path
        )


def _object(answer: Any) -> dict[str, Any]:
    if not isinstance(answer, dict):
        raise Unavailable("Dialpad's answer is not the object its API describes")
    return answer


def _situation_path(target: Target, ivr_type: IvrType) -> str:
    return f"{API}/customivrs/{target.type.value}/{target.id}/{IvrType(ivr_type).value}"


def _choice(
    target: Target, ivr_type: IvrType, recording_id: int, select_option: SelectOption | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"ivr_id": int(recording_id)}
    if select_option is not None:
        if not takes_select_option(target.type, IvrType(ivr_type)):
            problem = "inbound or outbound applies only to a call centre's call recording notice"
            raise NotSendable(problem, details={"select_option": [problem]})
        body["select_option"] = SelectOption(select_option).value
    return body


def _single_line(field: str, value: str, limit: int, *, required: bool = False) -> str:
    text = value.strip()
    problem = ""
    if required and not text:
        problem = "is required"
    elif "\n" in text or "\r" in text:
        problem = "must be a single line"
    elif len(text) > limit:
        problem = f"must be at most {limit} characters ({len(text)} given)"
    if problem:
        raise NotSendable(f"{field} {problem}", details={field: [problem]})
    return text
