"""Steps of the approval stories, as the pages take them."""

from django.test import Client
from django.urls import reverse

from changes.models import ApprovalRequest
from tests.ivr.drafting import ORDERS, group_id
from tests.ivr.editor_pages import draft_of, menu_key_named, post, start_draft


def draft_orders_2_to_sales(client: Client, ivr_id: int, sandbox) -> None:
    """The editor opens the draft and sends key 2 of "Orders & billing" to Sales."""
    start_draft(client, ivr_id)
    orders = menu_key_named(ivr_id, ORDERS)
    response = post(
        client,
        "route_change",
        [ivr_id, orders, "2"],
        {"keypress": "2", "action": "group", "group_ids": [str(group_id(sandbox, "Sales"))]},
    )
    assert response.status_code == 200


def ask(client: Client, ivr_id: int, reason: str = "Sales takes returns this month"):
    return client.post(
        reverse("changes:ask", args=[ivr_id]),
        {"reason": reason, "version": draft_of(ivr_id).version},
    )


def asked(client: Client, ivr_id: int) -> ApprovalRequest:
    response = ask(client, ivr_id)
    assert response.status_code == 303, response.content.decode()[:800]
    return ApprovalRequest.objects.get(line_id=ivr_id, state="waiting")


def request_url(request: ApprovalRequest, step: str = "") -> str:
    name = f"changes:{step}" if step else "changes:approval"
    return reverse(name, args=[request.pk])
