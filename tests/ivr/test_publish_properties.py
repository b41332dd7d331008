"""For any live IVR and any draft of it, publishing makes the sandbox hold the draft, minimally;
and after a failure at any call, publishing again finishes the job.

Live IVRs and drafts are drawn with the engine's own strategies (tests/ivr/test_plan_properties)
and published through the real services, the real Talk client and the in-process sandbox,
which enforces Zendesk's contract. Drafts get a way out of every menu first, so lint lets them
through: lint's refusals have their own tests.
"""

import json
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db.models import Max
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from audit.models import ApiCall, ChangeSet
from ivr.engine.destinations import GoToMenu, QueueForGroups
from ivr.engine.document import KEYPRESSES, IvrDocument
from ivr.engine.edit import add_route, update_route
from ivr.engine.lint import lint
from ivr.engine.lint.findings import has_errors
from ivr.models import Draft
from ivr.services import (
    PublishOutcome,
    edit_draft,
    load_ivr_lookups,
    open_draft,
    preview_publish,
    publish_draft,
)
from sandbox.state import SandboxState, default_phone_number, empty_account
from talk.wsgi_transport import WsgiAdapter
from tests.ivr.applying import configuration, desired_as_zendesk, differing_objects
from tests.ivr.drafting import actor
from tests.ivr.lost_answers import LOST_ANSWERS, WorkerKilled, losing
from tests.ivr.test_plan_properties import drafts_of, live_ivrs

pytestmark = pytest.mark.django_db
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
IVR_ID = 77  # live_ivrs() draws IVR 77 with menus 100, 200, ...
SUPPORT = 10
FAILURES = ("refused", "unavailable", "rate limited", "answer lost", "timed out, made")


def _account() -> dict[str, Any]:
    """The groups, greetings and sending number live_ivrs() refers to."""
    state = SandboxState(empty_account())
    for group_id, name in ((10, "Support"), (11, "Tier 1")):
        state.groups[group_id] = {"id": group_id, "name": name, "deleted": False}
    for greeting_id, name in ((501, "Welcome"), (502, "Billing options")):
        state.add_greeting(name, category_id=5, greeting_id=greeting_id)
    number = default_phone_number(31, "+15105550100", "+1 (510) 555-0100")
    number.update(nickname="Main line", name="Main line", sms_enabled=True)
    state.phone_numbers[31] = number
    return state.to_json()


ACCOUNT = _account()


def seed(sandbox, live_json: dict) -> None:
    """The sandbox holds exactly this IVR, as if built in Zendesk's Admin Center."""
    sandbox.state.load(ACCOUNT)
    sandbox.app.faults.forced.clear()
    sandbox.clear_requests()
    with sandbox.state.lock:
        sandbox.state.ivrs[IVR_ID] = {"id": IVR_ID, "name": live_json["name"]}
        for menu in live_json["menus"]:
            sandbox.state.menus[menu["id"]] = {
                "id": menu["id"],
                "ivr_id": IVR_ID,
                "name": menu["name"],
                "greeting_id": menu["greeting_id"],
                "default": menu["default"],
            }
            for route in menu["routes"]:
                sandbox.state.routes[route["id"]] = {
                    "id": route["id"],
                    "menu_id": menu["id"],
                    "keypress": route["keypress"],
                    "action": route["action"],
                    "options": json.loads(json.dumps(route["options"])),
                    "overflow_options": [],
                }
    Draft.objects.all().delete()


def with_a_way_out(document: IvrDocument) -> IvrDocument:
    """Every menu gets a key to the Support group, so no caller is stranded (lint errors)."""
    for menu in document.menus:
        if any(not isinstance(route.destination, GoToMenu) for route in menu.routes):
            continue
        support = QueueForGroups((SUPPORT,))
        free = [k for k in KEYPRESSES if menu.route(k) is None]
        if free:
            document = add_route(document, menu_key=menu.key, keypress=free[0], destination=support)
        else:
            document = update_route(
                document, menu_key=menu.key, keypress="default", destination=support
            )
    return document


def draft_of(sandbox, editor, desired: IvrDocument) -> Draft:
    draft = open_draft(ivr_id=IVR_ID, actor=actor(editor))
    return edit_draft(
        draft=draft, edit=lambda _: desired, actor=actor(editor), expected_version=draft.version
    )


def draw_case(data, sandbox, editor) -> tuple[dict, IvrDocument, Draft]:
    live_json = data.draw(live_ivrs())
    desired = with_a_way_out(data.draw(drafts_of(IvrDocument.from_zendesk(live_json))))
    seed(sandbox, live_json)
    assume(not has_errors(lint(desired, load_ivr_lookups())))
    return live_json, desired, draft_of(sandbox, editor, desired)


def callers_view(document: IvrDocument) -> dict[str, Any]:
    """What callers experience, menus by name (new menus' ids are Zendesk's choice); a menu
    created twice shows twice."""
    names = {menu.key: menu.name for menu in document.menus}

    def options(route) -> str:
        target = route.destination.menu_key if isinstance(route.destination, GoToMenu) else None
        shown = route.options_json(menu_id=names.get(target) if target else None)
        if not shown.get("tags"):
            shown.pop("tags", None)
        return json.dumps(shown, sort_keys=True)

    menus = [
        (
            menu.name,
            menu.greeting_id,
            menu.default,
            sorted((route.keypress, route.action, options(route)) for route in menu.routes),
        )
        for menu in document.menus
    ]
    return {"name": document.name, "menus": sorted(menus, key=repr)}


def live_view(sandbox) -> dict[str, Any]:
    return callers_view(IvrDocument.from_zendesk(sandbox.client.get_ivr(IVR_ID).raw))


@EXAMPLES
@given(data=st.data())
def test_publishing_makes_zendesk_hold_the_draft_with_one_call_per_differing_part(
    data, sandbox, editor
):
    live_json, desired, draft = draw_case(data, sandbox, editor)
    sandbox.clear_requests()

    result = publish_draft(draft=draft, actor=actor(editor), reason="Property check")

    event(f"outcome {result.outcome}")
    assert result.outcome in (PublishOutcome.APPLIED, PublishOutcome.NOTHING_TO_PUBLISH)
    menu_ids = result.menu_ids or {menu.key: menu.id for menu in desired.menus}
    wanted = configuration(desired_as_zendesk(desired, menu_ids))
    assert configuration(sandbox.client.get_ivr(IVR_ID).raw) == wanted
    assert len(result.applied) == differing_objects(configuration(live_json), wanted)
    assert len([r for r in sandbox.requests if r.method != "GET"]) == len(result.applied)


@EXAMPLES
@given(data=st.data())
def test_after_a_failure_at_any_call_publishing_again_converges(data, sandbox, editor):
    _, desired, draft = draw_case(data, sandbox, editor)
    plan = preview_publish(draft=draft).operations
    assume(plan)
    fail_at = data.draw(st.integers(0, len(plan) - 1), label="fail at call")
    failure = data.draw(st.sampled_from(FAILURES), label="failure")
    event(failure)
    client = sandbox.client
    client.transport.mount(WsgiAdapter(FailAtWrite(sandbox, fail_at, failure)))
    try:
        first = publish_draft(draft=draft, actor=actor(editor), reason="Property check")
    finally:
        client.transport.mount(WsgiAdapter(sandbox.app))
    sandbox.app.faults.forced.clear()
    cache.clear()  # time passes: a 429's "slow down" is over (and lookups are read again)

    assert first.outcome in (PublishOutcome.FAILED, PublishOutcome.PARTLY_APPLIED)
    writes_made = first.change_set.api_calls.exclude(method="GET").filter(status__lt=300)
    found_made = "TalkAdmin checked: it was made" in first.message
    expected = "partly_applied" if writes_made.exists() or found_made else "failed"
    assert first.change_set.status == expected
    assert len(first.applied) in (fail_at, fail_at + 1)  # + 1: a lost answer found made
    assert first.draft is not None

    second = publish_draft(draft=first.draft, actor=actor(editor), reason="Property check")

    assert second.outcome in (PublishOutcome.APPLIED, PublishOutcome.NOTHING_TO_PUBLISH)
    assert live_view(sandbox) == callers_view(desired)
    assert len(second.applied) <= len(plan) - fail_at


@EXAMPLES
@given(data=st.data())
def test_a_lost_answer_at_any_call_then_publishing_again_makes_nothing_twice(data, sandbox, editor):
    _, desired, draft = draw_case(data, sandbox, editor)
    plan = preview_publish(draft=draft).operations
    assume(plan)
    lost_at = data.draw(st.integers(0, len(plan) - 1), label="answer lost at call")
    kind = data.draw(st.sampled_from(LOST_ANSWERS), label="how it was lost")
    event(f"{kind} at {plan[lost_at].kind}")
    earlier = ChangeSet.objects.aggregate(last=Max("id"))["last"] or 0
    with losing(sandbox, at=lost_at, kind=kind):
        try:
            first = publish_draft(draft=draft, actor=actor(editor), reason="Property check")
        except WorkerKilled:
            first = None
    cache.clear()
    kept = Draft.objects.filter(ivr_id=IVR_ID).first()
    if first is not None and first.succeeded:  # an update or delete retried: nothing is left
        assert kept is None
    else:
        assert kept is not None
        second = publish_draft(draft=kept, actor=actor(editor), reason="Property check")
        assert second.outcome in (PublishOutcome.APPLIED, PublishOutcome.NOTHING_TO_PUBLISH)

    live = sandbox.client.get_ivr(IVR_ID).raw
    assert live_view(sandbox) == callers_view(desired)  # a menu made twice would show twice
    names = [menu["name"] for menu in live["menus"]]
    assert len(names) == len(set(names)), "a menu was created twice"
    sent = [(r.method, r.path, json.dumps(r.body, sort_keys=True)) for r in sandbox.requests]
    sent = [request for request in sent if request[0] != "GET"]
    creates = [request for request in sent if request[0] == "POST"]
    assert len(creates) == len(set(creates)), "a create was sent twice"
    ledger = ApiCall.objects.exclude(method="GET").filter(change_set_id__gt=earlier)
    retries = sum(call.attempts - 1 for call in ledger)
    # Every write Zendesk received is in the ledger, and the only repeats are the retries of an
    # update or delete (idempotent) that the ledger counts as attempts of one call.
    assert len(sent) == sum(call.attempts for call in ledger)
    assert len(sent) - len(set(sent)) == retries
    assert len(set(sent)) <= len(plan)


class FailAtWrite:
    """The sandbox, except that the publish's write number `fail_at` (from 0) fails."""

    def __init__(self, sandbox, fail_at: int, failure: str) -> None:
        self.sandbox, self.fail_at, self.failure = sandbox, fail_at, failure
        self.writes = 0

    def __call__(self, environ: dict, start_response):
        method = environ["REQUEST_METHOD"]
        if method != "GET":
            if self.writes == self.fail_at:
                self._break(method, environ["PATH_INFO"].removesuffix(".json"))
            self.writes += 1
        return self.sandbox.app(environ, start_response)

    def _break(self, method: str, path: str) -> None:
        # Every attempt the client makes at this call fails, retries included.
        match self.failure:
            case "refused":
                self.sandbox.fail(method, path, status=422)
            case "unavailable":
                self.sandbox.fail(method, path, status=503)
            case "rate limited":
                retry_after = int(django_settings.TALK_MAX_WAIT_SECONDS) + 60
                self.sandbox.fail(method, path, status=429, retry_after=retry_after)
            case "answer lost":
                self.sandbox.fail(method, path, status=503, after_applying=True)
            case _:
                self.sandbox.time_out(method, path, after_applying=True)
