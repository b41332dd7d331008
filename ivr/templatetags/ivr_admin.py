"""Links to the IVR admin pages, each shown only to the roles that may use it.

{% load ivr_admin %}
{% ivr_admin_actions ivr_id %}    on an IVR's page: history, export, import, numbers, delete
{% ivr_admin_actions %}           above the IVR list: new IVR, import as a new IVR

A row of the IVR list links its export with {% include "ivr/_ivr_export_link.html" %}.
"""

from django import template

from core.roles import ADMIN, EDITOR, has_role

register = template.Library()


@register.inclusion_tag("ivr/_ivr_admin_actions.html", takes_context=True)
def ivr_admin_actions(context: template.Context, ivr_id: int | None = None) -> dict:
    user = context["request"].user
    return {
        "ivr_id": ivr_id,
        "can_edit": has_role(user, EDITOR),
        "can_admin": has_role(user, ADMIN),
    }
