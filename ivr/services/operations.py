"""Sending a plan to Zendesk, operation by operation, through the Talk client.

Runs inside the publish's audit change set, so every call lands in its ledger. As Zendesk
creates the draft's new menus, their ids are learned, the desired document is rekeyed and the
stored draft remembers them at once (ivr.services.drafts.record_created_menu), so a publish that
stops here, or a process that dies here, is never followed by one that creates those menus again.
"""

from dataclasses import dataclass, field
from typing import Any

import talk
from audit.recording import OpenChangeSet
from ivr.engine.document import IvrDocument, menu_key_for_id
from ivr.engine.edit import rekey_menu
from ivr.engine.plan import Operation, OperationKind, Plan, PlanError
from ivr.engine.snapshot import IvrSnapshot
from ivr.models import Draft
from ivr.services.drafts import record_created_menu
from talk.client import TalkClient
from talk.errors import NotFound, TalkError, Unavailable

DELETES = (OperationKind.DELETE_MENU, OperationKind.DELETE_ROUTE)


@dataclass
class PublishRun:
    """Where a publish got to: what was sent, what Zendesk now holds, what is left."""

    ivr_id: int
    plan: Plan
    desired: IvrDocument  # rekeyed as Zendesk creates menus
    snapshot: IvrSnapshot  # the live IVR, with Zendesk's answers to each write spliced in
    menu_ids: dict[str, int] = field(default_factory=dict[str, Any])
    applied: list[Operation] = field(default_factory=list)
    failed: Operation | None = None
    error: TalkError | None = None
    found_made: bool = False  # the failed call's answer was lost, but Zendesk had made it

    @property
    def remaining(self) -> list[Operation]:
        return list(self.plan.operations[len(self.applied) :])

    @property
    def uncertain(self) -> bool:
        """The failed call reached Zendesk but its answer was lost: it may have been made."""
        return isinstance(self.error, Unavailable) and self.error.may_have_applied


def start_run(
    *, ivr_id: int, plan: Plan, desired: IvrDocument, live_json: dict[str, Any]
) -> PublishRun:
    return PublishRun(
        ivr_id=ivr_id,
        plan=plan,
        desired=desired,
        snapshot=IvrSnapshot(live_json),
        menu_ids=dict(plan.menu_ids),
    )


def apply_operations(run: PublishRun, *, draft: Draft, change: OpenChangeSet) -> None:
    """Send the plan's operations in order; stop at the first failure (re-raised)."""
    client = talk.get_client()
    for operation in run.plan.operations:
        menu_id = run.menu_ids.get(operation.menu_key or "")
        try:
            answer = send(client, operation, ivr_id=run.ivr_id, menu_ids=run.menu_ids)
        except TalkError as error:
            if not (isinstance(error, NotFound) and operation.kind in DELETES):
                run.failed, run.error = operation, error
                # Even a 503 may come after Zendesk acted: look before the next publish adds
                # a second menu (Zendesk's clear refusals, 4xx, are not Unavailable).
                if operation.kind is OperationKind.CREATE_MENU and isinstance(error, Unavailable):
                    _adopt_menu_created_without_answer(run, client, operation, draft, change)
                raise
            answer = None  # already gone, which is all a delete asks for
        if operation.kind is OperationKind.CREATE_MENU:
            assert answer is not None and operation.menu_key is not None
            menu_id = int(answer["id"])
            _remember_created_menu(run, operation.menu_key, menu_id, draft, change)
        run.snapshot.record(operation, answer, menu_id=menu_id)
        run.applied.append(operation)


def send(
    client: TalkClient, operation: Operation, *, ivr_id: int, menu_ids: dict[str, int]
) -> dict[str, Any] | None:
    """One operation as one Talk API call; returns the object Zendesk answered with."""
    body = operation.body(menu_ids=menu_ids) or {}
    kind = operation.kind
    if kind is OperationKind.RENAME_IVR:
        return client.update_ivr(ivr_id, **body["ivr"]).raw
    if kind is OperationKind.CREATE_MENU:
        return client.create_menu(ivr_id, **body["ivr_menu"]).raw
    menu_id = _menu_id(menu_ids, operation.menu_key)
    if kind is OperationKind.UPDATE_MENU:
        return client.update_menu(ivr_id, menu_id, **body["ivr_menu"]).raw
    if kind is OperationKind.DELETE_MENU:
        deleted = client.delete_menu(ivr_id, menu_id)
        return deleted.raw if deleted is not None else None
    if kind is OperationKind.CREATE_ROUTE:
        return client.create_route(ivr_id, menu_id, **body["ivr_route"]).raw
    route_id = operation.route_id
    if route_id is None:
        raise PlanError("This route is not in Zendesk, so it cannot be changed there.")
    if kind is OperationKind.UPDATE_ROUTE:
        return client.update_route(ivr_id, menu_id, route_id, **body["ivr_route"]).raw
    deleted_route = client.delete_route(ivr_id, menu_id, route_id)
    return deleted_route.raw if deleted_route is not None else None


def _menu_id(menu_ids: dict[str, int], key: str | None) -> int:
    if key is None or key not in menu_ids:
        raise PlanError("A menu this change needs has not been created in Zendesk yet.")
    return menu_ids[key]


def _remember_created_menu(
    run: PublishRun, key: str, menu_id: int, draft: Draft, change: OpenChangeSet
) -> None:
    run.menu_ids[key] = menu_id
    new_key = menu_key_for_id(menu_id)
    menu = run.desired.find_menu(key)
    run.desired = rekey_menu(run.desired, old_key=key, new_key=new_key, menu_id=menu_id)
    run.menu_ids[new_key] = menu_id
    record_created_menu(draft=draft, menu_key=key, menu_id=menu_id)
    if menu is not None:
        change.add_names({"menu": {menu_id: menu.name}})


def _adopt_menu_created_without_answer(
    run: PublishRun,
    client: TalkClient,
    operation: Operation,
    draft: Draft,
    change: OpenChangeSet,
) -> None:
    """Zendesk may have created the menu without saying so: look, and take it if it did.

    A menu of that name that was not there before is the one this publish created (creating
    menus is what only this publish is doing to the draft's new menus), so publishing again
    fills it in instead of adding a second one.
    """
    menu = run.desired.find_menu(operation.menu_key or "")
    if menu is None:
        return
    try:
        ivr_json = client.get_ivr(run.ivr_id).raw
    except TalkError:
        return  # still unreachable: the next publish's conflict check will see it
    known = run.snapshot.menu_ids()
    appeared = [
        candidate
        for candidate in ivr_json.get("menus") or []
        if isinstance(candidate.get("id"), int)
        and candidate["id"] not in known
        and candidate.get("name") == menu.name
    ]
    if not appeared:
        return
    adopted = max(appeared, key=lambda candidate: candidate["id"])
    run.snapshot.add_menu(adopted)
    _remember_created_menu(run, menu.key, adopted["id"], draft, change)
    run.applied.append(operation)
    run.found_made = True
    change.confirm_write()
