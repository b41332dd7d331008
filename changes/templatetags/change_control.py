"""{% load change_control %}{% ivr_protection ivr_id as protection %}: for the IVR pages."""

from django import template

from changes.models import Protection
from changes.services import protection_of

register = template.Library()


@register.simple_tag
def ivr_protection(ivr_id: int) -> Protection | None:
    """The IVR's protection, if admins protected it."""
    return protection_of(ivr_id=ivr_id)
