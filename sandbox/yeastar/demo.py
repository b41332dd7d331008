"""The demo PBX: Northwind Outfitters' head-office Yeastar P-Series, the same on every start.

Six IVRs. "Main menu" (6200) leads to "Sales" (6201) and "Customer support" (6202), which leads
on to "Technical support" (6203); each sub-menu's key 9 goes back, so the menus loop, and
"Virtual Receptionist" (6204) is the IVR of Yeastar's own `ivr/get` example, kept exactly as the
document shows it (its key 3 leads back to the main menu). "Holiday closure" (6205) is reached
from nowhere. Together they use all twelve destination kinds, and a few traps on purpose: the
Virtual Receptionist has no timeout or invalid-input destination (callers are hung up), and
"Technical support" sends a wrong key nowhere.

Extensions with names ("1001 Phillip Huff"), ring groups, queues, conferences, group
voicemails, custom prompts and the outbound route the example names complete it.
"""

from __future__ import annotations

from typing import Any

from sandbox.yeastar.state import PASSWORD_KEY, YeastarState, ivr_record

EXTENSIONS = [
    (73, "1000", "Dana Whitfield", "reception@northwind.example"),
    (85, "1001", "Phillip Huff", "phillip.huff@northwind.example"),
    (87, "1002", "Maria Santos", "maria.santos@northwind.example"),
    (88, "1003", "Kenji Watanabe", "kenji.watanabe@northwind.example"),
    (89, "1004", "Aisha Bello", "aisha.bello@northwind.example"),
    (90, "1005", "Tom Reilly", "tom.reilly@northwind.example"),
    (93, "1006", "Priya Raman", "priya.raman@northwind.example"),
]
RING_GROUPS = [(1, "6300", "Front desk"), (2, "6301", "Sales team"), (3, "6302", "Technical"),
               (4, "6303", "Support")]  # fmt: skip
QUEUES = [(1, "6400", "Support queue", [89, 93]), (2, "6401", "Sales queue", [87, 88])]
CONFERENCES = [(1, "6500", "Escalation bridge", 90), (2, "6501", "Partner call", 85)]
GROUP_VOICEMAILS = [
    (1, "6600", "Sales voicemail", [87, 88]),
    (2, "6601", "Support voicemail", [89]),
]
PROMPTS = ["IVR", "Welcome-Northwind", "Sales-Menu", "Support-Menu", "Technical-Menu",
           "Known-Outages", "Invalid-Option", "Holiday-Closure"]  # fmt: skip


# The demo IVR's prompt-manager password (a keyword Python could not spell as one).
_DEMO_PASSWORD: dict[str, Any] = {PASSWORD_KEY: "6204"}


def demo_pbx() -> dict[str, Any]:
    """The demo PBX's records, in the shape YeastarState.load takes."""
    state = YeastarState()
    by_id = {ext_id: (number, name) for ext_id, number, name, _ in EXTENSIONS}

    def member(ext_id: int) -> dict[str, str]:
        number, name = by_id[ext_id]
        return {"text": name, "text2": number, "value": str(ext_id), "type": "extension"}

    for ext_id, number, name, email in EXTENSIONS:
        state.extensions[ext_id] = {
            "id": ext_id, "number": number, "caller_id_name": name, "email_addr": email,
            "mobile_number": "", "presence_status": "available",
        }  # fmt: skip
    state.extension_groups[86] = {"id": 86, "name": "Support"}
    state.extension_groups[91] = {"id": 91, "name": "Sales"}
    for group_id, number, name in RING_GROUPS:
        state.ring_groups[group_id] = {
            "id": group_id, "number": number, "name": name, "ring_strategy": "ring_all",
        }  # fmt: skip
    for queue_id, number, name, agents in QUEUES:
        state.queues[queue_id] = {
            "id": queue_id, "number": number, "name": name, "ring_strategy": "least_recent",
            "dynamic_agent_list": [], "static_agent_list": [member(a) for a in agents],
            "manager_list": [],
        }  # fmt: skip
    for conference_id, number, name, moderator in CONFERENCES:
        state.conferences[conference_id] = {
            "id": conference_id, "name": name, "number": number,
            "moderator_list": [{"id": str(moderator), "name": by_id[moderator][1],
                                "type": "extension"}],
        }  # fmt: skip
    for voicemail_id, number, name, members in GROUP_VOICEMAILS:
        state.group_voicemails[voicemail_id] = {
            "id": voicemail_id, "type": "custom", "number": number, "name": name,
            "mode": "share", "member_list": [member(m) for m in members],
            "messages": {"total": 0, "unread": 0},
        }  # fmt: skip
    for prompt_id, file in enumerate(PROMPTS, start=1):
        state.custom_prompts[prompt_id] = {
            "id": prompt_id, "file": file, "suffix": ".wav", "type": "record", "storage": 1,
            "real_filename": f"{file}.wav", "created_ts": 1_714_000_000 + prompt_id,
            "updated_ts": 1_714_000_000 + prompt_id,
        }  # fmt: skip
    state.outbound_routes[1] = {"id": 1, "name": "to39"}
    state.outbound_routes[2] = {"id": 2, "name": "Local calls"}
    for record in _ivrs(member):
        state.ivrs[record["id"]] = record
    return state.to_json()


def _ivrs(member: Any) -> list[dict[str, Any]]:
    return [
        ivr_record(
            1, "6200", "Main menu", prompt="Welcome-Northwind.wav", resp_timeout=5,
            routes={
                "1": ("ivr", "2", ""), "2": ("ivr", "3", ""), "3": ("ring_group", "1", ""),
                "0": ("extension", "73", ""), "9": ("dial_by_name", "", ""),
                "*": ("ivr", "5", ""), "timeout": ("extension", "73", ""),
                "invalid": ("play_prompt", "Invalid-Option.wav", "1"),
            },
            dial_ext_option="all",
        ),
        ivr_record(
            2, "6201", "Sales", prompt="Sales-Menu.wav",
            routes={
                "1": ("queue", "2", ""), "2": ("extension", "88", ""), "3": ("ext_vm", "88", ""),
                "4": ("ring_group", "2", ""), "9": ("ivr", "1", ""),
                "timeout": ("group_vm", "1", ""), "invalid": ("ivr", "1", ""),
            },
        ),
        ivr_record(
            3, "6202", "Customer support", prompt="Support-Menu.wav", prompt_repeat=2,
            routes={
                "1": ("queue", "1", ""), "2": ("ivr", "4", ""), "3": ("group_vm", "2", ""),
                "8": ("external_num", "5550142", "9"), "9": ("ivr", "1", ""),
                "timeout": ("queue", "1", ""), "invalid": ("end_call", "", ""),
            },
            stop_recording=("8",),
        ),
        ivr_record(
            4, "6203", "Technical support", prompt="Technical-Menu.wav,default", digit_timeout=5,
            routes={
                "1": ("ring_group", "3", ""), "2": ("conference", "1", ""),
                "3": ("play_greeting", "Known-Outages.wav", "2"), "9": ("ivr", "3", ""),
                "timeout": ("ivr", "3", ""),
            },
        ),
        ivr_record(
            5, "6204", "Virtual Receptionist", dial_ext_option="allow",
            routes={
                "0": ("conference", "1", ""), "1": ("extension", "73", ""),
                "2": ("ext_vm", "73", "123"), "3": ("ivr", "1", ""),
                "4": ("ring_group", "4", ""), "5": ("queue", "1", ""),
                "6": ("play_greeting", "IVR.wav", "3"), "7": ("play_prompt", "IVR.wav", "5"),
                "8": ("external_num", "123456", "123"), "9": ("ext_vm", "73", ""),
            },
            enb_dial_outb_routes=1,
            dial_ext_list=[
                {"text": "Support", "text2": "Support", "value": "86", "type": "ext_group"},
                member(85),
            ],
            dial_outb_route_list=[{"text": "to39", "value": "1"}],
            **_DEMO_PASSWORD,
        ),
        ivr_record(
            6, "6205", "Holiday closure", prompt="Holiday-Closure.wav", prompt_repeat=1,
            routes={"timeout": ("group_vm", "2", ""), "invalid": ("end_call", "", "")},
        ),
    ]  # fmt: skip
