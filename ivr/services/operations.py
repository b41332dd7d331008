"""Sending a plan to Zendesk, operation by operation, through the Talk client.

Runs inside the publish's audit change set, so every call lands in its ledger. As Zendesk
creates the draft's new menus, their ids are learned, the desired document is rekeyed and the
stored draft remembers them at once (ivr.services.drafts.record_created_menu), so a publish that
stops here, or a process that dies here, is never followed by one that creates those menus again.

Each create (menu or route) is noted with the draft before it is sent and forgotten once Zendesk
answers (ivr.engine.adoption). When the answer is lost, the IVR is read again at once and what
the create made is taken as made; what cannot be settled then stays noted, and the next publish
settles it from its own read (ivr.services.lost_answers) before planning.
"""

from dataclasses import dataclass, field
from typing import Any

import talk
from audit.recording import OpenChangeSet
from ivr.engine.adoption import SentCreate, find_made_menu, find_made_route, sent_create
from ivr.engine.document import DocumentError, IvrDocument, menu_key_for_id
from ivr.engine.edit import rekey_menu
from ivr.engine.plan import Operation, OperationKind, Plan, PlanError
from ivr.engine.snapshot import IvrSnapshot
from ivr.models import Draft
from ivr.services.drafts import forget_sent_create, note_sent_create, record_created_menu
from talk.client import TalkClient
from talk.errors import NotFound, TalkError, Unavailable

DELETES = (OperationKind.DELETE_MENU, OperationKind.DELETE_ROUTE)
CREATES = (OperationKind.CREATE_MENU, OperationKind.CREATE_ROUTE)


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
        create = _note_create(run, operation, draft, change)
        try:
            answer = send(client, operation, ivr_id=run.ivr_id, menu_ids=run.menu_ids)
        except TalkError as error:
            if not (isinstance(error, NotFound) and operation.kind in DELETES):
                run.failed, run.error = operation, error
                if create is not None:
                    _settle_unanswered_create(run, client, operation, create, draft, change)
                raise
            answer = None  # already gone, which is all a delete asks for
        if operation.kind is OperationKind.CREATE_MENU:
            assert answer is not None and operation.menu_key is not None
            menu_id = int(answer["id"])
            _remember_created_menu(run, operation.menu_key, menu_id, draft, change, create)
        elif create is not None:
            forget_sent_create(draft=draft, create=create)
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


def _note_create(
    run: PublishRun, operation: Operation, draft: Draft, change: OpenChangeSet
) -> SentCreate | None:
    """Note a create with the draft before it is sent (ivr.engine.adoption)."""
    if operation.kind not in CREATES:
        return None
    create = sent_create(
        operation,
        body=operation.body(menu_ids=run.menu_ids) or {},
        menu_id=run.menu_ids.get(operation.menu_key or ""),
        change_set_id=change.change_set.pk,
    )
    if create is not None:
        note_sent_create(draft=draft, create=create)
    return create


def _remember_created_menu(
    run: PublishRun,
    key: str,
    menu_id: int,
    draft: Draft,
    change: OpenChangeSet,
    answered: SentCreate | None,
) -> None:
    run.menu_ids[key] = menu_id
    new_key = menu_key_for_id(menu_id)
    menu = run.desired.find_menu(key)
    run.desired = rekey_menu(run.desired, old_key=key, new_key=new_key, menu_id=menu_id)
    run.menu_ids[new_key] = menu_id
    record_created_menu(draft=draft, menu_key=key, menu_id=menu_id, answered=answered)
    if menu is not None:
        change.add_names({"menu": {menu_id: menu.name}})


def _settle_unanswered_create(
    run: PublishRun,
    client: TalkClient,
    operation: Operation,
    create: SentCreate,
    draft: Draft,
    change: OpenChangeSet,
) -> None:
    """A create got no clear answer: read the IVR again and take what it made, if anything.

    Zendesk's clear refusals (4xx, 429) made nothing. After a 5xx, a timeout or a broken
    connection, the menu or route matching what was sent (ivr.engine.adoption) that was not
    there before is the one this create made: it counts as made (the change set's "after"
    holds it, the call is counted as a write that went through), so publishing again fills it
    in instead of making a second one. If the IVR cannot be read now, or Zendesk may still make
    it, the create stays noted with the draft for the next publish's read to settle.
    """
    error = run.error
    if not isinstance(error, Unavailable):
        forget_sent_create(draft=draft, create=create)
        return
    try:
        ivr_json = client.get_ivr(run.ivr_id).raw
        live = IvrDocument.from_zendesk(ivr_json)
    except (TalkError, DocumentError):
        return  # still unreachable: settled by the next publish's read
    if create.kind == "menu":
        menus = ivr_json.get("menus") or []
        made = find_made_menu(create, menus, known_ids=run.snapshot.menu_ids())
        if made is not None:
            run.snapshot.add_menu(made)
            _remember_created_menu(run, create.menu_key, made["id"], draft, change, create)
    else:
        route = find_made_route(create, live)
        made = _route_json(ivr_json, create) if route is not None else None
        if made is not None:
            run.snapshot.record(operation, made, menu_id=create.menu_id)
            forget_sent_create(draft=draft, create=create)
    if made is not None:
        run.applied.append(operation)
        run.found_made = True
        change.confirm_write()
    elif not error.may_have_applied:
        forget_sent_create(draft=draft, create=create)  # Zendesk did not act (a 503)


def _route_json(ivr_json: dict[str, Any], create: SentCreate) -> dict[str, Any] | None:
    for menu in ivr_json.get("menus") or []:
        if menu.get("id") == create.menu_id:
            for route in menu.get("routes") or []:
                if route.get("keypress") == create.keypress:
                    return dict(route)
    return None
