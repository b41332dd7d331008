"""What IVR destinations point at: extensions, ring groups, queues, conferences, group
voicemails and custom prompts, each as its documented list endpoint answers it."""

from __future__ import annotations

import copy

from sandbox.http import Answer, Request
from sandbox.yeastar.paging import page_of
from sandbox.yeastar.state import YeastarState


def _records(state: YeastarState, name: str) -> list[dict]:
    return copy.deepcopy(list(state.collection(name).values()))


def list_extensions(state: YeastarState, request: Request) -> Answer:
    fields = ("id", "number", "caller_id_name", "email_addr", "mobile_number", "presence_status")
    return page_of(request, _records(state, "extensions"), "data", fields)


def list_ring_groups(state: YeastarState, request: Request) -> Answer:
    fields = ("id", "number", "name", "ring_strategy")
    return page_of(request, _records(state, "ring_groups"), "data", fields)


def list_queues(state: YeastarState, request: Request) -> Answer:
    fields = ("id", "number", "name", "ring_strategy")
    return page_of(request, _records(state, "queues"), "queue_list", fields)


def list_conferences(state: YeastarState, request: Request) -> Answer:
    records = _records(state, "conferences")
    return page_of(
        request, records, "data", ("number", "name"), paging_required=True, default_sort="number"
    )


def list_group_voicemails(state: YeastarState, request: Request) -> Answer:
    fields = ("id", "number", "name", "type", "mode")
    return page_of(request, _records(state, "group_voicemails"), "vm_group_list", fields)


def list_custom_prompts(state: YeastarState, request: Request) -> Answer:
    return page_of(request, _records(state, "custom_prompts"), "prompt_list", ("id",))
